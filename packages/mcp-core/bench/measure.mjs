// Shared measuring helpers for the stdio server benchmarks.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnStdioServer } from '../dist/testing/index.js';

export const bareServer = new URL('./bare-server.mjs', import.meta.url).pathname;

/** The bare server bundled exactly as the server bins are (tools/scripts/bundle.mjs), for cold starts. */
export async function bundledBareServer() {
  const { bundle } = await import('../../../tools/scripts/bundle.mjs');
  const outdir = join(mkdtempSync(join(tmpdir(), 'bare-bundle-')), 'bundle');
  await bundle(bareServer, outdir);
  return join(outdir, 'bare-server.js');
}

/** Percentile of a sorted copy (nearest rank). */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Times `runs` sequential calls of a tool (after `warmup` untimed ones); returns p50/p99 in ms. */
export async function timeCalls(client, name, args, { runs = 300, warmup = 300 } = {}) {
  const samples = [];
  for (let i = 0; i < warmup + runs; i++) {
    const a = typeof args === 'function' ? args(i) : args;
    const start = process.hrtime.bigint();
    const result = await client.callTool({ name, arguments: a });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.isError) throw new Error(`${name} failed: ${result.content[0]?.text}`);
    if (i >= warmup) samples.push(ms);
  }
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** Median time from spawn to the answer of `initialize`, over `runs` fresh processes. */
export async function coldStart(command, args, env, runs = 10) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const server = await spawnStdioServer({ command, args, env });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    await server.close();
  }
  return percentile(samples, 50);
}

export { spawnStdioServer };
