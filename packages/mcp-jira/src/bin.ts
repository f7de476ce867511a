#!/usr/bin/env node
import { runStdioServer } from '@org/mcp-core';
import { ConfigSchema, packageInfo } from './config.js';
import { createDeps } from './deps.js';
import { createServer } from './server.js';

await runStdioServer({
  ...packageInfo,
  description:
    'Jira Cloud for Claude: issues, search, comments, transitions, boards and sprints, with Markdown in and out, a projects filter and read-only mode.',
  configSchema: ConfigSchema,
  createDeps,
  createServer,
});
