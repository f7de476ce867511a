import type { Logger } from '@org/mcp-core';
import type { Redis } from 'ioredis';

interface Entry {
  /** null: the key was missing. */
  value: string | null;
  /** performance.now() after which the copy is not served. */
  expiresAt: number;
  /** performance.now() when the key's TTL runs out; Infinity without one. */
  keyExpiresAt: number;
  size: number;
}

/** A read in flight: its result is kept only if nothing touched the key meanwhile. */
export interface PendingRead {
  key: string;
  id: number;
  epoch: number;
  startedAt: number;
}

const UNSUPPORTED = /unknown (sub)?command|NOPERM|not allowed|unknown option/i;

/**
 * Longest a copy is served without asking Redis again: a bound on staleness should an
 * invalidation ever be lost without either connection noticing (a silent network partition).
 */
export const MAX_COPY_AGE_MS = 60_000;

/**
 * Values read through one Redis connection, kept in this process (Redis's server-assisted
 * client-side caching, RESP2 form): the connection reads with CLIENT TRACKING on, so Redis
 * remembers the keys it read and sends their names to a second, subscribed connection when
 * anything changes them (another client, expiry, eviction, FLUSHDB). A read of a kept key then
 * needs no round trip. Correctness rules:
 * - copies are served only while both connections are up and tracking is on; any break drops
 *   every copy before the next read (invalidations may have been lost);
 * - the caller drops a key before sending its own write of it, so reading after writing never
 *   sees the old value (Redis's own invalidation for it arrives later, on the other socket);
 * - a read's result is kept only if no invalidation or write of its key arrived while it was in
 *   flight, and no break happened (the epoch);
 * - a TTL is kept as a local deadline from the moment the read was sent, so a copy never
 *   outlives the key (Redis expires lazily and may tell us late); no copy is served for more than
 *   MAX_COPY_AGE_MS after its read.
 * Another client's write is seen once its invalidation arrives (one socket hop after the write).
 * One instance per connection: tracking redirects to one subscriber.
 */
