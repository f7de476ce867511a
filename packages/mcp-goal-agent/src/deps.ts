import { join } from 'node:path';
import { GoalEngine, isGoalEngineError, type GoalStore } from '@org/goal-engine';
import { ToolError, deferred, type CheckResult, type Logger, type ServerDeps } from '@org/mcp-core';
import { connectRedis, redisConfigured, redisOptions, type RedisConnection } from '@org/redis-connection';
import envPaths from 'env-paths';
import type { Config } from './config.js';
import { FileGoalStore } from './stores/file-store.js';

export interface StoreInfo {
  kind: 'redis' | 'file';
  /** redis://host:port/db or a directory; never a password. */
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

/**
 * Opens the store the configuration names (Redis, or the file store by default) and the engine
 * on it. Redis is connected lazily: the server starts and stays up while Redis is down, tools
 * answer `unavailable`, and the client reconnects by itself.
 */
export async function createDeps(config: Config, logger: Logger): Promise<Deps> {
  const useRedis =
    config.GOAL_AGENT_STORE === 'redis' || (config.GOAL_AGENT_STORE === 'auto' && redisConfigured(config));
  let store: GoalStore;
  let storeInfo: StoreInfo;
  let redis: RedisConnection | undefined;
  let opening: Promise<unknown> = Promise.resolve();
  if (useRedis) {
    // Load ioredis and connect in the background, so `initialize` is answered without waiting
    // for either; the first store call waits for them.
    const ready = (async () => {
      redis = await connectRedis(config, logger);
      const { RedisGoalStore } = await import('@org/goal-store-redis');
      return new RedisGoalStore(redis.client, { prefix: config.GOAL_AGENT_KEY_PREFIX });
    })();
    opening = ready;
    store = deferred(ready, [
      'allocateIds',
      'reserveIdsUpTo',
      'getGoal',
      'listGoals',
      'getGoalTasks',
      'getGoalWithTasks',
      'getTasks',
      'commit',
    ]);
    storeInfo = { kind: 'redis', location: redisOptions(config).location };
  } else {
    const dir = config.GOAL_AGENT_DATA_DIR ?? defaultDataDir();
    const fileStore = new FileGoalStore(dir);
    store = fileStore;
    storeInfo = { kind: 'file', location: dir };
  }
  logger.info({ store: storeInfo }, 'goal store opened');
  const engine = new GoalEngine(store, {
    now: () => new Date(),
    backoff: (attempt) => new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 * 2 ** attempt))),
  });

  const health = async (): Promise<{ ok: boolean; detail: string }> => {
    await opening;
    if (redis) return redis.health();
    try {
      const stats = (store as FileGoalStore).stats();
      return { ok: true, detail: `file store at ${storeInfo.location} (${stats.journal_bytes} bytes)` };
    } catch (error) {
      return { ok: false, detail: `file store at ${storeInfo.location}: ${(error as Error).message}` };
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
      if (isGoalEngineError(error)) {
        return new ToolError(error.code, error.message, { ...(error.hint ? { hint: error.hint } : {}) });
      }
      return redis?.toToolError(error);
    },
    async check(): Promise<CheckResult[]> {
      const h = await health();
      return [{ name: `${storeInfo.kind} store`, ok: h.ok, detail: h.detail }];
    },
    async dispose() {
      await opening.catch(() => undefined);
      await redis?.close();
    },
  };
}
