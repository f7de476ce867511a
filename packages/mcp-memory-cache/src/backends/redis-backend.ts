import calculateSlot from 'cluster-key-slot';
import type { Cluster, Redis } from 'ioredis';
import type { ClientCache } from './client-cache.js';
import { IntegerRangeError, NotAnIntegerError, type CacheBackend, type SetCondition } from './backend.js';
import { escapeGlob, parseGlob } from './glob.js';

/** Deletes up to ARGV[1] keys of the namespace per call; returns {next cursor, deleted}. */
const FLUSH_STEP = `
local res = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', 500)
local n = 0
for _, k in ipairs(res[2]) do n = n + redis.call('UNLINK', k) end
return {res[1], n}
`;

/**
 * INCRBY within ±(2^53 − 1), as the file backend: {1, result}, {0} for a value that is not an
 * integer, {2, value} when the value or the result would be beyond that range (nothing changed).
 * Lua numbers are doubles, but the bound check is still exact: every integer past 2^53 − 1, and
 * every sum of two safe integers past it, rounds to a double at least 2^53.
 */
const INCR = `
local v = redis.call('GET', KEYS[1])
if v == false then v = '0' end
if not string.match(v, '^-?%d+$') then return {0} end
local n = tonumber(v)
local max = 9007199254740991
local r = n + tonumber(ARGV[1])
if n > max or n < -max or r > max or r < -max then return {2, v} end
return {1, redis.call('INCRBY', KEYS[1], ARGV[1])}
`;

type Client = (Redis | Cluster) & {
  cacheFlushStep(cursor: string, match: string): Promise<[string, number]>;
  cacheIncr(key: string, amount: string): Promise<[0] | [1, number] | [2, string]>;
};

/**
 * The cache on Redis: every key is `namespace + key`; listing uses SCAN with the namespace as a
 * literal prefix of the pattern; bulk operations are pipelined (`mset` is one MULTI/EXEC round
 * trip, atomic on a single Redis). On Redis Cluster, multi-key commands are split per key (sent
 * together) and `mset` runs one MULTI/EXEC per hash slot (atomic per slot); SCAN, flush and info
 * walk every master in turn. With a `ClientCache` (standalone Redis only), reads are served from
 * copies kept in this process while Redis says they are current, and every write drops the
 * copies of its keys before it is sent.
 */
export class RedisCacheBackend implements CacheBackend {
  readonly kind = 'redis' as const;
  private readonly redis: Client;

  constructor(
    redis: Redis | Cluster,
    readonly namespace: string,
    readonly location: string,
    private readonly db: number,
    private readonly copies?: ClientCache,
  ) {
    if (!('cacheFlushStep' in redis))
      redis.defineCommand('cacheFlushStep', { numberOfKeys: 0, lua: FLUSH_STEP });
    if (!('cacheIncr' in redis)) redis.defineCommand('cacheIncr', { numberOfKeys: 1, lua: INCR });
    this.redis = redis as Client;
  }

  private k(key: string): string {
    return this.namespace + key;
  }

  private get cluster(): Cluster | undefined {
    return (this.redis as Cluster).isCluster ? (this.redis as Cluster) : undefined;
  }

  /** The masters of a cluster in a stable order, or the one standalone client. */
  private nodes(): (Redis | Cluster)[] {
    const cluster = this.cluster;
    if (!cluster) return [this.redis];
    return cluster
      .nodes('master')
      .sort((a, b) =>
        `${a.options.host}:${a.options.port}` < `${b.options.host}:${b.options.port}` ? -1 : 1,
      );
  }

  async set(
    key: string,
    value: string,
    { ttlMs, condition }: { ttlMs?: number | undefined; condition: SetCondition },
  ) {
    this.copies?.forget([this.k(key)]);
    const args: (string | number)[] = [this.k(key), value];
    if (ttlMs !== undefined) args.push('PX', ttlMs);
    if (condition === 'if_absent') args.push('NX');
    if (condition === 'if_present') args.push('XX');
    const reply = (await this.redis.call('SET', ...args)) as string | null;
    return reply === 'OK';
  }

  async get(key: string, withTtl = false) {
    const k = this.k(key);
    const hit = this.copies?.lookup(k);
    if (hit) return hit.value === null ? null : { value: hit.value, ttlMs: withTtl ? hit.ttlMs : null };
    const read = this.copies?.startRead(k);
    if (!withTtl && !read) {
      const value = await this.redis.get(k);
      return value === null ? null : { value, ttlMs: null };
    }
    // A kept copy needs the TTL too. Shown to the caller, value and TTL come from one moment
    // (MULTI); for the copy alone a pipeline is enough: a change between the two is reported.
    const both = withTtl ? this.redis.multi() : this.redis.pipeline();
    const results = await both.get(k).pttl(k).exec();
    const failed = results?.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
    const value = results?.[0]?.[1] as string | null;
    const ttl = results?.[1]?.[1] as number;
    this.copies?.finishRead(read, value, ttl);
    return value === null ? null : { value, ttlMs: withTtl && ttl >= 0 ? ttl : null };
  }

  async delete(keys: readonly string[]) {
    this.copies?.forget(keys.map((k) => this.k(k)));
    if (!this.cluster) return this.redis.del(...keys.map((k) => this.k(k)));
    const unique = [...new Set(keys)];
    const counts = await Promise.all(unique.map((k) => this.redis.del(this.k(k))));
    return counts.reduce((a, b) => a + b, 0);
  }

  async exists(keys: readonly string[]) {
    if (!this.cluster) return this.redis.exists(...keys.map((k) => this.k(k)));
    const counts = await Promise.all(keys.map((k) => this.redis.exists(this.k(k))));
    return counts.reduce((a, b) => a + b, 0);
  }

