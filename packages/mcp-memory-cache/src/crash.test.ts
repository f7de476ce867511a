// Two server processes on one file backend, SIGKILLed again and again while writing: every
// acknowledged write must be there afterwards, and no cache_mset may be half there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callTool, spawnStdioServer, type SpawnedServer } from '@org/mcp-core/testing';

const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));

/** mulberry32: a small seeded generator, so every run kills at the same moments. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KILLS = 12;
const IN_FLIGHT = 4;

describe('two processes on one file backend under SIGKILL', () => {
  let dir: string;
  const live = new Set<SpawnedServer>();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cache-crash-'));
  });
  afterAll(async () => {
    for (const server of live) server.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged write and applies no cache_mset by halves', async () => {
    const rand = random(18);
    const env = { PATH: process.env['PATH'], CACHE_DATA_DIR: dir };
    const spawn = async () => {
      const server = await spawnStdioServer({ command: process.execPath, args: [bin], env });
      live.add(server);
      return server;
    };
    const acked = new Set<string>(); // "writer:n" of every acknowledged cache_mset
    const sent = new Set<string>();
    const counted = new Map<string, { acked: number; sent: number }>();
    let stop = false;

    // Each writer slot keeps IN_FLIGHT calls going on its current process, whichever it is.
    const slots: { server: SpawnedServer; name: string; next: number }[] = [
      { server: await spawn(), name: 'w0', next: 0 },
      { server: await spawn(), name: 'w1', next: 0 },
    ];
    for (const slot of slots) counted.set(slot.name, { acked: 0, sent: 0 });
    const pump = async (slot: (typeof slots)[number]) => {
      while (!stop) {
        const server = slot.server;
        const n = slot.next++;
        const id = `${slot.name}:${n}`;
        sent.add(id);
        const data = { [`${id}:a`]: n, [`${id}:b`]: n, [`${id}:c`]: n };
        const counter = counted.get(slot.name)!;
        counter.sent++;
        const call = (name: string, args: Record<string, unknown>) =>
          server.client
            .callTool({ name, arguments: args }, undefined, { timeout: 10_000 })
            .then((r) => r.isError !== true)
            .catch(() => false);
        const [mset, incr] = await Promise.all([
          call('cache_mset', { data }),
          call('cache_incr', { key: `count:${slot.name}` }),
        ]);
        if (mset) acked.add(id);
        if (incr) counter.acked++;
        if (!mset || !incr) {
          // A killed process answers nothing more: wait for its replacement.
          await new Promise((r) => setTimeout(r, 5));
          while (!stop && slot.server === server && server.child.signalCode !== null)
            await new Promise((r) => setTimeout(r, 5));
        }
      }
    };
    const pumps = slots.flatMap((slot) => Array.from({ length: IN_FLIGHT }, () => pump(slot)));

    for (let kill = 0; kill < KILLS; kill++) {
      await new Promise((r) => setTimeout(r, 20 + Math.floor(rand() * 60)));
      const slot = slots[Math.floor(rand() * slots.length)]!;
      const victim = slot.server;
      victim.child.kill('SIGKILL');
      await victim.exited;
      await victim.client.close().catch(() => undefined); // fails the calls it still had open
      live.delete(victim);
      slot.server = await spawn();
    }
    stop = true;
    await Promise.all(pumps);
    for (const slot of slots) await slot.server.close();

    const check = await spawn();
    const ids = [...sent];
    expect(acked.size).toBeGreaterThan(50); // the run did write, between the kills
    for (let i = 0; i < ids.length; i += 300) {
      const batch = ids.slice(i, i + 300);
      const keys = batch.flatMap((id) => [`${id}:a`, `${id}:b`, `${id}:c`]);
      const got = await callTool<{ items: { found: boolean; value: unknown }[] }>(
        check.client,
        'cache_mget',
        {
          keys,
        },
      );
      if (!got.ok) throw new Error('cache_mget failed');
      batch.forEach((id, k) => {
        const found = got.data.items.slice(3 * k, 3 * k + 3).map((item) => item.found);
        expect(new Set(found).size, `${id} half applied: ${found.join(',')}`).toBe(1);
        if (acked.has(id)) expect(found[0], `${id} acknowledged but lost`).toBe(true);
      });
    }
    for (const [name, { acked: ok, sent: total }] of counted) {
      const value = await callTool<{ value: number }>(check.client, 'cache_get', { key: `count:${name}` });
      const n = value.ok ? Number(value.data.value) : -1;
      expect(n).toBeGreaterThanOrEqual(ok);
      expect(n).toBeLessThanOrEqual(total);
    }
    await check.close();
  }, 120_000);
});
