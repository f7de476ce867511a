// Randomized hostile calls (fixed seed, bounded count) to every cache tool, on both backends: the
// server keeps answering, every answer is a result or a well-formed envelope, and a rejected call
// changes no key or value.
import {
  callTool,
  connectServer,
  makeTempDir,
  removeTempDirs,
  runHostileCalls,
  startRedis,
  type RedisInstance,
} from '@org/mcp-core/testing';
import type { CacheBackend } from './backends/backend.js';
import { server } from './server.js';

afterAll(removeTempDirs);
let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.close();
});

/** Every key and value of the namespace, sorted (TTLs left out: they move by themselves). */
async function contents(cache: CacheBackend): Promise<string> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const page = await cache.scan(cursor, '*', 500);
    keys.push(...page.keys);
    cursor = page.cursor;
  } while (cursor !== '0');
  keys.sort();
  const values = keys.length > 0 ? await cache.mget(keys) : [];
  return JSON.stringify(keys.map((k, i) => [k, values[i]]));
}

describe.each(['file', 'redis'] as const)('hostile calls on the %s backend', (kind) => {
  it('never wedge, crash or half-write the server', { timeout: 120_000 }, async () => {
    const env: Record<string, string> =
      kind === 'file' ? { CACHE_DATA_DIR: makeTempDir('cache-hostile-') } : { REDIS_URL: `${redis.url}/5` };
    const s = await connectServer(server, { ...env, MCP_TOOLSETS: 'all' });
    const keys = ['user:1', 'count', 'ls:a', 'big'];
    for (const [key, value] of [
      ['user:1', '{"name":"a"}'],
      ['count', '41'],
      ['ls:a', 'x'],
      ['big', 'y'.repeat(5000)],
    ] as const) {
      const set = await callTool(s.client, 'cache_set', { key, value });
      if (!set.ok) throw new Error(set.text);
    }
    const report = await runHostileCalls(s.client, {
      seed: 18,
      callsPerTool: 30,
      known: { key: keys, keys: [keys.slice(0, 2), keys], pattern: ['*', 'user:*', 'l?:[a-c]'] },
      snapshot: () => contents(s.deps.cache),
    });
    await s.close();
    expect(report.problems).toEqual([]);
    expect(report.calls).toBeGreaterThan(400);
    expect(report.types['validation']).toBeGreaterThan(100);
    expect(report.accepted).toBeGreaterThan(30);
  });
});
