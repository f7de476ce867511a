import { startRedis, type RedisInstance } from '@org/mcp-core/testing';
import { Redis } from 'ioredis';
import { ClientCache, MAX_COPY_AGE_MS } from './client-cache.js';
import { RedisCacheBackend } from './redis-backend.js';

let redis: RedisInstance;
let other: Redis;
const open: { client: Redis; cache: ClientCache }[] = [];
beforeAll(async () => {
  redis = await startRedis();
  other = new Redis({ port: redis.port, host: '127.0.0.1' });
});
afterAll(async () => {
  for (const { client, cache } of open) {
    cache.close();
    client.disconnect();
  }
  other?.disconnect();
  await redis?.close();
});
beforeEach(async () => {
  await other.flushall();
});

async function setup(maxBytes = 1024 * 1024, options: { username?: string; password?: string } = {}) {
  const client = new Redis({ port: redis.port, host: '127.0.0.1', ...options });
  const cache = new ClientCache(client, maxBytes);
  open.push({ client, cache });
  const backend = new RedisCacheBackend(client, 'cache:', 'test', 0, cache);
  return { client, cache, backend };
}

async function on(cache: ClientCache) {
  await vi.waitFor(() => expect(cache.state).toBe('on'), { timeout: 5000 });
}

/** How many times Redis ran a command since the last CONFIG RESETSTAT. */
async function calls(command: string) {
  const stats = await other.info('commandstats');
  return Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
}

