#!/usr/bin/env node
// Spawn → first tools/list answer, for each server's built bundle beside the bare SDK server
// bundled the same way; spawned in turns so drift hits all alike. Run after `nx run-many -t bundle`:
//   node packages/mcp-core/bench/tools-list.mjs [runs]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bundledBareServer, percentile, spawnStdioServer } from './measure.mjs';

const runs = Number(process.argv[2] ?? 15);
const root = new URL('../../../', import.meta.url).pathname;
const data = mkdtempSync(join(tmpdir(), 'tools-list-bench-'));
const bare = await bundledBareServer();
const env = { PATH: process.env.PATH, HOME: data };
const targets = [
  { label: 'bare SDK server (bundled)', command: process.execPath, args: [bare], env },
  {
    label: 'goal-agent (file store)',
    command: process.execPath,
    args: [join(root, 'packages/mcp-goal-agent/dist/bundle/bin.js')],
    env: { ...env, GOAL_AGENT_DATA_DIR: join(data, 'goals') },
  },
  {
    label: 'memory-cache (file backend)',
    command: process.execPath,
    args: [join(root, 'packages/mcp-memory-cache/dist/bundle/bin.js')],
    env: { ...env, CACHE_DATA_DIR: join(data, 'cache') },
  },
  {
    label: 'github',
    command: process.execPath,
    args: [join(root, 'packages/mcp-github/dist/bundle/bin.js')],
    env: { ...env, GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_bench', GITHUB_API_URL: 'http://127.0.0.1:9' },
  },
  ...(process.env.EXTRA_SERVERS ?? '')
    .split(',')
    .filter(Boolean)
    .map((spec) => {
      const [label, bin, ...vars] = spec.split(':');
      return {
        label,
        command: process.execPath,
        args: [join(root, bin)],
        env: { ...env, ...Object.fromEntries(vars.map((v) => v.split('='))) },
      };
    }),
];
const samples = targets.map(() => []);
try {
  for (let i = 0; i < runs; i++) {
    for (const [k, t] of targets.entries()) {
      const start = process.hrtime.bigint();
      const server = await spawnStdioServer({ command: t.command, args: t.args, env: t.env });
      const { tools } = await server.client.listTools();
      samples[k].push(Number(process.hrtime.bigint() - start) / 1e6);
      t.tools = tools.length;
      await server.close();
    }
  }
} finally {
  rmSync(data, { recursive: true, force: true });
  rmSync(dirname(dirname(bare)), { recursive: true, force: true });
}
const base = percentile(samples[0], 50);
console.log(`spawn → first tools/list, p50 of ${runs} (ms), ratio to the bare bundled SDK server:`);
for (const [k, t] of targets.entries()) {
  const p50 = percentile(samples[k], 50);
  console.log(
    `  ${t.label.padEnd(30)} ${p50.toFixed(1).padStart(7)}  ${(p50 / base).toFixed(2)}x  (${t.tools} tools)`,
  );
}
