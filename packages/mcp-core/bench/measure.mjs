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

/** A case for `interleaved`: one MCP tool call (args may depend on the round number). */
export function toolCall(label, client, name, args = {}) {
  return {
    label,
    async run(i) {
      const result = await client.callTool({ name, arguments: typeof args === 'function' ? args(i) : args });
      if (result.isError) throw new Error(`${name} failed: ${result.content[0]?.text}`);
    },
  };
}

/**
 * Runs the cases round-robin, one call each per round (`warmup` untimed rounds, then `runs`
 * timed), starting each round at the next case, so that whatever the machine does meanwhile
 * hits every case alike. Returns p50/p99 in ms per case, in the order given.
 */
export async function interleaved(cases, { runs = 300, warmup = 300 } = {}) {
  const samples = cases.map(() => []);
  for (let i = 0; i < warmup + runs; i++) {
    for (let j = 0; j < cases.length; j++) {
      const k = (i + j) % cases.length;
      const start = process.hrtime.bigint();
      await cases[k].run(i);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (i >= warmup) samples[k].push(ms);
    }
  }
  return cases.map((c, k) => ({
    label: c.label,
    p50: percentile(samples[k], 50),
    p99: percentile(samples[k], 99),
  }));
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
