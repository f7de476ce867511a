import type { Cluster, Redis } from 'ioredis';
import { escapeGlob, NotAnIntegerError, type CacheBackend, type SetCondition } from './backend.js';

/** Deletes up to ARGV[1] keys of the namespace per call; returns {next cursor, deleted}. */
const FLUSH_STEP = `
local res = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', 500)
local n = 0
for _, k in ipairs(res[2]) do n = n + redis.call('UNLINK', k) end
return {res[1], n}
`;

type Client = (Redis | Cluster) & {
  cacheFlushStep(cursor: string, match: string): Promise<[string, number]>;
};

/**
 * The cache on Redis: every key is `namespace + key`; listing uses SCAN with the namespace as a
 * literal prefix of the pattern; bulk operations are pipelined (`mset` is one MULTI/EXEC round
 * trip, atomic on a single Redis; on Redis Cluster keys must share a hash tag for that).
 */
export class RedisCacheBackend implements CacheBackend {
  readonly kind = 'redis' as const;
  private readonly redis: Client;

  constructor(
    redis: Redis | Cluster,
    readonly namespace: string,
    readonly location: string,
    private readonly db: number,
  ) {
    if (!('cacheFlushStep' in redis))
      redis.defineCommand('cacheFlushStep', { numberOfKeys: 0, lua: FLUSH_STEP });
    this.redis = redis as Client;
  }

  private k(key: string): string {
    return this.namespace + key;
  }

  async set(
    key: string,
    value: string,
    { ttlMs, condition }: { ttlMs?: number | undefined; condition: SetCondition },
  ) {
    const args: (string | number)[] = [this.k(key), value];
    if (ttlMs !== undefined) args.push('PX', ttlMs);
    if (condition === 'if_absent') args.push('NX');
    if (condition === 'if_present') args.push('XX');
    const reply = (await this.redis.call('SET', ...args)) as string | null;
    return reply === 'OK';
  }

  async get(key: string, withTtl = false) {
    if (!withTtl) {
      const value = await this.redis.get(this.k(key));
      return value === null ? null : { value, ttlMs: null };
    }
    const results = await this.redis.multi().get(this.k(key)).pttl(this.k(key)).exec();
    const value = results?.[0]?.[1] as string | null;
    const ttl = results?.[1]?.[1] as number;
    if (results?.[0]?.[0]) throw results[0][0];
    return value === null ? null : { value, ttlMs: ttl >= 0 ? ttl : null };
  }

  async delete(keys: readonly string[]) {
    return this.redis.del(...keys.map((k) => this.k(k)));
  }

  async exists(keys: readonly string[]) {
    return this.redis.exists(...keys.map((k) => this.k(k)));
  }

  async expire(key: string, ttlMs: number) {
    return (await this.redis.pexpire(this.k(key), ttlMs)) === 1;
  }

  async ttl(key: string) {
    return this.redis.pttl(this.k(key));
  }

  async scan(cursor: string, match: string, count: number) {
    const [next, keys] = await this.redis.scan(
      cursor,
      'MATCH',
      escapeGlob(this.namespace) + match,
      'COUNT',
      count,
    );
    return { cursor: next, keys: keys.map((k) => k.slice(this.namespace.length)) };
  }

  async mget(keys: readonly string[]) {
    return this.redis.mget(...keys.map((k) => this.k(k)));
  }

  async mset(entries: readonly (readonly [string, string])[], ttlMs?: number) {
    const multi = this.redis.multi();
    for (const [key, value] of entries) {
      if (ttlMs === undefined) multi.set(this.k(key), value);
      else multi.set(this.k(key), value, 'PX', ttlMs);
    }
    const results = await multi.exec();
    const failed = results?.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }

  async incrBy(key: string, amount: number) {
    try {
      return await this.redis.incrby(this.k(key), amount);
    } catch (error) {
      if (error instanceof Error && /not an integer|out of range|WRONGTYPE/.test(error.message))
        throw new NotAnIntegerError(key);
      throw error;
    }
  }

  async flush() {
    let cursor = '0';
    let deleted = 0;
    const match = `${escapeGlob(this.namespace)}*`;
    do {
      const [next, n] = await this.redis.cacheFlushStep(cursor, match);
      cursor = String(next);
      deleted += Number(n);
    } while (cursor !== '0');
    return deleted;
  }

  async info() {
    let cursor = '0';
    const keys: string[] = [];
    do {
      const [next, batch] = await this.redis.scan(
        cursor,
        'MATCH',
        `${escapeGlob(this.namespace)}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0' && keys.length < 100_000);
    // Memory of up to 1,000 keys, extrapolated to the namespace.
    const sample = keys.slice(0, 1000);
    const usages = await Promise.all(
      sample.map((k) => this.redis.memory('USAGE', k) as Promise<number | null>),
    );
    const sampled = usages.reduce<number>((sum, u) => sum + (u ?? 0), 0);
    const memory = sample.length === 0 ? 0 : Math.round((sampled / sample.length) * keys.length);
    const server = await this.redis.info('server');
    const memoryInfo = await this.redis.info('memory');
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
        database_keys: Number(await this.redis.dbsize()),
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