export class ClientCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, number>();
  private bytes = 0;
  private seq = 0;
  private epoch = 0;
  private enabled = false;
  private starting = false;
  private closed = false;
  private subscriber: Redis | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  /** Why copies are not served, while they are not. */
  private reason = 'connecting';
  private settle!: () => void;
  /** Resolves once the first attempt to turn tracking on has ended, however it ended. */
  readonly settled = new Promise<void>((resolve) => (this.settle = resolve));
  hits = 0;
  misses = 0;

  constructor(
    private readonly main: Redis,
    private readonly maxBytes: number,
    private readonly logger?: Logger,
  ) {
    main.on('close', this.onMainClose);
    main.on('ready', this.onMainReady);
    if (main.status === 'ready') void this.start();
  }

  /** `on`, or `off (why)`. */
  get state(): string {
    return this.enabled ? 'on' : `off (${this.reason})`;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The kept copy of a key (value null: known missing) with its remaining TTL, if any. */
  lookup(key: string): { value: string | null; ttlMs: number | null } | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    const now = performance.now();
    if (now >= entry.expiresAt) {
      this.remove(key);
      this.misses++;
      return undefined;
    }
    // Most recently used last: eviction takes from the front.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits++;
    const ttlMs = entry.keyExpiresAt === Infinity ? null : Math.floor(entry.keyExpiresAt - now);
    return { value: entry.value, ttlMs };
  }

  /** Call just before sending the read whose result `finishRead` may keep. */
  startRead(key: string): PendingRead | undefined {
    if (!this.enabled) return undefined;
    const id = ++this.seq;
    this.inFlight.set(key, id);
    return { key, id, epoch: this.epoch, startedAt: performance.now() };
  }

  /** Keeps a read's result (`pttlMs` as PTTL answers: -2 missing, -1 no expiry). */
  finishRead(read: PendingRead | undefined, value: string | null, pttlMs: number): void {
    if (!read || read.epoch !== this.epoch || this.inFlight.get(read.key) !== read.id) return;
    this.inFlight.delete(read.key);
    const size = read.key.length + (value?.length ?? 0);
    if (size > this.maxBytes / 8) return;
    const keyExpiresAt = pttlMs >= 0 ? read.startedAt + pttlMs : Infinity;
    const expiresAt = Math.min(keyExpiresAt, read.startedAt + MAX_COPY_AGE_MS);
    this.remove(read.key);
    this.entries.set(read.key, { value, expiresAt, keyExpiresAt, size });
    this.bytes += size;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest);
    }
  }

  /** Drops keys about to be written by this process (call before sending the write). */
  forget(keys: Iterable<string>): void {
    for (const key of keys) {
      this.remove(key);
      this.inFlight.delete(key);
    }
  }

  /** Drops every copy (a write whose keys are not known in advance, such as a flush). */
  forgetAll(): void {
    this.entries.clear();
    this.inFlight.clear();
    this.bytes = 0;
  }

  close(): void {
    this.closed = true;
    this.main.off('close', this.onMainClose);
    this.main.off('ready', this.onMainReady);
    clearTimeout(this.retry);
    this.stop('closed');
    this.settle();
  }

  private remove(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.size;
  }

  private readonly onMainClose = () => this.stop('redis connection lost');
  private readonly onMainReady = () => void this.start();

  /** Stops serving copies and drops them all: invalidations may be missed from here on. */
  private stop(reason: string) {
    this.enabled = false;
    this.reason = reason;
    this.epoch++;
    this.forgetAll();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    subscriber?.disconnect();
  }

  private invalidate(keys: unknown) {
    // RESP2 redirect: the message is the array of key names, or nil when the whole db was flushed.
    if (keys === null || keys === undefined) this.forgetAll();
    else if (Array.isArray(keys)) this.forget(keys.map(String));
    else this.forget([String(keys)]);
  }

  /** Opens the invalidation connection and turns tracking on; serves copies once both are in place. */
  private async start() {
    if (this.closed || this.starting || this.enabled) return;
    this.starting = true;
    clearTimeout(this.retry);
    const subscriber = this.main.duplicate({
      lazyConnect: true,
      enableOfflineQueue: false,
      autoResubscribe: false,
      retryStrategy: () => null,
      connectionName: 'mcp-memory-cache:invalidations',
    });
    subscriber.on('error', () => undefined); // a lost connection shows as 'close'
    try {
      await subscriber.connect();
      const id = (await subscriber.client('ID')) as number;
      subscriber.on('messageBuffer', (_channel: Buffer, keys: unknown) => this.invalidate(keys));
      await subscriber.subscribe('__redis__:invalidate');
      this.subscriber = subscriber;
      subscriber.once('close', () => {
        if (this.subscriber !== subscriber) return;
        this.stop('invalidation connection lost');
        this.scheduleStart();
      });
      await this.main.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(id));
      if (this.subscriber !== subscriber || subscriber.status !== 'ready' || this.main.status !== 'ready')
        throw new Error('connection lost while starting');
      this.epoch++;
      this.enabled = true;
      this.logger?.debug('redis client-side cache on');
    } catch (error) {
      if (this.subscriber === subscriber) this.subscriber = undefined;
      subscriber.disconnect();
      const message = (error as Error).message;
      if (UNSUPPORTED.test(message)) {
        // Redis before 6, or CLIENT not allowed: every read goes to Redis.
        this.closed = true;
        this.reason = `Redis refused it: ${message}`;
        this.logger?.info(`redis client-side cache off: ${message}`);
      } else {
        this.reason = message;
        this.scheduleStart();
      }
    } finally {
      this.starting = false;
      this.settle();
    }
  }

  private scheduleStart() {
    // A broken main connection restarts us on its 'ready'; otherwise try again shortly.
    if (this.closed || this.main.status !== 'ready') return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.start(), 1000);
    this.retry.unref();
  }
}
