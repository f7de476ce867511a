import {
  callTool,
  connectServer,
  startRedis,
  type ServerSession,
  type RedisInstance,
  makeTempDir,
  removeTempDirs,
} from '@org/mcp-core/testing';
import { Redis } from 'ioredis';
import type { Deps } from './deps.js';
import { server } from './server.js';

afterAll(removeTempDirs);

let redis: RedisInstance;
let raw: Redis;
beforeAll(async () => {
  redis = await startRedis();
  raw = new Redis({ port: redis.port, host: '127.0.0.1', db: 3 });
});
afterAll(async () => {
  raw?.disconnect();
  await redis?.close();
});

type Kind = 'file' | 'redis';
const envFor = (kind: Kind, extra: Record<string, string> = {}): Record<string, string> =>
  kind === 'file'
    ? { CACHE_DATA_DIR: makeTempDir('cache-server-'), ...extra }
    : { REDIS_URL: `${redis.url}/3`, ...extra };

type Session = ServerSession<Deps>;
const connect = (env: Record<string, string>): Promise<Session> => connectServer(server, env);

const ALL = [
  'cache_set',
  'cache_get',
  'cache_delete',
  'cache_exists',
  'cache_expire',
  'cache_ttl',
  'cache_keys',
  'cache_scan',
  'cache_mget',
  'cache_mset',
  'cache_incr',
  'cache_decr',
  'cache_flush',
  'cache_info',
  'cache_ping',
];
const READERS = [
  'cache_get',
  'cache_exists',
  'cache_ttl',
  'cache_keys',
  'cache_scan',
  'cache_mget',
  'cache_info',
  'cache_ping',
];

