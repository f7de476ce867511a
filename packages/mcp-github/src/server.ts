import { createMcpServer, coreServerOptions, type Logger, type McpServer } from '@org/mcp-core';
import { packageInfo, type Config } from './config.js';
import type { Deps } from './deps.js';
import { tools } from './tools/index.js';

/** Toolsets offered when MCP_TOOLSETS is unset; `releases` is opt-in (MCP_TOOLSETS=all or a list naming it). */
export const DEFAULT_TOOLSETS = ['repos', 'issues', 'pull_requests', 'search'];

/** Builds the server with the tools the configuration enables. Does no I/O. */
export function createServer(deps: Deps, config: Config, logger: Logger): McpServer {
  return createMcpServer({
    name: packageInfo.name,
    version: packageInfo.version,
    instructions:
      'GitHub for Claude: repositories, files, branches, atomic multi-file commits, issues and pull requests, with a repository allowlist and read-only mode.',
    tools,
    deps,
    logger,
    ...coreServerOptions(config),
    defaultToolsets: DEFAULT_TOOLSETS,
    outputBudget: config.MCP_MAX_OUTPUT_CHARS,
    maxInputChars: 60_000_000,
    mapError: deps.mapError,
  });
}
