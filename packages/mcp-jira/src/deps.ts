import type { CheckResult, Logger, ServerDeps } from '@org/mcp-core';
import type { Config } from './config.js';

/** What the tools need; built once at start, disposed on shutdown. */
export interface Deps extends ServerDeps {
  config: Config;
  logger: Logger;
  /** Milliseconds since the epoch when the server started. */
  startedAt: number;
}

/** Creates the clients the tools use. */
export function createDeps(config: Config, logger: Logger): Deps {
  return {
    config,
    logger,
    startedAt: Date.now(),
    async check(): Promise<CheckResult[]> {
      return [];
    },
    dispose() {
      // Nothing to close yet.
    },
  };
}
