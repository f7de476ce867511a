#!/usr/bin/env node
import { runStdioServer } from '@org/mcp-core';
import { ConfigSchema, packageInfo } from './config.js';
import { createDeps } from './deps.js';
import { createServer } from './server.js';

await runStdioServer({
  ...packageInfo,
  description:
    'A minimal server made from the house template, for checking that an MCP client can start and reach @org servers.',
  configSchema: ConfigSchema,
  createDeps,
  createServer,
});
