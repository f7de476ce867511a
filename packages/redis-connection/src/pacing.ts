import { connectRedis, type ConnectionLogger, type RedisConnection, type RedisSettings } from './index.js';

/**
 * A Redis connection a vendor server opens only to share its request pacing between instances
 * (the pacer itself is mcp-core's `createPacer` with `shared`).
 */
export interface PacingRedis {
  /** The client, for the pacer's `shared.redis`; a failed connection is reported by the pacer. */
  client: Promise<RedisConnection['client']>;
  /** For the pacer's `shared.onUnavailable`: says that this instance now paces alone. */
  onUnavailable(error: unknown): void;
  /** The `--check` line; `what` names what is shared, e.g. "JIRA_RATE_LIMIT_DELAY". */
  check(what: string): Promise<{ name: string; ok: boolean; detail: string }>;
  close(): Promise<void>;
}

/** Opens the pacing connection, or returns undefined (and touches no Redis) without settings. */
export function openPacingRedis(
  settings: RedisSettings | undefined,
  logger: ConnectionLogger,
  subject = 'requests',
): PacingRedis | undefined {
  if (!settings) return undefined;
  const redis = connectRedis(settings, logger);
  const client = redis.then((c) => c.client);
  client.catch(() => undefined); // the pacer reports a failed connection when it first needs it
  return {
    client,
    onUnavailable: (error) =>
      logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        `rate limit: Redis does not answer, this instance paces its ${subject} alone`,
      ),
    async check(what) {
      const connection = await redis;
      const health = await connection.health();
      return {
        name: 'rate limit',
        ok: health.ok,
        detail: health.ok
          ? `${what} shared through redis at ${connection.location}`
          : `${health.detail}: each instance paces alone until it answers`,
      };
    },
    async close() {
      await (await redis).close();
    },
  };
}
