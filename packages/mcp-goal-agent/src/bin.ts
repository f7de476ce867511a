#!/usr/bin/env node
import { runStdioServer } from '@org/mcp-core';
import { ConfigSchema, packageInfo } from './config.js';
import { createDeps } from './deps.js';
import { createServer } from './server.js';

await runStdioServer({
  ...packageInfo,
  description:
    'Plan work as goals and tasks with dependencies: break goals down, get the next ready tasks, execution plans with phases and the critical path, claims for parallel agents. Persists to Redis or a local file store.',
  configSchema: ConfigSchema,
  createDeps,
  createServer,
});
