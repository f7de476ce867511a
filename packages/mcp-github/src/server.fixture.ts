import type { Logger } from '@org/mcp-core';
import { ConfigSchema, type Config } from './config.js';
import { createDeps } from './deps.js';
import { createServer } from './server.js';

/** The server as its bin builds it (for connectServer), with retry waits shrunk for tests. */
export const fastServer = {
  configSchema: ConfigSchema,
  createDeps: (config: Config, logger: Logger) =>
    createDeps(config, logger, { retryBaseMs: 5, writeIntervalMs: 0 }),
  createServer,
};
