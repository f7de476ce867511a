import {
  startRedis,
  startRedisCluster,
  type RedisClusterInstance,
  type RedisInstance,
  makeTempDir,
  removeTempDirs,
} from '@org/mcp-core/testing';
import { Cluster, Redis } from 'ioredis';
import { IntegerRangeError, NotAnIntegerError, type CacheBackend } from './backend.js';
import { ClientCache } from './client-cache.js';
import { FileCacheBackend } from './file-backend.js';
import { RedisCacheBackend } from './redis-backend.js';

afterAll(removeTempDirs);

let redis: RedisInstance;
let cluster: RedisClusterInstance;
let clusterClient: Cluster;
const clients: Redis[] = [];
const copies: ClientCache[] = [];
beforeAll(async () => {
  redis = await startRedis();
  cluster = await startRedisCluster(3);
  clusterClient = new Cluster(cluster.nodes);
});
afterAll(async () => {
  for (const c of copies) c.close();
  for (const c of clients) c.disconnect();
  clusterClient?.disconnect();
  await redis?.close();
  await cluster?.close();
});

let db = 0;
type Make = (
  namespace: string,
) => Promise<{ backend: CacheBackend; sibling: (namespace: string) => CacheBackend }>;
let clusterRound = 0;
const makers: Record<'file' | 'redis' | 'redis cluster' | 'redis + client cache', Make> = {
  async 'redis cluster'(namespace) {
    // Fresh namespaces per case instead of flushing the cluster.
    const round = ++clusterRound;
    const make = (ns: string) => new RedisCacheBackend(clusterClient, `t${round}${ns}`, 'cluster', 0);
    return { backend: make(namespace), sibling: make };
  },
  async file(namespace) {
    const dir = makeTempDir('cache-backend-');
    return { backend: new FileCacheBackend(dir, namespace), sibling: (ns) => new FileCacheBackend(dir, ns) };
  },
  async redis(namespace) {
    const client = new Redis({ port: redis.port, host: '127.0.0.1', db: (db = (db + 1) % 16) });
    clients.push(client);
    await client.flushdb();
    const location = `redis://127.0.0.1:${redis.port}/${db}`;
    return {
      backend: new RedisCacheBackend(client, namespace, location, db),
      sibling: (ns) => new RedisCacheBackend(client, ns, location, db),
    };
  },
  async 'redis + client cache'(namespace) {
    const client = new Redis({ port: redis.port, host: '127.0.0.1', db: (db = (db + 1) % 16) });
    clients.push(client);
    await client.flushdb();
    const cache = new ClientCache(client, 1024 * 1024);
    copies.push(cache);
    await vi.waitFor(() => expect(cache.state).toBe('on'));
    const location = `redis://127.0.0.1:${redis.port}/${db}`;
    // One ClientCache per connection: siblings on the same connection share it.
    return {
      backend: new RedisCacheBackend(client, namespace, location, db, cache),
      sibling: (ns) => new RedisCacheBackend(client, ns, location, db, cache),
    };
  },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(['file', 'redis', 'redis cluster', 'redis + client cache'] as const)(
  '%s cache backend contract',
  (kind) => {
    let backend: CacheBackend;
    let sibling: (namespace: string) => CacheBackend;
    beforeEach(async () => {
      ({ backend, sibling } = await makers[kind]('cache:'));
    });

    it('sets and gets strings exactly, with if_absent and if_present conditions', async () => {
      expect(await backend.set('a', '"123"', { condition: 'always' })).toBe(true);
      expect(await backend.get('a')).toEqual({ value: '"123"', ttlMs: null });
      expect(await backend.get('a')).toEqual({ value: '"123"', ttlMs: null });
      expect(await backend.set('a', '"x"', { condition: 'if_absent' })).toBe(false);
      expect(await backend.set('b', '"x"', { condition: 'if_present' })).toBe(false);
      expect(await backend.set('a', 'null', { condition: 'if_present' })).toBe(true);
      expect(await backend.get('a')).toEqual({ value: 'null', ttlMs: null });
      expect(await backend.get('b')).toBeNull();
      expect(await backend.get('b')).toBeNull();
      expect(await backend.set('b', '2', { condition: 'if_absent' })).toBe(true);
      expect(await backend.get('b')).toEqual({ value: '2', ttlMs: null });
    });

    it('expires values by TTL and reports TTLs', async () => {
      await backend.set('short', '1', { ttlMs: 150, condition: 'always' });
      await backend.set('long', '1', { ttlMs: 60_000, condition: 'always' });
      await backend.set('forever', '1', { condition: 'always' });
      const ttl = await backend.ttl('long');
      expect(ttl).toBeGreaterThan(59_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      expect(await backend.ttl('forever')).toBe(-1);
      expect(await backend.ttl('missing')).toBe(-2);
      expect(await backend.expire('forever', 120_000)).toBe(true);
      expect(await backend.expire('missing', 1000)).toBe(false);
      await sleep(300);
      expect(await backend.get('short')).toBeNull();
      expect(await backend.exists(['short', 'long', 'long'])).toBe(2);
    });

    it('deletes and counts', async () => {
      await backend.mset([
        ['x', '1'],
        ['y', '2'],
      ]);
      expect(await backend.delete(['x', 'y', 'z'])).toBe(2);
      expect(await backend.exists(['x', 'y'])).toBe(0);
    });

    it('mget keeps the order asked; mset sets all with the TTL', async () => {
      await backend.mset(
        [
          ['k1', '"v1"'],
          ['k2', '{"a":[1]}'],
        ],
        60_000,
      );
      expect(await backend.mget(['k2', 'nope', 'k1', 'k2'])).toEqual([
        '{"a":[1]}',
        null,
        '"v1"',
        '{"a":[1]}',
      ]);
      expect(await backend.ttl('k1')).toBeGreaterThan(0);
    });

    it('increments integers only, from 0 for a missing key, keeping the TTL', async () => {
      expect(await backend.incrBy('n', 5)).toBe(5);
      expect(await backend.incrBy('n', -7)).toBe(-2);
      await backend.set('t', '10', { ttlMs: 60_000, condition: 'always' });
      expect(await backend.incrBy('t', 1)).toBe(11);
      expect(await backend.ttl('t')).toBeGreaterThan(0);
      await backend.set('s', '"5"', { condition: 'always' });
      await backend.set('f', '1.5', { condition: 'always' });
      await expect(backend.incrBy('s', 1)).rejects.toBeInstanceOf(NotAnIntegerError);
      await expect(backend.incrBy('f', 1)).rejects.toBeInstanceOf(NotAnIntegerError);
      expect(await backend.get('s')).toMatchObject({ value: '"5"' });
    });

    it('keeps counters within ±(2^53 − 1), refusing the step past it and changing nothing', async () => {
      const max = Number.MAX_SAFE_INTEGER;
      await backend.set('big', String(max - 1), { condition: 'always' });
      expect(await backend.incrBy('big', 1)).toBe(max);
      await expect(backend.incrBy('big', 2)).rejects.toBeInstanceOf(IntegerRangeError);
      await expect(backend.incrBy('big', 1)).rejects.toBeInstanceOf(IntegerRangeError);
      expect(await backend.get('big')).toMatchObject({ value: String(max) });
      await backend.set('low', String(-max), { condition: 'always' });
      await expect(backend.incrBy('low', -1)).rejects.toBeInstanceOf(IntegerRangeError);
      expect(await backend.incrBy('low', max)).toBe(0);
      await backend.set('huge', '123456789012345678901234567890', { condition: 'always' });
      await expect(backend.incrBy('huge', 1)).rejects.toBeInstanceOf(IntegerRangeError);
      await expect(backend.incrBy('missing', max)).resolves.toBe(max);
      await expect(backend.incrBy('missing', 1)).rejects.toBeInstanceOf(IntegerRangeError);
    });

    it('scan walks every key of the namespace exactly once, matching globs, and nothing outside', async () => {
      const other = sibling('goal_agent:');
      await other.set('GOAL-0001', '"not yours"', { condition: 'always' });
      const keys = Array.from({ length: 57 }, (_, i) => `user:${i}`);
      await backend.mset(keys.map((k) => [k, '1'] as const));
      await backend.set('other', '1', { condition: 'always' });
      const seen: string[] = [];
      let cursor = '0';
      do {
        const step = await backend.scan(cursor, 'user:*', 7);
        seen.push(...step.keys);
        cursor = step.cursor;
      } while (cursor !== '0');
      expect([...new Set(seen)].sort()).toEqual([...keys].sort());
      const all: string[] = [];
      cursor = '0';
      do {
        const step = await backend.scan(cursor, '*', 1000);
        all.push(...step.keys);
        cursor = step.cursor;
      } while (cursor !== '0');
      expect(all).not.toContain('GOAL-0001');
      expect(all.some((k) => k.startsWith('goal_agent'))).toBe(false);
    });

    it('keeps crafted keys and patterns inside the namespace', async () => {
      const other = sibling('goal_agent:');
      await other.set('state', '"precious"', { condition: 'always' });
      for (const key of ['../goal_agent:state', '*', 'goal_agent:state', '\\x', '[a]']) {
        await backend.set(key, '"mine"', { condition: 'always' });
        expect(await backend.get(key)).toMatchObject({ value: '"mine"' });
      }
      await backend.delete(['goal_agent:state', '*']);
      expect(await other.get('state')).toMatchObject({ value: '"precious"' });
      const step = await backend.scan('0', 'goal_agent:*', 1000);
      expect(step.keys).toEqual([]);
      expect(await backend.flush()).toBe(3);
      expect(await other.get('state')).toMatchObject({ value: '"precious"' });
    });

    it('flush removes only the namespace; info counts it', async () => {
      const other = sibling('other:');
      await other.set('keep', '1', { condition: 'always' });
      await backend.mset([
        ['a', '"x"'],
        ['b', '"y"'],
      ]);
      const info = await backend.info();
      expect(info.keys).toBe(2);
      expect(info.memory_bytes).toBeGreaterThan(0);
      expect(await backend.flush()).toBe(2);
      expect((await backend.info()).keys).toBe(0);
      expect(await other.get('keep')).not.toBeNull();
      expect(await backend.ping()).toBeGreaterThanOrEqual(0);
    });
  },
);