describe.each<Kind>(['file', 'redis'])('memory-cache tools on the %s backend', (kind) => {
  let s: Session;
  beforeEach(async () => {
    if (kind === 'redis') await raw.flushdb();
    s = await connect(envFor(kind));
  });
  afterEach(async () => {
    await s?.close();
  });

  it('lists the 15 tools; read-only hides every writer, flush included', async () => {
    expect((await s.client.listTools()).tools.map((t) => t.name).sort()).toEqual([...ALL].sort());
    const ro = await connect(envFor(kind, { MCP_READ_ONLY: 'true' }));
    expect((await ro.client.listTools()).tools.map((t) => t.name).sort()).toEqual([...READERS].sort());
    expect(await callTool(ro.client, 'cache_flush', { confirm: true })).toMatchObject({
      ok: false,
      error: { type: 'forbidden' },
    });
    await ro.close();
  });

  it('returns every value exactly as it was set, and tells a stored null from a missing key', async () => {
    const values: [string, unknown][] = [
      ['s', '123'],
      ['n', 123],
      ['b', true],
      ['bs', 'true'],
      ['j', { a: [1, '2', null] }],
      ['js', '{"a":1}'],
      ['nul', null],
      ['empty', ''],
    ];
    for (const [key, value] of values)
      expect(await callTool(s.client, 'cache_set', { key, value })).toMatchObject({
        ok: true,
        data: { success: true },
      });
    for (const [key, value] of values)
      expect(await callTool(s.client, 'cache_get', { key })).toMatchObject({
        ok: true,
        data: { key, found: true, value },
      });
    expect(await callTool(s.client, 'cache_get', { key: 'missing' })).toMatchObject({
      ok: true,
      data: { found: false, value: null },
    });
    const mget = await callTool<{ items: { key: string; found: boolean; value: unknown }[] }>(
      s.client,
      'cache_mget',
      { keys: '["n","missing","s","nul"]' },
    );
    expect(mget.ok && mget.data.items).toEqual([
      { key: 'n', found: true, value: 123 },
      { key: 'missing', found: false, value: null },
      { key: 's', found: true, value: '123' },
      { key: 'nul', found: true, value: null },
    ]);
  });

  it('TTLs, conditions, counters and bulk sets', async () => {
    const c = s.client;
    expect(
      await callTool(c, 'cache_set', { key: 'lock', value: 'me', ttl: 60, condition: 'if_absent' }),
    ).toMatchObject({ ok: true, data: { success: true, ttl: 60 } });
    expect(
      await callTool(c, 'cache_set', { key: 'lock', value: 'you', condition: 'if_absent' }),
    ).toMatchObject({ ok: true, data: { success: false } });
    expect(await callTool(c, 'cache_get', { key: 'lock', include_ttl: true })).toMatchObject({
      ok: true,
      data: { value: 'me', ttl: 60 },
    });
    expect(await callTool(c, 'cache_ttl', { key: 'lock' })).toMatchObject({
      ok: true,
      data: { status: 'active', ttl: 60 },
    });
    expect(await callTool(c, 'cache_ttl', { key: 'nope' })).toMatchObject({
      ok: true,
      data: { status: 'not_found', ttl: -2 },
    });
    expect(await callTool(c, 'cache_incr', { key: 'hits' })).toMatchObject({ ok: true, data: { value: 1 } });
    expect(await callTool(c, 'cache_incr', { key: 'hits', amount: 10 })).toMatchObject({
      ok: true,
      data: { value: 11 },
    });
    expect(await callTool(c, 'cache_decr', { key: 'hits', amount: 2 })).toMatchObject({
      ok: true,
      data: { value: 9 },
    });
    expect(await callTool(c, 'cache_get', { key: 'hits' })).toMatchObject({ ok: true, data: { value: 9 } });
    expect(await callTool(c, 'cache_incr', { key: 'lock' })).toMatchObject({
      ok: false,
      error: { type: 'validation', error: 'The value at "lock" is not an integer' },
    });
    expect(await callTool(c, 'cache_mset', { data: '{"m1":1,"m2":"two"}', ttl: 30 })).toMatchObject({
      ok: true,
      data: { keys_set: 2 },
    });
    expect(await callTool(c, 'cache_exists', { keys: ['m1', 'm2', 'm3'] })).toMatchObject({
      ok: true,
      data: { exists: 2, total: 3 },
    });
    expect(await callTool(c, 'cache_expire', { key: 'm1', seconds: 5 })).toMatchObject({
      ok: true,
      data: { success: true },
    });
    expect(await callTool(c, 'cache_delete', { keys: ['m1', 'm2', 'zz'] })).toMatchObject({
      ok: true,
      data: { deleted: 2 },
    });
    expect(await callTool(c, 'cache_ping')).toMatchObject({
      ok: true,
      data: { success: true, backend: kind },
    });
    expect(await callTool(c, 'cache_info')).toMatchObject({
      ok: true,
      data: { backend: kind, namespace: 'cache:', keys: 2 },
    });
  });

  it('cache_incr past 2^53 − 1 is a validation error, the same on both backends, and changes nothing', async () => {
    const c = s.client;
    const max = Number.MAX_SAFE_INTEGER;
    await callTool(c, 'cache_set', { key: 'n', value: max });
    // Redis used to answer 9007199254740992 as a success (2^53 − 1 + 2 rounded to a double).
    expect(await callTool(c, 'cache_incr', { key: 'n', amount: 2 })).toMatchObject({
      ok: false,
      error: {
        type: 'validation',
        retryable: false,
        error: `Adding 2 to "n" (${max}) would leave the range of exact integers, ±${max}; nothing was changed`,
      },
    });
    expect(await callTool(c, 'cache_get', { key: 'n' })).toMatchObject({ ok: true, data: { value: max } });
    expect(await callTool(c, 'cache_decr', { key: 'n', amount: max })).toMatchObject({
      ok: true,
      data: { value: 0 },
    });
    await callTool(c, 'cache_set', { key: 'm', value: -max });
    expect(await callTool(c, 'cache_decr', { key: 'm' })).toMatchObject({
      ok: false,
      error: { type: 'validation' },
    });
  });

  it('a __proto__ key in cache_mset is refused, not dropped while reporting success; nested, it is data', async () => {
    const c = s.client;
    const data = JSON.parse('{"a":1,"__proto__":{"polluted":true},"b":2,"c":3}') as Record<string, unknown>;
    // Before: keys_set 3 and success, the __proto__ entry silently lost.
    expect(await callTool(c, 'cache_mset', { data })).toMatchObject({
      ok: false,
      error: { type: 'validation', error: expect.stringContaining('"__proto__"') },
    });
    expect(await callTool(c, 'cache_mset', { data: JSON.stringify(data) })).toMatchObject({
      ok: false,
      error: { type: 'validation' },
    });
    expect(await callTool(c, 'cache_exists', { keys: ['a', 'b', 'c'] })).toMatchObject({
      ok: true,
      data: { exists: 0 },
    });
    expect(await callTool(c, 'cache_set', { key: '__proto__', value: 'as a key' })).toMatchObject({
      ok: true,
    });
    expect(await callTool(c, 'cache_get', { key: '__proto__' })).toMatchObject({
      ok: true,
      data: { found: true, value: 'as a key' },
    });
    const nested = JSON.parse('{"inner":{"__proto__":{"x":1},"y":2}}') as Record<string, unknown>;
    expect(await callTool(c, 'cache_mset', { data: { n: nested } })).toMatchObject({
      ok: true,
      data: { keys_set: 1 },
    });
    const got = await callTool<{ value: unknown }>(c, 'cache_get', { key: 'n' });
    expect(got.ok && JSON.stringify(got.data.value)).toBe(JSON.stringify(nested));
  });

  it('keys with lone surrogates are refused, so two of them can never collide (Redis used to mix them up)', async () => {
    const c = s.client;
    for (const key of ['ls:\ud800', 'ls:\udbff']) {
      expect(await callTool(c, 'cache_set', { key, value: key.charCodeAt(3) })).toMatchObject({
        ok: false,
        error: { type: 'validation' },
      });
      expect(await callTool(c, 'cache_get', { key })).toMatchObject({
        ok: false,
        error: { type: 'validation' },
      });
    }
    expect(await callTool(c, 'cache_mset', { data: { 'ls:\ud800': 1, ok: 2 } })).toMatchObject({
      ok: false,
      error: { type: 'validation' },
    });
    expect(await callTool(c, 'cache_exists', { keys: ['ok'] })).toMatchObject({
      ok: true,
      data: { exists: 0 },
    });
    expect(await callTool(c, 'cache_set', { key: 'ls:😀', value: 1 })).toMatchObject({ ok: true });
  });

  it('lists with SCAN within the budget and pages through every key', async () => {
    const c = s.client;
    const data = Object.fromEntries(
      Array.from({ length: 700 }, (_, i) => [`item:${String(i).padStart(4, '0')}:${'x'.repeat(40)}`, i]),
    );
    expect(await callTool(c, 'cache_mset', { data })).toMatchObject({ ok: true, data: { keys_set: 700 } });
    await callTool(c, 'cache_set', { key: 'other', value: 1 });
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await c.callTool({
        name: 'cache_keys',
        arguments: { pattern: 'item:*', limit: 1000, ...(cursor ? { cursor } : {}) },
      });
      expect((r.content as { text: string }[])[0]!.text.length).toBeLessThan(20_500);
      const page = r.structuredContent as { keys: string[]; next_cursor?: string; truncated: boolean };
      page.keys.forEach((k) => seen.add(k));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(seen.size).toBe(700);
    expect(pages).toBeGreaterThan(1);
    expect(await callTool(c, 'cache_keys', { pattern: 'oth*' })).toMatchObject({
      ok: true,
      data: { keys: ['other'], truncated: false },
    });
    const step = await callTool<{ cursor: string; complete: boolean; keys: string[] }>(c, 'cache_scan', {
      cursor: 0,
      match: 'item:*',
      count: 50,
    });
    expect(step.ok && step.data.complete).toBe(false);
  });

  it('flush needs confirmation and removes only the namespace', async () => {
    const c = s.client;
    if (kind === 'redis') await raw.set('goal_agent:{goal_agent:GOAL-0001}:goal', 'precious');
    const neighbour = await connect({
      ...envFor(kind),
      ...(kind === 'file' ? { CACHE_DATA_DIR: s.deps.cache.location } : {}),
      CACHE_NAMESPACE: 'other:',
    });
    await callTool(neighbour.client, 'cache_set', { key: 'keep', value: 1 });
    await callTool(c, 'cache_mset', { data: { a: 1, b: 2 } });
    expect(await callTool(c, 'cache_flush', {})).toMatchObject({ ok: false, error: { type: 'validation' } });
    expect(await callTool(c, 'cache_flush', { confirm: 'yes' })).toMatchObject({
      ok: false,
      error: { type: 'validation' },
    });
    expect(await callTool(c, 'cache_flush', { confirm: true })).toMatchObject({
      ok: true,
      data: { deleted: 2, namespace: 'cache:' },
    });
    expect(await callTool(neighbour.client, 'cache_get', { key: 'keep' })).toMatchObject({
      ok: true,
      data: { found: true },
    });
    if (kind === 'redis') expect(await raw.get('goal_agent:{goal_agent:GOAL-0001}:goal')).toBe('precious');
    await neighbour.close();
  });

  it('answers bad input with the envelope', async () => {
    const c = s.client;
    const big = 'x'.repeat(1024 * 1024);
    const cases: [string, Record<string, unknown>, string][] = [
      ['cache_set', { key: '', value: 1 }, 'validation'],
      ['cache_set', { key: 'k' }, 'validation'],
      ['cache_set', { key: 'k', value: 1, ttl: 0 }, 'validation'],
      ['cache_set', { key: 'k', value: big }, 'validation'],
      ['cache_delete', { keys: '[]' }, 'validation'],
      ['cache_delete', { keys: 'abc' }, 'validation'],
      ['cache_mset', { data: '{}' }, 'validation'],
      ['cache_mset', { data: '[1,2]' }, 'validation'],
      ['cache_incr', { key: 'k', amount: 0 }, 'validation'],
      ['cache_decr', { key: 'k', amount: -1 }, 'validation'],
      ['cache_scan', { cursor: -1 }, 'validation'],
      ['cache_scan', { cursor: 'garbage' }, 'validation'],
      ['cache_keys', { cursor: 'garbage' }, 'validation'],
      ['cache_expire', { key: 'k', seconds: 0 }, 'validation'],
      ['cache_keys', { pattern: '[z-a]' }, 'validation'],
      ['cache_keys', { pattern: 'user:[ab' }, 'validation'],
      ['cache_scan', { match: '[]' }, 'validation'],
    ];
    for (const [name, args, type] of cases) {
      expect(await callTool(c, name, args), `${name} ${JSON.stringify(args).slice(0, 60)}`).toMatchObject({
        ok: false,
        error: { type },
      });
    }
    expect(await callTool(c, 'cache_get', { key: 'k' })).toMatchObject({ ok: true, data: { found: false } });
  });
});