describe('Redis client-side cache', () => {
  it('answers a repeated read without a round trip, missing keys included', async () => {
    const { backend, cache } = await setup();
    await on(cache);
    await backend.set('k', '"v"', { condition: 'always' });
    expect(await backend.get('k')).toEqual({ value: '"v"', ttlMs: null });
    expect(await backend.get('absent')).toBeNull();
    await other.config('RESETSTAT');
    for (let i = 0; i < 20; i++) {
      expect(await backend.get('k')).toEqual({ value: '"v"', ttlMs: null });
      expect(await backend.get('absent')).toBeNull();
    }
    expect(await calls('get')).toBe(0);
    expect(await calls('exec')).toBe(0);
    expect(cache.hits).toBeGreaterThanOrEqual(40);
  });

  it('sees another client’s change, expiry and flush once Redis reports them', async () => {
    const { backend, cache } = await setup();
    await on(cache);
    await backend.set('k', '1', { condition: 'always' });
    expect(await backend.get('k')).toMatchObject({ value: '1' });
    expect(await backend.get('new')).toBeNull();
    await other.set('cache:k', '2');
    await other.set('cache:new', '3');
    await vi.waitFor(async () => expect(await backend.get('k')).toMatchObject({ value: '2' }), {
      timeout: 1000,
    });
    await vi.waitFor(async () => expect(await backend.get('new')).toMatchObject({ value: '3' }), {
      timeout: 1000,
    });
    await other.flushall();
    await vi.waitFor(async () => expect(await backend.get('k')).toBeNull(), { timeout: 1000 });
    expect(await backend.get('new')).toBeNull();
    // A copy keeps the key's TTL as a deadline, and reports what is left of it.
    await other.set('cache:t', '4', 'PX', 300);
    expect(await backend.get('t', true)).toMatchObject({ value: '4' });
    const again = await backend.get('t', true);
    expect(again?.ttlMs).toBeGreaterThan(0);
    expect(again?.ttlMs).toBeLessThanOrEqual(300);
    await new Promise((r) => setTimeout(r, 350));
    expect(await backend.get('t')).toBeNull();
  });

  it('never answers an old value after its own write, even with reads in flight', async () => {
    const { backend, cache } = await setup();
    await on(cache);
    for (let i = 0; i < 200; i++) {
      // A read in flight when the write is sent must not keep the value it read.
      const [, , after] = await Promise.all([
        backend.get('k'),
        backend.set('k', String(i), { condition: 'always' }),
        backend.get('k'),
      ]);
      expect(after).toMatchObject({ value: String(i) });
      await backend.set('j', 'old', { condition: 'always' });
      await Promise.all([backend.get('j'), backend.set('j', 'new', { condition: 'always' })]);
      expect(await backend.get('j')).toMatchObject({ value: 'new' });
      expect(await backend.get('k')).toMatchObject({ value: String(i) });
      if (i % 4 === 1) await backend.incrBy('k', 1000);
      if (i % 4 === 2) await backend.delete(['k']);
      if (i % 4 === 3) await backend.mset([['k', 'x']]);
      const expected = [String(i), String(i + 1000), null, 'x'][i % 4];
      expect((await backend.get('k'))?.value ?? null).toBe(expected);
    }
    await backend.flush();
    expect(await backend.get('k')).toBeNull();
  });

  it('stops serving copies when either connection breaks, and starts again by itself', async () => {
    const { backend, cache, client } = await setup();
    await on(cache);
    await backend.set('k', '1', { condition: 'always' });
    await backend.get('k');
    // The invalidation connection dies: copies are dropped at once, reads go to Redis.
    await other.client('KILL', 'TYPE', 'pubsub');
    await vi.waitFor(() => expect(cache.state).toMatch(/^off/));
    expect(cache.size).toBe(0);
    await other.set('cache:k', '2');
    expect(await backend.get('k')).toMatchObject({ value: '2' });
    await on(cache);
    expect(await backend.get('k')).toMatchObject({ value: '2' });
    expect(await backend.get('k')).toMatchObject({ value: '2' });
    // The main connection dies: same, and tracking is turned on again after ioredis reconnects.
    const id = (await client.client('ID')) as number;
    await other.client('KILL', 'ID', String(id));
    await vi.waitFor(() => expect(cache.state).toMatch(/^off/));
    await vi.waitFor(async () => expect(await backend.get('k')).toMatchObject({ value: '2' }), {
      timeout: 5000,
    });
    await on(cache);
    await other.set('cache:k', '3');
    await vi.waitFor(async () => expect(await backend.get('k')).toMatchObject({ value: '3' }), {
      timeout: 1000,
    });
  });

  it('serves no copy for longer than MAX_COPY_AGE_MS after its read, TTL or not', async () => {
    const { cache } = await setup();
    await on(cache);
    const readAt = (key: string, age: number) => ({
      ...cache.startRead(key)!,
      startedAt: performance.now() - age,
    });
    cache.finishRead(readAt('old', MAX_COPY_AGE_MS + 1), 'v', -1);
    cache.finishRead(readAt('old-ttl', MAX_COPY_AGE_MS + 1), 'v', 10 * MAX_COPY_AGE_MS);
    cache.finishRead(readAt('recent', MAX_COPY_AGE_MS - 5000), 'v', 10 * MAX_COPY_AGE_MS);
    expect(cache.lookup('old')).toBeUndefined();
    expect(cache.lookup('old-ttl')).toBeUndefined();
    const recent = cache.lookup('recent');
    // The TTL shown is the key's own, not the copy's age limit.
    expect(recent?.ttlMs).toBeGreaterThan(9 * MAX_COPY_AGE_MS);
  });

  it('keeps within its size, evicting the least recently used', async () => {
    const { backend, cache } = await setup(8000);
    await on(cache);
    const value = 'x'.repeat(900);
    for (let i = 0; i < 30; i++) await backend.set(`k${i}`, value, { condition: 'always' });
    for (let i = 0; i < 30; i++) {
      await backend.get('k0'); // kept warm
      await backend.get(`k${i}`);
    }
    expect(cache.size).toBeLessThanOrEqual(8);
    await other.config('RESETSTAT');
    await backend.get('k0');
    await backend.get('k29');
    expect(await calls('get')).toBe(0);
    await backend.get('k1');
    expect(await calls('get')).toBe(1);
  });

  it('stays off, with every read going to Redis, where CLIENT is not allowed', async () => {
    await other.acl('SETUSER', 'noclient', 'on', '>secret', '~*', '&*', '+@all', '-client');
    const { backend, cache } = await setup(1024 * 1024, { username: 'noclient', password: 'secret' });
    await vi.waitFor(() => expect(cache.state).toMatch(/^off \(Redis refused it: NOPERM/));
    await backend.set('k', '1', { condition: 'always' });
    await other.set('cache:k', '2');
    expect(await backend.get('k')).toMatchObject({ value: '2' });
    expect((await backend.info()).details).toMatchObject({ client_cache: expect.stringMatching(/^off/) });
  });
});
