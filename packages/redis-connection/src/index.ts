// The public API of @org/redis-connection: a Redis client that behaves the same in every server
// when Redis goes away, and the "Redis when configured, else a local store" choice. It knows
// nothing of MCP: servers turn `isUnavailable` failures into their own errors.
import type { Cluster, Redis, RedisOptions } from 'ioredis';

/** Where and how to reach Redis (servers build it from their env with mcp-core's `redisSettings`). */
export interface RedisSettings {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
  cluster: boolean;
}

/** The two log methods used; any pino-like logger fits. */
export interface ConnectionLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** `host:port/db` (with ` TLS` when encrypted): what logs and reports show, never a password. */
export function redisLocation(settings: RedisSettings): string {
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return `${host}:${settings.port}/${settings.db}${settings.tls ? ' TLS' : ''}`;
}

/** ioredis options for `settings`. */
export function redisOptions(settings: RedisSettings): RedisOptions {
  return {
    host: settings.host,
    port: settings.port,
    db: settings.db,
    ...(settings.username ? { username: settings.username } : {}),
    ...(settings.password ? { password: settings.password } : {}),
    ...(settings.tls ? { tls: { servername: settings.host } } : {}),
    lazyConnect: true,
    // Queue commands only until the first connection; after that fail fast while down, so tools
    // answer at once instead of hanging (see connectRedis).
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000),
  };
}

const CONNECTION_ERROR =
  /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|MaxRetriesPerRequest|Reached the max retries|Command timed out|CLUSTERDOWN|LOADING|TRYAGAIN/;

/** A connected (or connecting) client and what a server needs around it. */
export interface RedisConnection {
  client: Redis | Cluster;
  /** `host:port/db`, without credentials. */
  location: string;
  /** PING within `timeoutMs` (default 2 s): ok, or why not. */
  health(timeoutMs?: number): Promise<{ ok: boolean; detail: string }>;
  /** True when `error` means Redis is unreachable (rather than a command's own error). */
  isUnavailable(error: unknown): boolean;
  close(): Promise<void>;
}

/**
 * Opens a client without waiting for the connection: the server starts and stays up while Redis
 * is down. Commands wait in a queue until the first connection is ready (or fail after one
 * reconnect attempt); from then on they fail fast while Redis is down, and ioredis reconnects by
 * itself with backoff capped at 2 s. ioredis is loaded only here, so servers that do not use
 * Redis never pay for it. Errors are logged once per change of state, without credentials.
 */
export async function connectRedis(
  settings: RedisSettings,
  logger: ConnectionLogger,
): Promise<RedisConnection> {
  const options = redisOptions(settings);
  const location = redisLocation(settings);
  // ioredis is CommonJS: take its exports object whether it arrives as the namespace or as `default` (bundled).
  const mod = await import('ioredis');
  const { Cluster, Redis } = ((mod as { default?: unknown }).default ?? mod) as typeof mod;
  const client: Redis | Cluster = settings.cluster
    ? new Cluster([{ host: settings.host, port: settings.port }], {
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
    async health(timeoutMs = 2000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([client.ping(), timeout]);
        return { ok: true, detail: `redis at ${location} answers` };
      } catch (error) {
        const reason = lastState && lastState !== 'ready' ? lastState : (error as Error).message;
        return { ok: false, detail: `redis at ${location} is unreachable (${reason})` };
      } finally {
        clearTimeout(timer);
      }
    },
    isUnavailable(error) {
      return error instanceof Error && (CONNECTION_ERROR.test(error.message) || client.status !== 'ready');
    },
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

type Method = (...args: never[]) => unknown;
/** The names of `T`'s methods. */
export type MethodNames<T> = { [K in keyof T]: T[K] extends Method ? K : never }[keyof T];

/**
 * An object with the named async methods of `T` that wait for `ready` while it is pending and,
 * once it has resolved, call straight through (no extra await on every call). A rejected
 * `ready` rejects every call made through it.
 */
export function callWhenReady<T extends object, K extends MethodNames<T>>(
  ready: Promise<T>,
  names: readonly K[],
): Pick<T, K> {
  let target: T | undefined;
  ready.then(
    (value) => (target = value),
    () => undefined,
  );
  const out = {} as Record<K, unknown>;
  for (const name of names) {
    out[name] = (...args: unknown[]) => {
      if (target) return (target[name] as (...a: unknown[]) => unknown).apply(target, args);
      return ready.then((t) => (t[name] as (...a: unknown[]) => unknown).apply(t, args));
    };
  }
  return out as Pick<T, K>;
}

/** What openRedisOrLocal opened. */
export interface OpenedStore<T> {
  /** The store; on Redis, its methods wait for the background open on their first call. */
  store: T;
  kind: 'redis' | 'local';
  /** `host:port/db` on Redis, the local store's own location otherwise. */
  location: string;
  /** Resolves when the store is open (at once for a local store); never rejects. */
  opened: Promise<void>;
  /** The Redis connection once open (undefined for a local store or while opening). */
  redis(): RedisConnection | undefined;
  /** True when `error` is a Redis connection failure. */
  isUnavailable(error: unknown): boolean;
  /** Waits for the open to end, then closes the Redis connection (the store closes itself). */
  closeConnection(): Promise<void>;
}

/**
 * The goal agent's and the cache's store choice, in one place: with `redis` settings, loads
 * ioredis and connects in the background (so the server answers `initialize` at once) and builds
 * the store with `openRedis`; its `methods` wait for that on their first call. Without, builds
 * the local store (`openLocal`, e.g. the embedded file store) at once.
 */
export function openRedisOrLocal<T extends object, K extends MethodNames<T>>(options: {
  redis: RedisSettings | undefined;
  logger: ConnectionLogger;
  openRedis(connection: RedisConnection): Promise<T> | T;
  methods: readonly K[];
  openLocal(): { store: T; location: string };
}): OpenedStore<Pick<T, K> | T> {
  const settings = options.redis;
  if (!settings) {
    const { store, location } = options.openLocal();
    return {
      store,
      kind: 'local',
      location,
      opened: Promise.resolve(),
      redis: () => undefined,
      isUnavailable: () => false,
      closeConnection: async () => undefined,
    };
  }
  let connection: RedisConnection | undefined;
  const ready = (async () => {
    connection = await connectRedis(settings, options.logger);
    return options.openRedis(connection);
  })();
  const opened = ready.then(
    () => undefined,
    () => undefined,
  );
  return {
    store: callWhenReady(ready, options.methods),
    kind: 'redis',
    location: redisLocation(settings),
    opened,
    redis: () => connection,
    isUnavailable: (error) => connection?.isUnavailable(error) ?? false,
    async closeConnection() {
      await opened;
      await connection?.close();
    },
  };
}

export { openPacingRedis } from './pacing.js';
export type { PacingRedis } from './pacing.js';
