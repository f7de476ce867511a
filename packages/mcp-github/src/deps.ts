import { redisSettings, type CheckResult, type Logger, type ServerDeps } from '@org/mcp-core';
import { openPacingRedis } from '@org/redis-connection';
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
  // With REDIS_URL or REDIS_HOST, GitHub's pauses are kept per token across every instance;
  // without, per process (the throttling plugin), and Redis is never touched.
  const redis = openPacingRedis(redisSettings(config), logger);
  const github = createGitHubClient(config, logger, {
    ...(redis ? { sharedPacing: { redis: redis.client, onUnavailable: redis.onUnavailable } } : {}),
    ...options,
  });
  return {
    config,
    logger,
    github,
    async dispose() {
      await redis?.close();
    },
    async check(): Promise<CheckResult[]> {
      const pacing: CheckResult[] = redis ? [await redis.check('write and search pauses')] : [];
      try {
        const { data, headers } = await github.request('GET /user');
        const scopes = headers['x-oauth-scopes'];
        return [
          ...pacing,
          {
            name: 'github',
            ok: true,
            detail: `authenticated as ${data.login} at ${config.GITHUB_API_URL}${scopes ? ` (scopes: ${scopes})` : ''}`,
          },
        ];
      } catch (error) {
        return [
          ...pacing,
          { name: 'github', ok: false, detail: toToolError(error)?.message ?? (error as Error).message },
        ];
      }
    },
  };
}
