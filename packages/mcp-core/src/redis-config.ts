import { z } from 'zod';
import { envBoolean, secret } from './config.js';
import { ToolError } from './errors.js';

/**
 * The Redis variables every server that can use Redis reads (the original servers' names plus
 * REDIS_URL). Spread into a server's config schema: `CoreConfigSchema.extend({ ...redisEnvShape })`,
 * and turn the result into connection settings with `redisSettings(config)`.
 */
export const redisEnvShape = {
  REDIS_URL: secret(
    z
      .string()
      .regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// (TLS) URL without spaces')
      .refine((value) => URL.canParse(value), 'is not a valid URL')
      .optional()
      .describe('Redis URL, e.g. redis://:password@host:6379/0 or rediss:// for TLS; wins over REDIS_HOST'),
  ),
  REDIS_HOST: z.string().min(1).optional().describe("Redis host (the original servers' variable)"),
  REDIS_PORT: z.coerce
    .number({ error: 'must be a port number from 1 to 65535' })
    .int('must be a whole port number from 1 to 65535')
    .min(1, 'must be a port number from 1 to 65535')
    .max(65535, 'must be a port number from 1 to 65535')
    .default(6379)
    .describe('Redis port'),
  REDIS_DB: z.coerce
    .number({ error: 'must be a database number from 0 to 15' })
    .int('must be a database number from 0 to 15')
    .min(0, 'must be a database number from 0 to 15')
    .max(15, 'must be a database number from 0 to 15')
    .default(0)
    .describe('Redis database number'),
  REDIS_USERNAME: z.string().min(1).optional().describe('Redis ACL user name'),
  REDIS_PASSWORD: secret(z.string().min(1).optional().describe('Redis password')),
  REDIS_TLS: envBoolean(false, 'Use TLS to reach REDIS_HOST'),
  REDIS_CLUSTER: envBoolean(false, 'Treat the Redis address as a seed node of a Redis Cluster'),
};

/** The parsed Redis variables. */
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

/** Where and how to reach Redis, as @org/redis-connection takes it. */
export interface RedisSettings {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
  cluster: boolean;
}

/** True when the configuration names a Redis server at all. */
export const redisConfigured = (env: RedisEnv): boolean => Boolean(env.REDIS_URL ?? env.REDIS_HOST);

/**
 * The connection settings the Redis variables describe: REDIS_URL when set (its user,
 * password, db and scheme), else REDIS_HOST and the others. Undefined when neither is set.
 */
export function redisSettings(env: RedisEnv): RedisSettings | undefined {
  if (env.REDIS_URL) {
    const url = new URL(env.REDIS_URL);
    return {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || 6379),
      db: Number(url.pathname.slice(1) || '0'),
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      tls: url.protocol === 'rediss:',
      cluster: env.REDIS_CLUSTER,
    };
  }
  if (!env.REDIS_HOST) return undefined;
  return {
    host: env.REDIS_HOST,
    port: env.REDIS_PORT,
    db: env.REDIS_DB,
    ...(env.REDIS_USERNAME ? { username: env.REDIS_USERNAME } : {}),
    ...(env.REDIS_PASSWORD ? { password: env.REDIS_PASSWORD } : {}),
    tls: env.REDIS_TLS,
    cluster: env.REDIS_CLUSTER,
  };
}

/**
 * A config check for a `<X>_STORE`/`<X>_BACKEND` variable: choosing `redis` without REDIS_URL or
 * REDIS_HOST is a configuration error (rather than silently using 127.0.0.1:6379).
 * Use as `.superRefine(requireRedisFor('CACHE_BACKEND'))` on the server's schema.
 */
export function requireRedisFor(variable: string) {
  return (config: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    if (config[variable] === 'redis' && !config['REDIS_URL'] && !config['REDIS_HOST']) {
      ctx.addIssue({
        code: 'custom',
        path: [variable],
        message:
          'is "redis", but neither REDIS_URL nor REDIS_HOST is set: set one (e.g. REDIS_URL=redis://127.0.0.1:6379/0)',
      });
    }
  };
}

/** The error a tool answers while Redis is unreachable (servers map connection failures to it). */
export function redisUnavailable(location: string): ToolError {
  return new ToolError('unavailable', `Redis at ${location} is unavailable`, {
    hint: 'The server reconnects by itself; retry in a few seconds. A refused change was not applied.',
  });
}
