import type { Logger } from '@org/mcp-core';
import type { Config } from '../src/config.js';
import { createDeps } from '../src/deps.js';

/** The server's deps with retry waits and write pacing shrunk for tests (connectServer's createDeps). */
export const fastDeps = (config: Config, logger: Logger) =>
  createDeps(config, logger, { retryBaseMs: 5, writeIntervalMs: 0 });
