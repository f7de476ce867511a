import { createMcpServer, coreServerOptions, type Logger, type McpServer } from '@org/mcp-core';
import { packageInfo, type Config } from './config.js';
import type { Deps } from './deps.js';
import { tools } from './tools/index.js';

/** Builds the server with the tools the configuration enables. Does no I/O. */
export function createServer(deps: Deps, config: Config, logger: Logger): McpServer {
  return createMcpServer({
    name: packageInfo.name,
    version: packageInfo.version,
    instructions:
      'Jira Cloud for Claude: issues, search, comments, transitions, boards and sprints, with Markdown in and out, a projects filter and read-only mode.',
    tools,
    deps,
    logger,
    ...coreServerOptions(config),
  });
}
