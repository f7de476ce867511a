#!/usr/bin/env node
import { runServer } from '@org/mcp-core';
import { server } from './server.js';

await runServer(server);
