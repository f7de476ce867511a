import { join } from 'node:path';
import { Journal, type JournalOptions, type JournalState } from '@org/file-journal';
import { IntegerRangeError, NotAnIntegerError, type CacheBackend, type SetCondition } from './backend.js';
import { matchGlob, parseGlob } from './glob.js';

/** Full key → [value, expiry in epoch ms or null]. */
type Item = [string, number | null];
type Entry =
  | { t: 'set'; items: [string, string, number | null][] }
  | { t: 'del'; keys: string[] }
  | { t: 'flush'; prefix: string }
  | { t: 'snap'; items: [string, string, number | null][] };

class CacheState implements JournalState<Entry> {
  items = new Map<string, Item>();
  constructor(private readonly now: () => number) {}
  reset() {
    this.items = new Map();
  }
  snapshot(): Entry {
    const now = this.now();
    return {
      t: 'snap',
      items: [...this.items]
        .filter(([, [, exp]]) => exp === null || exp > now)
        .map(([k, [v, exp]]) => [k, v, exp]),
    };
  }
  apply(entry: Entry) {
    if (entry.t === 'set' || entry.t === 'snap')
      for (const [k, v, exp] of entry.items) this.items.set(k, [v, exp]);
    else if (entry.t === 'del') for (const k of entry.keys) this.items.delete(k);
    else for (const k of [...this.items.keys()]) if (k.startsWith(entry.prefix)) this.items.delete(k);
  }
  /** The live item, or undefined when missing or expired. */
  live(key: string): Item | undefined {
    const item = this.items.get(key);
    return item && (item[1] === null || item[1] > this.now()) ? item : undefined;
  }
}

const INTEGER = /^-?\d+$/;

/**
 * The cache in a journal file (`cache.journal` in the data directory): the same semantics as
 * Redis, TTLs included (expiry times are absolute, so they survive restarts), safe for several
 * processes, crash-safe. Expired keys read as missing and are dropped at compaction.
 */
export class FileCacheBackend implements CacheBackend {
  readonly kind = 'file' as const;
  readonly location: string;
  private readonly state: CacheState;
  private readonly journal: Journal<Entry>;

  constructor(
    dir: string,
    readonly namespace: string,
    options: JournalOptions & { now?: () => number } = {},
  ) {
    const now = options.now ?? Date.now;
    this.state = new CacheState(now);
    this.journal = new Journal(join(dir, 'cache.journal'), this.state, options);
    this.location = dir;
    this.now = now;
  }

  private readonly now: () => number;

  private k(key: string) {
    return this.namespace + key;
  }

  private read<T>(fn: () => T): T {
    this.journal.refresh();
    return fn();
  }

  async set(
    key: string,
    value: string,
    { ttlMs, condition }: { ttlMs?: number | undefined; condition: SetCondition },
  ) {
    return this.journal.write((append) => {
      const present = this.state.live(this.k(key)) !== undefined;
      if ((condition === 'if_absent' && present) || (condition === 'if_present' && !present)) return false;
      append({ t: 'set', items: [[this.k(key), value, ttlMs === undefined ? null : this.now() + ttlMs]] });
      return true;
    });
  }

  async get(key: string) {
    return this.read(() => {
      const item = this.state.live(this.k(key));
      return item ? { value: item[0], ttlMs: item[1] === null ? null : item[1] - this.now() } : null;
    });
  }

  async delete(keys: readonly string[]) {
    return this.journal.write((append) => {
      const present = [...new Set(keys.map((k) => this.k(k)))].filter(
        (k) => this.state.live(k) !== undefined,
      );
      if (present.length > 0) append({ t: 'del', keys: present });
      return present.length;
    });
  }

  async exists(keys: readonly string[]) {
    return this.read(() => keys.filter((k) => this.state.live(this.k(k)) !== undefined).length);
  }

  async expire(key: string, ttlMs: number) {
    return this.journal.write((append) => {
      const item = this.state.live(this.k(key));
      if (!item) return false;
      append({ t: 'set', items: [[this.k(key), item[0], this.now() + ttlMs]] });
      return true;
    });
  }

  async ttl(key: string) {
    return this.read(() => {
      const item = this.state.live(this.k(key));
      return !item ? -2 : item[1] === null ? -1 : item[1] - this.now();
    });
  }

  async scan(cursor: string, match: string, count: number) {
    return this.read(() => {
      // The cursor is the last full key returned, so keys present for the whole walk are never skipped.
      const after = cursor.startsWith('k:') ? Buffer.from(cursor.slice(2), 'base64url').toString('utf8') : '';
      const glob = parseGlob(match);
      const all = [...this.state.items.keys()]
        .filter((k) => k.startsWith(this.namespace) && k > after)
        .sort();
      const window = all.slice(0, count);
      const keys = window
        .filter((k) => this.state.live(k) !== undefined)
        .map((k) => k.slice(this.namespace.length))
        .filter((k) => matchGlob(glob, k));
      const last = window[window.length - 1];
      return {
        cursor: all.length > count && last ? `k:${Buffer.from(last, 'utf8').toString('base64url')}` : '0',
        keys,
      };
    });
  }

  async mget(keys: readonly string[]) {
    return this.read(() => keys.map((k) => this.state.live(this.k(k))?.[0] ?? null));
  }

  async mset(entries: readonly (readonly [string, string])[], ttlMs?: number) {
    await this.journal.write((append) => {
      const exp = ttlMs === undefined ? null : this.now() + ttlMs;
      append({ t: 'set', items: entries.map(([k, v]) => [this.k(k), v, exp]) });
    });
  }

  async incrBy(key: string, amount: number) {
    return this.journal.write((append) => {
      const item = this.state.live(this.k(key));
      if (item && !INTEGER.test(item[0])) throw new NotAnIntegerError(key);
      const current = item ? Number(item[0]) : 0;
      const next = current + amount;
      if (!Number.isSafeInteger(current) || !Number.isSafeInteger(next))
        throw new IntegerRangeError(key, item ? item[0] : '0', amount);
      append({ t: 'set', items: [[this.k(key), String(next), item ? item[1] : null]] });
      return next;
    });
  }

  async flush() {
    return this.journal.write((append) => {
      const n = [...this.state.items.keys()].filter(
        (k) => k.startsWith(this.namespace) && this.state.live(k) !== undefined,
      ).length;
      append({ t: 'flush', prefix: this.namespace });
      return n;
    });
  }

  async info() {
    return this.read(() => {
      let keys = 0;
      let bytes = 0;
      for (const [k, [v]] of this.state.items) {
        if (!k.startsWith(this.namespace) || this.state.live(k) === undefined) continue;
        keys++;
        bytes += Buffer.byteLength(k) + Buffer.byteLength(v);
      }
      return {
        keys,
        memory_bytes: bytes,
        details: { journal_bytes: this.journal.sizeBytes, path: this.journal.path },
      };
    });
  }

  async ping() {
    const start = performance.now();
    this.journal.refresh();
    return Math.round((performance.now() - start) * 1000) / 1000;
  }

  async close() {
    // Nothing held open between calls.
  }
}
