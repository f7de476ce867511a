import { envBoolean, secret, ToolError, z, type Logger } from '@org/mcp-core';
import type { Cluster, Redis, RedisOptions } from 'ioredis';

/**
 * The Redis variables every @org server that uses Redis reads (the original servers' names plus
 * REDIS_URL). Spread into a server's config schema: `CoreConfigSchema.extend({ ...redisEnvShape })`.
 */
export const redisEnvShape = {
  REDIS_URL: secret(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss:// (TLS)')
      .optional()
      .describe('Redis URL, e.g. redis://:password@host:6379/0 or rediss:// for TLS; wins over REDIS_HOST'),
  ),
  REDIS_HOST: z.string().min(1).optional().describe("Redis host (the original servers' variable)"),
  REDIS_PORT: z.coerce.number().int().min(1).max(65535).default(6379).describe('Redis port'),
  REDIS_DB: z.coerce.number().int().min(0).max(15).default(0).describe('Redis database number'),
  REDIS_USERNAME: z.string().min(1).optional().describe('Redis ACL user name'),
  REDIS_PASSWORD: secret(z.string().min(1).optional().describe('Redis password')),
  REDIS_TLS: envBoolean(false, 'Use TLS to reach REDIS_HOST'),
  REDIS_CLUSTER: envBoolean(false, 'Treat the Redis address as a seed node of a Redis Cluster'),
};

export interface RedisEnv {
  REDIS_URL?: string | undefined;
  REDIS_HOST?: string | undefined;
  REDIS_PORT: number;
  REDIS_DB: number;
  REDIS_USERNAME?: string | undefined;
  REDIS_PASSWORD?: string | undefined;
  REDIS_TLS: boolean;
  REDIS_CLUSTER: boolean;
}

/** True when the configuration names a Redis server at all. */
export const redisConfigured = (env: RedisEnv) => Boolean(env.REDIS_URL ?? env.REDIS_HOST);

/** ioredis options and a printable location (`redis://host:port/db`, never a password). */
export function redisOptions(env: RedisEnv): { options: RedisOptions; location: string } {
  const common: RedisOptions = {
    lazyConnect: true,
    // Queue commands only until the first connection; after that fail fast while down, so tools
    // answer "unavailable" at once instead of hanging (see connectRedis).
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000),
  };
  if (env.REDIS_URL) {
    const url = new URL(env.REDIS_URL);
    const db = Number(url.pathname.slice(1) || '0');
    const port = Number(url.port || 6379);
    return {
      options: {
        ...common,
        host: url.hostname,
        port,
        db,
        ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
        ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
        ...(url.protocol === 'rediss:' ? { tls: { servername: url.hostname } } : {}),
      },
      location: `${url.protocol}//${url.hostname}:${port}/${db}`,
    };
  }
  const host = env.REDIS_HOST ?? '127.0.0.1';
  return {
    options: {
      ...common,
      host,
      port: env.REDIS_PORT,
      db: env.REDIS_DB,
      ...(env.REDIS_USERNAME ? { username: env.REDIS_USERNAME } : {}),
      ...(env.REDIS_PASSWORD ? { password: env.REDIS_PASSWORD } : {}),
      ...(env.REDIS_TLS ? { tls: { servername: host } } : {}),
    },
    location: `${env.REDIS_TLS ? 'rediss' : 'redis'}://${host}:${env.REDIS_PORT}/${env.REDIS_DB}`,
  };
}

const CONNECTION_ERROR =
  /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|MaxRetriesPerRequest|Reached the max retries|Command timed out|CLUSTERDOWN|LOADING|TRYAGAIN/;

/** A connected (or connecting) client and what a server needs around it. */
export interface RedisConnection {
  client: Redis | Cluster;
  /** `redis://host:port/db`, without credentials. */
  location: string;
  /** PING: ok, or why not. */
  health(): Promise<{ ok: boolean; detail: string }>;
  /** The `unavailable` tool error for a connection failure; undefined for anything else. */
  toToolError(error: unknown): ToolError | undefined;
  close(): Promise<void>;
}

/**
 * Opens a client without waiting for the connection: the server starts and stays up while Redis
 * is down. Commands wait in a queue until the first connection is ready (or fail after one
 * reconnect attempt); from then on they fail fast while Redis is down, and ioredis reconnects by
 * itself with backoff capped at 2 s. ioredis is loaded only here, so servers that do not use
 * Redis never pay for it. Errors are logged once per change of state, without credentials.
 */
export async function connectRedis(env: RedisEnv, logger: Logger): Promise<RedisConnection> {
  const { options, location } = redisOptions(env);
  // ioredis is CommonJS: take its exports object whether it arrives as the namespace or as `default` (bundled).
  const mod = await import('ioredis');
  const { Cluster, Redis } = ((mod as { default?: unknown }).default ?? mod) as typeof mod;
  const client: Redis | Cluster = env.REDIS_CLUSTER
    ? new Cluster([{ host: options.host!, port: options.port! }], {
        lazyConnect: true,
        enableOfflineQueue: true,
        redisOptions: options,
        clusterRetryStrategy: options.retryStrategy!,
      })
    : new Redis(options);
  let lastState = '';
  client.on('error', (error: Error) => {
    if (lastState !== error.message) logger.warn({ location }, `redis: ${error.message}`);
    lastState = error.message;
  });
  client.on('ready', () => {
    if (lastState !== 'ready') logger.info({ location }, 'redis connected');
    lastState = 'ready';
    client.options.enableOfflineQueue = false;
  });
  client.connect().catch(() => undefined);
  return {
    client,
    location,
    async health() {
      try {
        await client.ping();
        return { ok: true, detail: `redis at ${location} answers` };
      } catch (error) {
        return { ok: false, detail: `redis at ${location} is unreachable (${(error as Error).message})` };
      }
    },
    toToolError(error) {
      if (error instanceof Error && (CONNECTION_ERROR.test(error.message) || client.status !== 'ready')) {
        return new ToolError('unavailable', `Redis at ${location} is unavailable`, {
          hint: 'The server reconnects by itself; retry in a few seconds. A refused change was not applied.',
        });
      }
      return undefined;
    },
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
