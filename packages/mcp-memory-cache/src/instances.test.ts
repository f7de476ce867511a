import { fileURLToPath } from 'node:url';
import {
  callTool,
  connectHttp,
  startInstances,
  type BalancedInstances,
  type ConnectedClient,
} from '@org/mcp-core/testing';

// Three instances over HTTP behind a round-robin balancer on one Redis behave as one cache.
const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));
let deployed: BalancedInstances | undefined;
const clients: ConnectedClient[] = [];

beforeAll(async () => {
  deployed = await startInstances(bin);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await deployed?.close();
});

/** A call that, like a client behind a balancer, retries on a transport failure (502, reset). */
async function withRetry<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

async function readEverywhere(key: string): Promise<unknown[]> {
  return Promise.all(
    deployed!.instances
      .filter((i) => i.child.exitCode === null && i.child.signalCode === null)
      .map(async (i) => {
        const c = await connectHttp(i.url);
        const r = await callTool<{ value: unknown }>(c.client, 'cache_get', { key });
        await c.close();
        return r.ok ? r.data.value : r;
      }),
  );
}

describe('three memory-cache instances behind a balancer on one Redis', () => {
  it('counters incremented through every instance add up; every acknowledged write is there', async () => {
    const url = deployed!.url;
    for (let i = 0; i < 6; i++) clients.push(await connectHttp(url));
    let acknowledged = 0;
    await Promise.all(
      clients.map(async (c, n) => {
        for (let i = 0; i < 30; i++) {
          const r = await callTool(c.client, 'cache_incr', { key: 'hits' });
          if (r.ok) acknowledged++;
          await callTool(c.client, 'cache_set', { key: `k:${n}:${i}`, value: { n, i } });
        }
      }),
    );
    expect(acknowledged).toBe(180);
    expect(deployed!.balancer.counts().every((count) => count > 100)).toBe(true);
    await vi.waitFor(async () => expect(await readEverywhere('hits')).toEqual([180, 180, 180]));
    const keys = await callTool<{ keys: string[] }>(clients[0]!.client, 'cache_keys', {
      pattern: 'k:*',
      limit: 1000,
    });
    expect(keys.ok && keys.data.keys.length).toBe(180);
  });

  it('one instance killed mid-run: clients retrying on the others lose nothing acknowledged', async () => {
    let acknowledged = 0;
    let attempted = 0;
    const written: string[] = [];
    const run = Promise.all(
      clients.map(async (c, n) => {
        for (let i = 0; i < 40; i++) {
          attempted++;
          const r = await withRetry(() => callTool(c.client, 'cache_incr', { key: 'hits2' })).catch(
            () => undefined,
          );
          if (r?.ok) acknowledged++;
          const key = `after:${n}:${i}`;
          const set = await withRetry(() => callTool(c.client, 'cache_set', { key, value: i })).catch(
            () => undefined,
          );
          if (set?.ok) written.push(key);
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    deployed!.instances[1]!.child.kill('SIGKILL');
    await run;
    expect(deployed!.instances[1]!.child.signalCode).toBe('SIGKILL');
    // An increment cut off after Redis applied it may be applied and then retried: at least
    // every acknowledged one, at most one per attempt and retry.
    const [value] = await readEverywhere('hits2');
    expect(acknowledged).toBeGreaterThan(200);
    expect(value as number).toBeGreaterThanOrEqual(acknowledged);
    expect(value as number).toBeLessThanOrEqual(attempted + 5 * clients.length);
    expect(written.length).toBe(240); // every set was acknowledged, after retries
    for (let i = 0; i < written.length; i += 80) {
      const batch = written.slice(i, i + 80);
      const got = await callTool<{ found: number }>(clients[0]!.client, 'cache_mget', { keys: batch });
      expect(got.ok && got.data.found).toBe(batch.length);
    }
  });
});
