import type { CheckResult, Logger, ServerDeps } from '@org/mcp-core';
import type { Config } from './config.js';
import { createGitHubClient, toToolError, type ClientOptions, type GitHubClient } from './github.js';

/** What the tools need; built once at start, disposed on shutdown. */
export interface Deps extends ServerDeps {
  config: Config;
  logger: Logger;
  github: GitHubClient;
}

/** Creates the GitHub client. No request is made until a tool runs (or `--check`). */
export function createDeps(config: Config, logger: Logger, options: ClientOptions = {}): Deps {
  const github = createGitHubClient(config, logger, options);
  return {
    config,
    logger,
    github,
    async check(): Promise<CheckResult[]> {
      try {
        const { data, headers } = await github.request('GET /user');
        const scopes = headers['x-oauth-scopes'];
        return [
          {
            name: 'github',
            ok: true,
            detail: `authenticated as ${data.login} at ${config.GITHUB_API_URL}${scopes ? ` (scopes: ${scopes})` : ''}`,
          },
        ];
      } catch (error) {
        return [
          { name: 'github', ok: false, detail: toToolError(error)?.message ?? (error as Error).message },
        ];
      }
    },
  };
}
