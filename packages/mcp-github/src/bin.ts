#!/usr/bin/env node
import { runStdioServer } from '@org/mcp-core';
import { ConfigSchema, packageInfo } from './config.js';
import { createDeps } from './deps.js';
import { createServer } from './server.js';

await runStdioServer({
  ...packageInfo,
  description:
    'GitHub for Claude: repositories, files, branches, atomic multi-file commits, issues and pull requests, with a repository allowlist and read-only mode.',
  configSchema: ConfigSchema,
  createDeps,
  createServer,
});
