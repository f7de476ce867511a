import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  callTool,
  spawnStdioServer,
  startRedis,
  type RedisInstance,
  type SpawnedServer,
  makeTempDir,
  removeTempDirs,
} from '@org/mcp-core/testing';

afterAll(removeTempDirs);

const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));
const spawn = (env: Record<string, string>): Promise<SpawnedServer> =>
  spawnStdioServer({ command: process.execPath, args: [bin], env: { PATH: process.env['PATH'], ...env } });

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis({ persist: true });
});
afterAll(async () => {
  await redis?.close();
});

describe('the built bin over stdio', () => {
  it('--help lists the cache and Redis variables', () => {
    const help = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    for (const name of [
      'CACHE_NAMESPACE',
      'CACHE_MAX_VALUE_BYTES',
      'CACHE_DEFAULT_TTL_SECONDS',
      'CACHE_CLIENT_CACHE_MB',
      'REDIS_URL',
      'REDIS_PASSWORD',
    ])
      expect(help).toContain(name);
  });

  it('the file backend keeps values and TTLs across a restart', async () => {
    const env = { CACHE_DATA_DIR: makeTempDir('cache-bin-') };
    const first = await spawn(env);
    await callTool(first.client, 'cache_set', { key: 'kept', value: { a: 1 } });
    await callTool(first.client, 'cache_set', { key: 'ttl', value: 'x', ttl: 3600 });
    await callTool(first.client, 'cache_set', { key: 'gone', value: 'x', ttl: 1 });
    expect(await first.close()).toBe(0);
    expect(first.nonProtocolLines).toEqual([]);
    await new Promise((r) => setTimeout(r, 1100));
    const second = await spawn(env);
    expect(await callTool(second.client, 'cache_get', { key: 'kept' })).toMatchObject({
      ok: true,
      data: { value: { a: 1 } },
    });
    const ttl = await callTool<{ ttl: number }>(second.client, 'cache_ttl', { key: 'ttl' });
    expect(ttl.ok && ttl.data.ttl).toBeGreaterThan(3500);
    expect(await callTool(second.client, 'cache_get', { key: 'gone' })).toMatchObject({
      ok: true,
      data: { found: false },
    });
    expect(await second.close()).toBe(0);
  });

  it('a glob with many stars is answered at once on the file backend, and the server keeps answering', async () => {
    const dir = makeTempDir('cache-bin-glob-');
    const server = await spawn({ CACHE_DATA_DIR: dir });
    try {
      await callTool(server.client, 'cache_mset', {
        data: { [`${'a'.repeat(64)}`]: 1, [`${'a'.repeat(63)}b`]: 2 },
      });
      const pattern = '*a*a*a*a*a*a*a*a*a*a*a*a*b';
      const started = performance.now();
      // Before the fix this call never answered (a backtracking regular expression per key).
      const r = await server.client.callTool({ name: 'cache_keys', arguments: { pattern } }, undefined, {
        timeout: 10_000,
      });
      const ms = performance.now() - started;
      expect(r.structuredContent).toMatchObject({ keys: [`${'a'.repeat(63)}b`], truncated: false });
      expect(ms).toBeLessThan(5_000);
      expect(await callTool(server.client, 'cache_ping')).toMatchObject({ ok: true });
    } finally {
      expect(await server.close()).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('survives Redis going away: unavailable while down, back by itself, acknowledged writes kept', async () => {
    const server = await spawn({ REDIS_URL: redis.url });
    try {
      const acknowledged: string[] = [];
      let outage = false;
      for (let i = 0; i < 30; i++) {
        if (i === 10) await redis.kill();
        if (i === 20) await redis.start();
        const r = await callTool(server.client, 'cache_set', { key: `w${i}`, value: i });
        // A copy of w0 (read before the outage) is not served while Redis is away.
        const read = await callTool(server.client, 'cache_get', { key: 'w0' });
        if (i < 10) expect(read).toMatchObject({ ok: true, data: { value: 0 } });
        // While Redis is down (from i = 20 it is back, and the read may already succeed).
        if (!r.ok && i < 20) expect(read).toMatchObject({ ok: false, error: { type: 'unavailable' } });
        if (r.ok) acknowledged.push(`w${i}`);
        else {
          expect(r.error).toMatchObject({ type: 'unavailable', retryable: true });
          outage = true;
          if (i >= 20) await new Promise((res) => setTimeout(res, 300));
        }
      }
      expect(outage).toBe(true);
      let back = false;
      for (let k = 0; k < 50 && !back; k++) {
        back = (await callTool(server.client, 'cache_ping')).ok;
        if (!back) await new Promise((res) => setTimeout(res, 200));
      }
      expect(back).toBe(true);
      const mget = await callTool<{ items: { found: boolean }[] }>(server.client, 'cache_mget', {
        keys: acknowledged,
      });
      expect(mget.ok && mget.data.items.every((i) => i.found)).toBe(true);
      expect(acknowledged.length).toBeGreaterThanOrEqual(10);
      expect(server.child.exitCode).toBeNull();
    } finally {
      await redis.start().catch(() => undefined);
      expect(await server.close()).toBe(0);
    }
  });
});
