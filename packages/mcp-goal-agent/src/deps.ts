import { join } from 'node:path';
import { GoalEngine, isGoalEngineError, type GoalStore } from '@org/goal-engine';
import { ToolError, type CheckResult, type Logger, type ServerDeps } from '@org/mcp-core';
import envPaths from 'env-paths';
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import type { Config } from './config.js';
import { FileGoalStore } from './stores/file-store.js';

export interface StoreInfo {
  kind: 'redis' | 'file';
  /** host:port/db or a directory; never a password. */
  location: string;
}

/** What the tools need; built once at start, disposed on shutdown. */
export interface Deps extends ServerDeps {
  config: Config;
  logger: Logger;
  engine: GoalEngine;
  store: GoalStore;
  storeInfo: StoreInfo;
  /** Pings the store: ok, or the reason it is unreachable. */
  health(): Promise<{ ok: boolean; detail: string }>;
  /** Turns store and engine failures into tool errors. */
  mapError(error: unknown): ToolError | undefined;
}

/** The default data directory: XDG data dir on Linux, Application Support on macOS, %APPDATA% on Windows. */
export function defaultDataDir(): string {
  return join(envPaths('org-mcp', { suffix: '' }).data, 'goal-agent');
}

function redisAddress(config: Config): { options: RedisOptions; location: string } {
  const common: RedisOptions = {
    lazyConnect: true,
    // Fail fast while disconnected so tools can say "unavailable" instead of hanging.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000),
  };
  if (config.REDIS_URL) {
    const url = new URL(config.REDIS_URL);
    const db = Number(url.pathname.slice(1) || '0');
    return {
      options: {
        ...common,
        host: url.hostname,
        port: Number(url.port || 6379),
        db,
        ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
        ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
        ...(url.protocol === 'rediss:' ? { tls: { servername: url.hostname } } : {}),
      },
      location: `${url.protocol}//${url.hostname}:${url.port || 6379}/${db}`,
    };
  }
  const host = config.REDIS_HOST ?? '127.0.0.1';
  return {
    options: {
      ...common,
      host,
      port: config.REDIS_PORT,
      db: config.REDIS_DB,
      ...(config.REDIS_USERNAME ? { username: config.REDIS_USERNAME } : {}),
      ...(config.REDIS_PASSWORD ? { password: config.REDIS_PASSWORD } : {}),
      ...(config.REDIS_TLS ? { tls: { servername: host } } : {}),
    },
    location: `${config.REDIS_TLS ? 'rediss' : 'redis'}://${host}:${config.REDIS_PORT}/${config.REDIS_DB}`,
  };
}

const CONNECTION_ERROR =
  /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|MaxRetriesPerRequest|Reached the max retries|connect ETIMEDOUT|Command timed out|All keys in the pipeline|CLUSTERDOWN|LOADING/;

/**
 * Opens the store the configuration names (Redis, or the file store by default) and the engine
 * on it. Redis is connected lazily: the server starts and stays up while Redis is down, tools
 * answer `unavailable`, and ioredis reconnects by itself.
 */
export async function createDeps(config: Config, logger: Logger): Promise<Deps> {
  const useRedis =
    config.GOAL_AGENT_STORE === 'redis' ||
    (config.GOAL_AGENT_STORE === 'auto' && Boolean(config.REDIS_URL ?? config.REDIS_HOST));
  let store: GoalStore;
  let storeInfo: StoreInfo;
  let redis: Redis | Cluster | undefined;
  if (useRedis) {
    const { options, location } = redisAddress(config);
    // Loaded only when Redis is used: ioredis costs start-up time the file store does not need.
    const [{ Cluster, Redis }, { RedisGoalStore }] = await Promise.all([
      import('ioredis'),
      import('@org/goal-store-redis'),
    ]);
    redis = config.REDIS_CLUSTER
      ? new Cluster([{ host: options.host!, port: options.port! }], {
          lazyConnect: true,
          enableOfflineQueue: false,
          redisOptions: options,
          clusterRetryStrategy: options.retryStrategy!,
        })
      : new Redis(options);
    let lastState = '';
    redis.on('error', (error: Error) => {
      if (lastState !== error.message)
        logger.warn({ err: { message: error.message } }, `redis: ${error.message}`);
      lastState = error.message;
    });
    redis.on('ready', () => {
      if (lastState !== 'ready') logger.info({ location }, 'redis connected');
      lastState = 'ready';
    });
    // Give Redis a moment at start; if it is down the server starts anyway.
    await Promise.race([
      redis.connect().catch(() => undefined),
      new Promise((r) => setTimeout(r, 3000).unref()),
    ]);
    store = new RedisGoalStore(redis, { prefix: config.GOAL_AGENT_KEY_PREFIX });
    storeInfo = { kind: 'redis', location };
  } else {
    const dir = config.GOAL_AGENT_DATA_DIR ?? defaultDataDir();
    store = new FileGoalStore(dir);
    storeInfo = { kind: 'file', location: dir };
  }
  logger.info({ store: storeInfo }, 'goal store opened');
  const engine = new GoalEngine(store, {
    now: () => new Date(),
    backoff: (attempt) => new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 * 2 ** attempt))),
  });

  const health = async (): Promise<{ ok: boolean; detail: string }> => {
    if (!redis) {
      try {
        const stats = (store as FileGoalStore).stats();
        return { ok: true, detail: `file store at ${storeInfo.location} (${stats.journal_bytes} bytes)` };
      } catch (error) {
        return { ok: false, detail: `file store at ${storeInfo.location}: ${(error as Error).message}` };
      }
    }
    try {
      await redis.ping();
      return { ok: true, detail: `redis at ${storeInfo.location} answers` };
    } catch (error) {
      return {
        ok: false,
        detail: `redis at ${storeInfo.location} is unreachable (${(error as Error).message})`,
      };
    }
  };

  return {
    config,
    logger,
    engine,
    store,
    storeInfo,
    health,
    mapError(error) {
      if (isGoalEngineError(error))
        return new ToolError(error.code, error.message, { ...(error.hint ? { hint: error.hint } : {}) });
      if (
        redis &&
        error instanceof Error &&
        (CONNECTION_ERROR.test(error.message) || redis.status !== 'ready')
      ) {
        return new ToolError('unavailable', `Redis at ${storeInfo.location} is unavailable`, {
          hint: 'The server reconnects by itself; retry in a few seconds. A refused change was not applied.',
        });
      }
      return undefined;
    },
    async check(): Promise<CheckResult[]> {
      const h = await health();
      return [{ name: `${storeInfo.kind} store`, ok: h.ok, detail: h.detail }];
    },
    async dispose() {
      if (redis) {
        await redis.quit().catch(() => redis?.disconnect());
      }
    },
  };
}
