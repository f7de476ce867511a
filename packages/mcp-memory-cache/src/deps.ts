import { join } from 'node:path';
import {
  ToolError,
  redisSettings,
  redisUnavailable,
  type CheckResult,
  type Logger,
  type ServerDeps,
} from '@org/mcp-core';
import { openRedisOrLocal, type RedisConnection } from '@org/redis-connection';
import { isJournalError } from '@org/file-journal';
import envPaths from 'env-paths';
import type { Redis } from 'ioredis';
import { IntegerRangeError, NotAnIntegerError, type CacheBackend } from './backends/backend.js';
import type { ClientCache } from './backends/client-cache.js';
import { FileCacheBackend } from './backends/file-backend.js';
import type { Config } from './config.js';

/** What the tools need; built once at start, disposed on shutdown. */
export interface Deps extends ServerDeps {
  config: Config;
  logger: Logger;
  cache: CacheBackend;
  /** The Redis connection once open (undefined on the file backend). */
  redisConnection(): RedisConnection | undefined;
  /** True when `error` is a Redis connection failure. */
  isUnavailable(error: unknown): boolean;
}

/** The default data directory: XDG data dir on Linux, Application Support on macOS, %APPDATA% on Windows. */
export function defaultDataDir(): string {
  return join(envPaths('org-mcp', { suffix: '' }).data, 'memory-cache');
}

const BACKEND_METHODS = [
  'set',
  'get',
  'delete',
  'exists',
  'expire',
  'ttl',
  'scan',
  'mget',
  'mset',
  'incrBy',
  'flush',
  'info',
  'ping',
  'close',
] as const;

/**
 * Opens the backend the configuration names: Redis (connected lazily; the server stays up and
 * answers `unavailable` while Redis is down) or, by default, the file backend.
 */
export function createDeps(config: Config, logger: Logger): Deps {
  const useRedis = config.CACHE_BACKEND !== 'file';
  let copies: ClientCache | undefined;
  const opened = openRedisOrLocal<CacheBackend, (typeof BACKEND_METHODS)[number]>({
    redis: useRedis ? redisSettings(config) : undefined,
    logger,
    methods: BACKEND_METHODS,
    async openRedis(redis) {
      const [{ RedisCacheBackend }, { ClientCache }] = await Promise.all([
        import('./backends/redis-backend.js'),
        import('./backends/client-cache.js'),
      ]);
      if (!config.REDIS_CLUSTER && config.CACHE_CLIENT_CACHE_MB > 0) {
        // Without REDIS_CLUSTER, connectRedis made a single-node client.
        copies = new ClientCache(redis.client as Redis, config.CACHE_CLIENT_CACHE_MB * 1024 * 1024, logger);
      }
      const db = redisSettings(config)?.db ?? 0;
      return new RedisCacheBackend(redis.client, config.CACHE_NAMESPACE, redis.location, db, copies);
    },
    openLocal() {
      const backend = new FileCacheBackend(config.CACHE_DATA_DIR ?? defaultDataDir(), config.CACHE_NAMESPACE);
      return { store: backend, location: backend.location };
    },
  });
  const cache: CacheBackend =
    opened.kind === 'redis'
      ? { kind: 'redis', location: opened.location, namespace: config.CACHE_NAMESPACE, ...opened.store }
      : (opened.store as CacheBackend);
  const redis = opened.redis;
  logger.info({ backend: cache.kind, location: cache.location, namespace: cache.namespace }, 'cache opened');
  return {
    config,
    logger,
    cache,
    redisConnection: redis,
    isUnavailable: opened.isUnavailable,
    async check(): Promise<CheckResult[]> {
      await opened.opened;
      const connection = redis();
      if (connection) {
        const h = await connection.health();
        const results: CheckResult[] = [{ name: 'redis backend', ok: h.ok, detail: h.detail }];
        if (copies) {
          // Optional: reported, never a failure. Give tracking a moment to come on.
          if (h.ok) await Promise.race([copies.settled, new Promise((r) => setTimeout(r, 3000).unref())]);
          results.push({ name: 'redis client-side cache', ok: true, detail: copies.state });
        }
        return results;
      }
      try {
        const ms = await cache.ping();
        return [{ name: 'file backend', ok: true, detail: `${cache.location} readable (${ms} ms)` }];
      } catch (error) {
        return [
          { name: 'file backend', ok: false, detail: `${cache.location}: ${(error as Error).message}` },
        ];
      }
    },
    async dispose() {
      await opened.opened;
      await cache.close();
      copies?.close();
      await opened.closeConnection();
    },
  };
}

/** Turns backend failures into tool errors (the server definition's mapError). */
export function toToolError(error: unknown, deps: Deps): ToolError | undefined {
  if (error instanceof NotAnIntegerError) {
    return ToolError.validation(
      error.message,
      'cache_incr and cache_decr work only on integer values (set one with a number).',
    );
  }
  if (isJournalError(error))
    return new ToolError('unavailable', error.message, {
      retryable: error.retryable,
      ...(error.hint ? { hint: error.hint } : {}),
    });
  if (error instanceof IntegerRangeError) return ToolError.validation(error.message);
  return deps.isUnavailable(error) ? redisUnavailable(deps.cache.location) : undefined;
}
