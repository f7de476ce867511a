#!/usr/bin/env node
import { runStdioServer } from '@org/mcp-core';
import { ConfigSchema, packageInfo } from './config.js';
import { createDeps } from './deps.js';
import { createServer } from './server.js';

await runStdioServer({
  ...packageInfo,
  description:
    'A namespaced key-value cache for Claude on Redis or a local file store: values come back exactly as set, TTLs, bulk get/set, counters, SCAN-based listing.',
  configSchema: ConfigSchema,
  createDeps,
  createServer,
});
