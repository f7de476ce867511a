import { createMcpServer, coreServerOptions, type Logger, type McpServer } from '@org/mcp-core';
import { packageInfo, type Config } from './config.js';
import type { Deps } from './deps.js';
import { tools } from './tools/index.js';

/** Builds the server with the tools the configuration enables. Does no I/O. */
export function createServer(deps: Deps, config: Config, logger: Logger): McpServer {
  return createMcpServer({
    name: packageInfo.name,
    version: packageInfo.version,
    instructions: [
      `A key-value cache in the ${deps.cache.kind} backend (${deps.cache.location}), namespace "${deps.cache.namespace}".`,
      'Values are any JSON and come back exactly as set; use ttl for expiry, condition if_absent for locks,',
      'cache_mget/cache_mset for bulk work and cache_keys or cache_scan to list (both bounded).',
    ].join(' '),
    tools,
    deps,
    logger,
    ...coreServerOptions(config),
    maxInputChars: Math.max(1_000_000, config.CACHE_MAX_VALUE_BYTES * 2 + 100_000),
    mapError: deps.mapError,
  });
}
