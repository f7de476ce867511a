import { join } from 'node:path';
import { GoalEngine, isGoalEngineError, type GoalStore } from '@org/goal-engine';
import {
  ToolError,
  redisSettings,
  redisUnavailable,
  type CheckResult,
  type Logger,
  type ServerDeps,
} from '@org/mcp-core';
import { openRedisOrLocal, type OpenedStore } from '@org/redis-connection';
import { isJournalError } from '@org/file-journal';
import envPaths from 'env-paths';
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
  /** The open store (Redis connection state, or the file store). */
  opened: OpenedStore<GoalStore>;
  /** Pings the store: ok, or the reason it is unreachable. */
  health(): Promise<{ ok: boolean; detail: string }>;
}

/** The default data directory: XDG data dir on Linux, Application Support on macOS, %APPDATA% on Windows. */
export function defaultDataDir(): string {
  return join(envPaths('org-mcp', { suffix: '' }).data, 'goal-agent');
}

const STORE_METHODS = [
  'allocateIds',
  'reserveIdsUpTo',
  'getGoal',
  'listGoals',
  'getGoalTasks',
  'getGoalWithTasks',
  'getTasks',
  'commit',
  'importGoals',
] as const;

/**
 * Opens the store the configuration names (Redis, or the file store by default) and the engine
 * on it. Redis is connected in the background: the server starts and stays up while Redis is
 * down, tools answer `unavailable`, and the client reconnects by itself.
 */
export function createDeps(config: Config, logger: Logger): Deps {
  const useRedis = config.GOAL_AGENT_STORE !== 'file';
  const opened: OpenedStore<GoalStore> = openRedisOrLocal<GoalStore, (typeof STORE_METHODS)[number]>({
    redis: useRedis ? redisSettings(config) : undefined,
    logger,
    methods: STORE_METHODS,
    async openRedis(connection) {
      const { RedisGoalStore } = await import('@org/goal-store-redis');
      return new RedisGoalStore(connection.client, { prefix: config.GOAL_AGENT_KEY_PREFIX });
    },
    openLocal() {
      const dir = config.GOAL_AGENT_DATA_DIR ?? defaultDataDir();
      return { store: new FileGoalStore(dir), location: dir };
    },
  });
  const store = opened.store;
  const storeInfo: StoreInfo = {
    kind: opened.kind === 'redis' ? 'redis' : 'file',
    location: opened.location,
  };
  logger.info({ store: storeInfo }, 'goal store opened');
  const engine = new GoalEngine(store, {
    now: () => new Date(),
    backoff: (attempt) => new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 * 2 ** attempt))),
  });

  const health = async (): Promise<{ ok: boolean; detail: string }> => {
    await opened.opened;
    const redis = opened.redis();
    if (redis) return redis.health();
    try {
      const stats = (store as FileGoalStore).stats();
      return { ok: true, detail: `${storeInfo.location} (${stats.journal_bytes} bytes)` };
    } catch (error) {
      return { ok: false, detail: `${storeInfo.location}: ${(error as Error).message}` };
    }
  };

  return {
    config,
    logger,
    engine,
    store,
    storeInfo,
    opened,
    health,
    async check(): Promise<CheckResult[]> {
      const h = await health();
      return [{ name: `${storeInfo.kind} store`, ok: h.ok, detail: h.detail }];
    },
    async dispose() {
      await opened.closeConnection();
    },
  };
}

/** Turns engine and store failures into tool errors (the server definition's mapError). */
export function toToolError(error: unknown, deps: Deps): ToolError | undefined {
  if (isGoalEngineError(error)) {
    return new ToolError(error.code, error.message, { ...(error.hint ? { hint: error.hint } : {}) });
  }
  if (isJournalError(error))
    return new ToolError('unavailable', error.message, {
      retryable: error.retryable,
      ...(error.hint ? { hint: error.hint } : {}),
    });
  return deps.opened.isUnavailable(error) ? redisUnavailable(deps.storeInfo.location) : undefined;
}
