import { join } from 'node:path';
import { ToolError, deferred, type CheckResult, type Logger, type ServerDeps } from '@org/mcp-core';
import { connectRedis, redisConfigured, redisOptions, type RedisConnection } from '@org/redis-connection';
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
  mapError(error: unknown): ToolError | undefined;
}

/** The default data directory: XDG data dir on Linux, Application Support on macOS, %APPDATA% on Windows. */
export function defaultDataDir(): string {
  return join(envPaths('org-mcp', { suffix: '' }).data, 'memory-cache');
}

/**
 * Opens the backend the configuration names: Redis (connected lazily; the server stays up and
 * answers `unavailable` while Redis is down) or, by default, the file backend.
 */
export async function createDeps(config: Config, logger: Logger): Promise<Deps> {
  const useRedis =
    config.CACHE_BACKEND === 'redis' || (config.CACHE_BACKEND === 'auto' && redisConfigured(config));
  let redis: RedisConnection | undefined;
  let copies: ClientCache | undefined;
  let cache: CacheBackend;
  let opening: Promise<unknown> = Promise.resolve();
  if (useRedis) {
    // Load ioredis and connect in the background, so `initialize` is answered without waiting
    // for either; the first cache call waits for them.
    const { location } = redisOptions(config);
    const ready = (async () => {
      redis = await connectRedis(config, logger);
      const [{ RedisCacheBackend }, { ClientCache }] = await Promise.all([
        import('./backends/redis-backend.js'),
        import('./backends/client-cache.js'),
      ]);
      const db = config.REDIS_URL
        ? Number(new URL(config.REDIS_URL).pathname.slice(1) || '0')
        : config.REDIS_DB;
      if (!config.REDIS_CLUSTER && config.CACHE_CLIENT_CACHE_MB > 0) {
        // Without REDIS_CLUSTER, connectRedis made a single-node client.
        copies = new ClientCache(redis.client as Redis, config.CACHE_CLIENT_CACHE_MB * 1024 * 1024, logger);
      }
      return new RedisCacheBackend(redis.client, config.CACHE_NAMESPACE, location, db, copies);
    })();
    opening = ready;
    cache = {
      kind: 'redis',
      location,
      namespace: config.CACHE_NAMESPACE,
      ...deferred(ready, [
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
      ]),
    };
  } else {
    cache = new FileCacheBackend(config.CACHE_DATA_DIR ?? defaultDataDir(), config.CACHE_NAMESPACE);
  }
  logger.info({ backend: cache.kind, location: cache.location, namespace: cache.namespace }, 'cache opened');
  return {
    config,
    logger,
    cache,
    redisConnection: () => redis,
    mapError(error) {
      if (error instanceof NotAnIntegerError) {
        return ToolError.validation(
          error.message,
          'cache_incr and cache_decr work only on integer values (set one with a number).',
        );
      }
      if (error instanceof IntegerRangeError) return ToolError.validation(error.message);
      return redis?.toToolError(error);
    },
    async check(): Promise<CheckResult[]> {
      await opening;
      if (redis) {
        const h = await redis.health();
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
      await opening.catch(() => undefined);
      await cache.close();
      copies?.close();
      await redis?.close();
    },
  };
}