describe('redis bulk operations', () => {
  it('cache_mset of 1,000 keys is one MULTI/EXEC written to the socket in one go', async () => {
    await raw.flushdb();
    const s = await connect(envFor('redis'));
    try {
      await callTool(s.client, 'cache_ping');
      const client = s.deps.redisConnection()!.client as Redis;
      let writes = 0;
      const stream = (client as unknown as { stream: { write: (...a: unknown[]) => boolean } }).stream;
      const original = stream.write.bind(stream);
      stream.write = (...a: unknown[]) => {
        writes++;
        return original(...a);
      };
      const data = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`bulk:${i}`, i]));
      expect(await callTool(s.client, 'cache_mset', { data })).toMatchObject({
        ok: true,
        data: { keys_set: 1000 },
      });
      stream.write = original;
      expect(writes).toBe(1);
      expect(await raw.dbsize()).toBe(1000);
    } finally {
      await s.close();
    }
  });
});

describe('redis client-side cache through the tools', () => {
  it('answers repeated cache_get from its copy, sees other clients’ writes, and reports itself in cache_info', async () => {
    await raw.flushdb();
    const s = await connect(envFor('redis'));
    try {
      await vi.waitFor(async () =>
        expect(await callTool(s.client, 'cache_info')).toMatchObject({
          data: { details: { client_cache: 'on' } },
        }),
      );
      await callTool(s.client, 'cache_set', { key: 'k', value: { n: 1 }, ttl: 60 });
      for (let i = 0; i < 5; i++)
        expect(await callTool(s.client, 'cache_get', { key: 'k', include_ttl: true })).toMatchObject({
          ok: true,
          data: { found: true, value: { n: 1 }, ttl: expect.any(Number) },
        });
      await raw.set('cache:k', '{"n":2}');
      await vi.waitFor(
        async () =>
          expect(await callTool(s.client, 'cache_get', { key: 'k' })).toMatchObject({
            data: { value: { n: 2 } },
          }),
        { timeout: 1000 },
      );
      const info = await callTool<{ details: Record<string, unknown> }>(s.client, 'cache_info');
      expect(info).toMatchObject({ data: { details: { client_cache: 'on', client_cache_entries: 1 } } });
      expect(info.ok && info.data.details.client_cache_hits).toBeGreaterThanOrEqual(4);
    } finally {
      await s.close();
    }
  });

  it('--check reports its state', async () => {
    const s = await connect(envFor('redis'));
    try {
      expect(await s.deps.check?.()).toEqual([
        { name: 'redis backend', ok: true, detail: expect.stringContaining('answers') },
        { name: 'redis client-side cache', ok: true, detail: 'on' },
      ]);
    } finally {
      await s.close();
    }
  });

  it('CACHE_CLIENT_CACHE_MB=0 turns it off', async () => {
    const s = await connect(envFor('redis', { CACHE_CLIENT_CACHE_MB: '0' }));
    try {
      const info = await callTool<{ details: Record<string, unknown> }>(s.client, 'cache_info');
      expect(info.ok && info.data.details).toMatchObject({ database: 3 });
      expect(info.ok && info.data.details).not.toHaveProperty('client_cache');
    } finally {
      await s.close();
    }
  });
});
