import { Redis } from 'ioredis';
import {
  startFakeHttpServer,
  startRedis,
  type FakeHttpServer,
  type RedisInstance,
} from '../testing/index.js';
import { sendJson } from '../testing/http.js';
import { createHttpClient } from './client.js';
import { createPacer, pacingKey } from './pacer.js';
import { sleep } from './sleep.js';

const gaps = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.slice(1).map((t, i) => t - sorted[i]!);
};

describe('sleep', () => {
  it('waits with a timer and rejects with the reason when aborted (at once when already aborted)', async () => {
    const started = performance.now();
    await sleep(60);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    await sleep(0);
    await sleep(-5);
    const controller = new AbortController();
    const waiting = sleep(10_000, controller.signal);
    setTimeout(() => controller.abort(new Error('cancelled')), 20);
    const t = performance.now();
    await expect(waiting).rejects.toThrow('cancelled');
    expect(performance.now() - t).toBeLessThan(2000);
    await expect(sleep(10, controller.signal)).rejects.toThrow('cancelled');
  });
});

describe('createPacer (one process)', () => {
  it('spaces starts by the interval, in call order, without a busy wait', async () => {
    const pace = createPacer(80);
    const cpu = process.cpuUsage();
    const starts: number[] = [];
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        await pace();
        starts.push(performance.now());
        order.push(i);
      }),
    );
    const used = process.cpuUsage(cpu);
    expect(order).toEqual([0, 1, 2, 3]);
    // Each start waits for the one before it actually started, so late timers never bunch two.
    for (const gap of gaps(starts)) expect(gap).toBeGreaterThanOrEqual(78);
    expect((used.user + used.system) / 1000).toBeLessThan(150); // ~240 ms elapsed, mostly idle
  });

  it('a caller cancelled while queued rejects at once and uses no slot', async () => {
    const pace = createPacer(300);
    await pace();
    const controller = new AbortController();
    const cancelled = pace(controller.signal);
    const next = pace();
    const t = performance.now();
    controller.abort(new Error('stop'));
    await expect(cancelled).rejects.toThrow('stop');
    expect(performance.now() - t).toBeLessThan(100);
    await next;
    // The next caller took the cancelled one's slot: one interval, not two.
    expect(performance.now() - t).toBeLessThan(550);
    await expect(pace(controller.signal)).rejects.toThrow('stop');
  });

  it('an interval of 0 never waits', async () => {
    const pace = createPacer(0);
    const t = performance.now();
    await Promise.all(Array.from({ length: 20 }, () => pace()));
    expect(performance.now() - t).toBeLessThan(50);
  });

  it('pacingKey hashes the credential: the token is never in the key', () => {
    const key = pacingKey('GitHub', 'ghp_secret-token-123');
    expect(key).toMatch(/^mcp:pace:github:[0-9a-f]{32}$/);
    expect(key).not.toContain('secret');
    expect(pacingKey('GitHub', 'ghp_secret-token-123')).toBe(key);
    expect(pacingKey('GitHub', 'another')).not.toBe(key);
  });
});

describe('createPacer shared through Redis', () => {
  let redis: RedisInstance;
  let api: FakeHttpServer;
  const clients: Redis[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    api = await startFakeHttpServer((_req, res) => sendJson(res, 200, { ok: true }));
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await api.close();
    await redis.close();
  });
  const connect = () => {
    const c = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    clients.push(c);
    return c;
  };

  it('two clients on one token keep the combined request rate at the limit (unshared: twice); another token is not slowed', async () => {
    const interval = 100;
    const key = pacingKey('acme', 'token-one');
    // Two instances of a server: separate Redis connections, separate HTTP clients.
    const instances = [connect(), connect()].map((c) =>
      createHttpClient({
        baseUrl: api.url,
        vendor: 'Acme',
        pacer: createPacer(interval, { shared: { redis: c, key } }),
      }),
    );
    // Warm up (Redis and HTTP connections open), so the first measured start is not held back.
    for (const http of instances) await http.request({ method: 'GET', path: '/warm' });
    await sleep(interval);
    api.requests.length = 0;
    const t = Date.now();
    await Promise.all(
      instances.flatMap((http, i) =>
        Array.from({ length: 8 }, () => http.request({ method: 'GET', path: `/x/${i}` })),
      ),
    );
    const elapsed = Date.now() - t;
    const starts = api.requests.map((r) => r.at);
    expect(starts).toHaveLength(16);
    expect(new Set(api.requests.map((r) => r.path))).toEqual(new Set(['/x/0', '/x/1']));
    // 16 requests at one per 100 ms take at least 15 intervals; the combined rate stays at the
    // limit (10 a second), with a margin for the jitter of when the fake server reads each one.
    const span = Math.max(...starts) - Math.min(...starts);
    const rate = ((starts.length - 1) / span) * 1000;
    expect(rate).toBeLessThanOrEqual((1000 / interval) * 1.1);
    expect(elapsed).toBeGreaterThanOrEqual(15 * interval - 20);
    // Redis holds the hashed key only, and it expires.
    const keys = await clients[0]!.keys('*');
    expect(keys.every((k) => k.startsWith('mcp:pace:acme:') && !k.includes('token'))).toBe(true);
    expect(await clients[0]!.pttl(key)).toBeGreaterThan(0);

    // Without sharing, the same two instances would each keep the interval alone: twice the rate.
    const local = [0, 1].map(() =>
      createHttpClient({ baseUrl: api.url, vendor: 'Acme', minIntervalMs: interval }),
    );
    const t2 = Date.now();
    await Promise.all(
      local.flatMap((http) => Array.from({ length: 8 }, () => http.request({ method: 'GET', path: '/y' }))),
    );
    expect(Date.now() - t2).toBeLessThan(12 * interval); // about 7 intervals: each paces only itself

    // A different token is its own limit.
    const other = createPacer(interval, {
      shared: { redis: connect(), key: pacingKey('acme', 'token-two') },
    });
    const t3 = performance.now();
    await other();
    expect(performance.now() - t3).toBeLessThan(interval);
  });

  it('when Redis does not answer, paces in the process, says so once, and fails no request', async () => {
    const down = await startRedis();
    const c = new Redis(down.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    c.on('error', () => undefined);
    await c.ping();
    await down.close();
    const told: unknown[] = [];
    const pace = createPacer(60, {
      shared: { redis: c, key: 'mcp:pace:t:x', onUnavailable: (e) => told.push(e) },
    });
    const starts: number[] = [];
    await Promise.all(
      [0, 1, 2].map(async () => {
        await pace();
        starts.push(performance.now());
      }),
    );
    for (const gap of gaps(starts)) expect(gap).toBeGreaterThanOrEqual(58);
    expect(told).toHaveLength(1);
    c.disconnect();
  });

  it('an aborted wait for a shared slot rejects at once', async () => {
    const key = pacingKey('acme', 'abort');
    const pace = createPacer(5000, { shared: { redis: connect(), key } });
    await pace();
    const controller = new AbortController();
    const waiting = pace(controller.signal);
    setTimeout(() => controller.abort(new Error('cancelled')), 30);
    const t = performance.now();
    await expect(waiting).rejects.toThrow('cancelled');
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
