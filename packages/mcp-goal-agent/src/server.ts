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
      'Plan work as goals and tasks with dependencies: break goals down, get the next ready tasks, execution plans with phases and the critical path, claims for parallel agents. Persists to Redis or a local file store.',
    tools,
    deps,
    logger,
    filter: toolFilterFromConfig(config),
    outputBudget: config.MCP_MAX_OUTPUT_CHARS,
  });
}