  async expire(key: string, ttlMs: number) {
    this.copies?.forget([this.k(key)]);
    return (await this.redis.pexpire(this.k(key), ttlMs)) === 1;
  }

  async ttl(key: string) {
    return this.redis.pttl(this.k(key));
  }

  async scan(cursor: string, match: string, count: number) {
    parseGlob(match); // a malformed glob is refused here, never sent
    const pattern = escapeGlob(this.namespace) + match;
    if (!this.cluster) {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      return { cursor: next, keys: keys.map((k) => k.slice(this.namespace.length)) };
    }
    // Cluster cursor: "c:<master index>:<that master's cursor>", masters in a stable order.
    const nodes = this.nodes();
    const [, index, nodeCursor] = /^c:(\d+):(\d+)$/.exec(cursor) ?? [null, '0', '0'];
    const i = Number(index);
    if (i >= nodes.length) return { cursor: '0', keys: [] };
    const [next, keys] = await nodes[i]!.scan(nodeCursor!, 'MATCH', pattern, 'COUNT', count);
    const following = next !== '0' ? `c:${i}:${next}` : i + 1 < nodes.length ? `c:${i + 1}:0` : '0';
    return { cursor: following, keys: keys.map((k) => k.slice(this.namespace.length)) };
  }

  async mget(keys: readonly string[]) {
    if (!this.cluster) return this.redis.mget(...keys.map((k) => this.k(k)));
    return Promise.all(keys.map((k) => this.redis.get(this.k(k))));
  }

  async mset(entries: readonly (readonly [string, string])[], ttlMs?: number) {
    this.copies?.forget(entries.map(([key]) => this.k(key)));
    // One MULTI/EXEC, or on a cluster one per hash slot (a transaction cannot span slots).
    const groups = new Map<number, (readonly [string, string])[]>();
    for (const entry of entries) {
      const slot = this.cluster ? calculateSlot(this.k(entry[0])) : 0;
      groups.set(slot, [...(groups.get(slot) ?? []), entry]);
    }
    await Promise.all(
      [...groups.values()].map(async (group) => {
        const multi = this.redis.multi();
        for (const [key, value] of group) {
          if (ttlMs === undefined) multi.set(this.k(key), value);
          else multi.set(this.k(key), value, 'PX', ttlMs);
        }
        const results = await multi.exec();
        const failed = results?.find(([error]) => error);
        if (failed?.[0]) throw failed[0];
      }),
    );
  }

  async incrBy(key: string, amount: number) {
    this.copies?.forget([this.k(key)]);
    let reply: [0] | [1, number] | [2, string];
    try {
      reply = await this.redis.cacheIncr(this.k(key), String(amount));
    } catch (error) {
      if (error instanceof Error && /not an integer|out of range|WRONGTYPE/.test(error.message))
        throw new NotAnIntegerError(key);
      throw error;
    }
    if (reply[0] === 0) throw new NotAnIntegerError(key);
    if (reply[0] === 2) throw new IntegerRangeError(key, reply[1], amount);
    return reply[1];
  }

  async flush() {
    let deleted = 0;
    const match = `${escapeGlob(this.namespace)}*`;
    for (const node of this.nodes()) {
      let cursor = '0';
      do {
        const [next, n] = (await node.eval(FLUSH_STEP, 0, cursor, match)) as [string, number];
        cursor = String(next);
        deleted += Number(n);
      } while (cursor !== '0');
    }
    // Reads made while the flush ran may have kept keys it then deleted.
    this.copies?.forgetAll();
    return deleted;
  }

  async info() {
    const keys: string[] = [];
    for (const node of this.nodes()) {
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(
          cursor,
          'MATCH',
          `${escapeGlob(this.namespace)}*`,
          'COUNT',
          1000,
        );
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0' && keys.length < 100_000);
    }
    // Memory of up to 1,000 keys, extrapolated to the namespace.
    const sample = keys.slice(0, 1000);
    const usages = await Promise.all(
      sample.map((k) => this.redis.memory('USAGE', k) as Promise<number | null>),
    );
    const sampled = usages.reduce<number>((sum, u) => sum + (u ?? 0), 0);
    const memory = sample.length === 0 ? 0 : Math.round((sampled / sample.length) * keys.length);
    const nodes = this.nodes();
    const server = await nodes[0]!.info('server');
    const memoryInfo = await nodes[0]!.info('memory');
    const dbsizes = await Promise.all(nodes.map((n) => n.dbsize()));
    const field = (text: string, name: string) =>
      text.match(new RegExp(`^${name}:(.*)$`, 'm'))?.[1]?.trim() ?? '';
    return {
      keys: keys.length,
      memory_bytes: memory,
      details: {
        database: this.db,
        redis_version: field(server, 'redis_version'),
        uptime_in_days: Number(field(server, 'uptime_in_days') || 0),
        used_memory_human: field(memoryInfo, 'used_memory_human'),
        database_keys: dbsizes.reduce((a, b) => a + Number(b), 0),
        ...(this.cluster ? { cluster_masters: nodes.length } : {}),
        ...(this.copies
          ? {
              client_cache: this.copies.state,
              client_cache_entries: this.copies.size,
              client_cache_hits: this.copies.hits,
              client_cache_misses: this.copies.misses,
            }
          : {}),
        ...(keys.length >= 100_000 ? { note: 'key count stopped at 100,000' } : {}),
      },
    };
  }

  async ping() {
    const start = performance.now();
    await this.redis.ping();
    return Math.round((performance.now() - start) * 1000) / 1000;
  }

  async close() {
    // The connection belongs to its creator.
  }
}
