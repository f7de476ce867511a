/** When a set applies: always, only if the key is absent (NX), or only if present (XX). */
export type SetCondition = 'always' | 'if_absent' | 'if_present';

/** A stored value is not an integer, so it cannot be incremented. */
export class NotAnIntegerError extends Error {
  constructor(key: string) {
    super(`The value at "${key}" is not an integer`);
    this.name = 'NotAnIntegerError';
  }
}

/**
 * An increment would leave the range of exact integers (±(2^53 − 1), Number.MAX_SAFE_INTEGER), or
 * the stored integer is already outside it. Nothing is changed. Both backends refuse the same
 * calls, so a counter never holds a value a JSON number cannot carry exactly.
 */
export class IntegerRangeError extends Error {
  constructor(key: string, current: string, amount: number) {
    super(
      `Adding ${amount} to "${key}" (${current}) would leave the range of exact integers, ±${Number.MAX_SAFE_INTEGER}; nothing was changed`,
    );
    this.name = 'IntegerRangeError';
  }
}

/**
 * Where the cache keeps its values. Keys given to a backend are the user's keys; the backend
 * keeps them under its namespace and never reads, lists, overwrites or deletes anything outside.
 * Values are opaque strings (the tools store JSON text). TTLs are in milliseconds.
 */
export interface CacheBackend {
  readonly kind: 'redis' | 'file';
  /** Where the data lives (no credentials). */
  readonly location: string;
  readonly namespace: string;
  /** Returns false when the condition kept the value from being set. */
  set(
    key: string,
    value: string,
    options: { ttlMs?: number | undefined; condition: SetCondition },
  ): Promise<boolean>;
  /** The value and, when asked, its remaining TTL (null: no expiry), or null when the key is missing. */
  get(key: string, withTtl?: boolean): Promise<{ value: string; ttlMs: number | null } | null>;
  /** How many of the keys existed and were deleted. */
  delete(keys: readonly string[]): Promise<number>;
  /** How many of the keys exist (a key listed twice counts twice). */
  exists(keys: readonly string[]): Promise<number>;
  /** Sets a key's TTL; false when the key is missing. */
  expire(key: string, ttlMs: number): Promise<boolean>;
  /** -2 missing, -1 no expiry, else remaining milliseconds. */
  ttl(key: string): Promise<number>;
  /** One step of a cursor walk over the namespace: keys matching the glob, and the next cursor ('0' when done). */
  scan(cursor: string, match: string, count: number): Promise<{ cursor: string; keys: string[] }>;
  /** Values in the order asked (null where missing). */
  mget(keys: readonly string[]): Promise<(string | null)[]>;
  /** Sets every entry at once, all or nothing, each with the TTL when given. */
  mset(entries: readonly (readonly [string, string])[], ttlMs?: number): Promise<void>;
  /**
   * Adds to an integer value (a missing key counts as 0) and returns the result; keeps the TTL.
   * NotAnIntegerError for a value that is not an integer, IntegerRangeError when the value or the
   * result is beyond ±Number.MAX_SAFE_INTEGER; neither changes anything.
   */
  incrBy(key: string, amount: number): Promise<number>;
  /** Deletes every key of the namespace; returns how many. */
  flush(): Promise<number>;
  /** Key count and memory of the namespace, and what the backend can say of itself. */
  info(): Promise<{ keys: number; memory_bytes: number | null; details: Record<string, string | number> }>;
  /** Round trip in milliseconds. */
  ping(): Promise<number>;
  close(): Promise<void>;
}
