import { redisSettings, type CheckResult, type Logger, type ServerDeps } from '@org/mcp-core';
import { connectRedis } from '@org/redis-connection';
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
  const settings = redisSettings(config);
  const redis = settings ? connectRedis(settings, logger) : undefined;
  const client = redis?.then((c) => c.client);
  client?.catch(() => undefined); // the pacers report a failed connection when they first need it
  const github = createGitHubClient(config, logger, {
    ...(client
      ? {
          sharedPacing: {
            redis: client,
            onUnavailable: (error: unknown) =>
              logger.warn(
                { error: (error as Error).message },
                'rate limit: Redis does not answer, this instance paces its requests alone',
              ),
          },
        }
      : {}),
    ...options,
  });
  return {
    config,
    logger,
    github,
    async dispose() {
      if (redis) await (await redis).close();
    },
    async check(): Promise<CheckResult[]> {
      const pacing: CheckResult[] = [];
      if (redis) {
        const connection = await redis;
        const health = await connection.health();
        pacing.push({
          name: 'rate limit',
          ok: health.ok,
          detail: health.ok
            ? `write and search pauses shared through redis at ${connection.location}`
            : `${health.detail}: each instance paces alone until it answers`,
        });
      }
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
