// The one request pacer: a minimum interval between the starts of requests, kept per process, or
// across every process that shares a Redis (the vendors limit a token, not an instance).
import { nodeCrypto } from '../node-builtins.js';
import { sleep } from './sleep.js';

/** Resolves when the next request may start; rejects with the signal's reason when it aborts first. */
export type Pacer = (signal?: AbortSignal) => Promise<void>;

/** The one command the shared pacer sends; an ioredis client or Cluster fits. */
export interface PacerRedis {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/** Where a shared pacer keeps its slots. */
export interface SharedPacing {
  /** A Redis client, or a promise of one (a connection opened in the background). */
  redis: PacerRedis | PromiseLike<PacerRedis>;
  /** The Redis key of the limit, from `pacingKey` (never the token itself). */
  key: string;
  /** Told when Redis stops answering (once until it answers again); the process then paces on its own. */
  onUnavailable?(error: unknown): void;
  /** A reservation slower than this counts as Redis unavailable. @default 2000 */
  timeoutMs?: number;
}

export interface PacerOptions {
  /** Share the interval through Redis; without it the interval holds within this process. */
  shared?: SharedPacing | undefined;
}

/**
 * The Redis key of one rate limit: the vendor and a hash of the credential it limits, so
 * processes using the same token share it and Redis never holds the token.
 */
export function pacingKey(vendor: string, credential: string): string {
  const hash = nodeCrypto().createHash('sha256').update(credential).digest('hex').slice(0, 32);
  return `mcp:pace:${vendor.toLowerCase()}:${hash}`;
}

// Reserves the next free start atomically, on Redis's clock (so the processes' clocks do not
// matter) and answers how long the caller waits for it. The key expires once the slot is past.
const RESERVE = `
local interval = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], string.format('%.0f', at + interval), 'PX', string.format('%.0f', at + interval - now + 1000))
return at - now
`;

/** Rejects with the signal's reason when it aborts before `promise` settles. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Callers pass one at a time; each starts `interval` after the previous one actually started. */
function localPacer(minIntervalMs: number): Pacer {
  let last = -Infinity;
  let queue: Promise<void> = Promise.resolve();
  return (signal) => {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const turn = queue.then(async () => {
      // A caller cancelled while queued leaves without using a slot.
      signal?.throwIfAborted();
      await sleep(last + minIntervalMs - performance.now(), signal);
      last = performance.now();
    });
    queue = turn.catch(() => undefined);
    return abortable(turn, signal);
  };
}

function sharedPacer(minIntervalMs: number, shared: SharedPacing): Pacer {
  const fallback = localPacer(minIntervalMs);
  const timeoutMs = shared.timeoutMs ?? 2000;
  let warned = false;
  const reserve = async (): Promise<number> => {
    const redis = await shared.redis;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const wait = Number(await Promise.race([redis.eval(RESERVE, 1, shared.key, minIntervalMs), late]));
      if (!Number.isFinite(wait)) throw new Error('unexpected answer to the pacing script');
      return wait;
    } finally {
      clearTimeout(timer);
    }
  };
  return async (signal) => {
    signal?.throwIfAborted();
    let wait: number;
    try {
      wait = await abortable(reserve(), signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      // Pacing must not fail a request: while Redis is away, this process keeps the interval alone.
      if (!warned) shared.onUnavailable?.(error);
      warned = true;
      return fallback(signal);
    }
    warned = false;
    await sleep(wait, signal);
  };
}

/**
 * A pacer: each call resolves no sooner than `minIntervalMs` after the start it let through
 * before, in call order, with timers (never a busy wait); a call whose signal aborts rejects at
 * once and uses no slot. With `shared`, the slots are reserved in Redis by one atomic script per
 * key, so every process using the same key keeps the interval together; when Redis does not
 * answer, the process paces on its own until it does. An interval of 0 or less never waits.
 */
export function createPacer(minIntervalMs: number, options: PacerOptions = {}): Pacer {
  if (!(minIntervalMs > 0)) {
    return (signal) => (signal?.aborted ? Promise.reject(signal.reason as Error) : Promise.resolve());
  }
  return options.shared ? sharedPacer(minIntervalMs, options.shared) : localPacer(minIntervalMs);
}
