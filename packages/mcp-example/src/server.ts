import { createMcpServer, toolFilterFromConfig, type Logger, type McpServer } from '@org/mcp-core';
import { packageInfo, type Config } from './config.js';
import type { Deps } from './deps.js';
import { tools } from './tools/index.js';

/** Builds the server with the tools the configuration enables. Does no I/O. */
export function createServer(deps: Deps, config: Config, logger: Logger): McpServer {
  return createMcpServer({
    name: packageInfo.name,
    version: packageInfo.version,
    instructions:
      'A minimal server made from the house template, for checking that an MCP client can start and reach @org servers.',
    tools,
    deps,
    logger,
    filter: toolFilterFromConfig(config),
    outputBudget: config.MCP_MAX_OUTPUT_CHARS,
  });
}
