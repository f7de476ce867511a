// Writes per second and latency of the embedded file stores over stdio, at 1 and 8 calls in
// flight: goal-agent create_goal and memory-cache cache_set on a fresh data directory each, beside
// a bare SDK server's no-op tool (bundled the same way): the floor this machine puts under any
// stdio server's latency. Raw JSON-RPC lines drive them, so what is measured is the server, not
// an MCP client library.
// Pass other bundles to compare (e.g. a checkout before group commit), measured in the same run:
//   node packages/mcp-goal-agent/bench/concurrency.mjs [label=goal-agent-bin,memory-cache-bin ...]
// Without arguments: this checkout's bundles (build them first: nx run-many -t bundle).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledBareServer, percentile, stdioDriver } from '../../mcp-core/bench/measure.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const builds = process.argv.slice(2).map((arg) => {
  const [label, bins] = arg.split('=');
  const [goalAgent, memoryCache] = bins.split(',');
  return { label, goalAgent, memoryCache };
});
if (builds.length === 0)
  builds.push({
    label: 'this checkout',
    goalAgent: here('../dist/bundle/bin.js'),
    memoryCache: here('../../mcp-memory-cache/dist/bundle/bin.js'),
  });
const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

/** `calls` calls with `inFlight` of them outstanding at any time; latencies and calls/s. */
async function drive(driver, name, args, calls, inFlight) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < calls) {
        const i = next++;
        const t = performance.now();
        const answer = await driver.call('tools/call', { name, arguments: args(i) });
        if (answer.error || answer.result?.isError) throw new Error(`${name}: ${JSON.stringify(answer)}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    perSecond: calls / seconds,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
  };
}

const cases = [
  {
    tool: 'create_goal',
    bin: 'goalAgent',
    env: 'GOAL_AGENT_DATA_DIR',
    args: (i) => ({ description: `goal ${i}` }),
  },
  {
    tool: 'cache_set',
    bin: 'memoryCache',
    env: 'CACHE_DATA_DIR',
    args: (i) => ({ key: `k${i % 500}`, value: { i } }),
  },
];

const bare = await bundledBareServer();
const rows = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const inFlight of [1, 8]) {
    const server = await stdioDriver(bare, { PATH: process.env.PATH });
    await drive(server, 'noop', () => ({}), 200, inFlight);
    rows.push({
      round,
      build: 'bare SDK server',
      tool: 'noop',
      inFlight,
      ...(await drive(server, 'noop', () => ({}), CALLS, inFlight)),
    });
    await server.close();
  }
  for (const c of cases) {
    for (const inFlight of [1, 8]) {
      // Builds take turns inside each round, so they see the same machine.
      for (const build of builds) {
        const dir = mkdtempSync(join(tmpdir(), 'bench-concurrency-'));
        const server = await stdioDriver(build[c.bin], { PATH: process.env.PATH, [c.env]: dir });
        await drive(server, c.tool, c.args, 200, inFlight); // warm-up
        const r = await drive(server, c.tool, (i) => c.args(i + 200), CALLS, inFlight);
        await server.close();
        rmSync(dir, { recursive: true, force: true });
        rows.push({ round, build: build.label, tool: c.tool, inFlight, ...r });
      }
    }
  }
}

console.log(`node ${process.version}, ${CALLS} calls per case after 200 warm-up, ${ROUNDS} rounds`);
console.log('build            tool         in flight   calls/s   p50 ms   p90 ms   p99 ms');
for (const r of rows)
  console.log(
    `${r.build.padEnd(16)} ${r.tool.padEnd(12)} ${String(r.inFlight).padStart(9)} ${r.perSecond.toFixed(0).padStart(9)} ${r.p50.toFixed(2).padStart(8)} ${r.p90.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)}`,
  );
for (const build of [...builds, { label: 'bare SDK server' }])
  for (const c of build.label === 'bare SDK server' ? [{ tool: 'noop' }] : cases) {
    const of = (n) => rows.filter((r) => r.build === build.label && r.tool === c.tool && r.inFlight === n);
    const ratios = of(8).map((r, k) => (r.perSecond / of(1)[k].perSecond).toFixed(2));
    console.log(`${build.label}: ${c.tool} calls/s at 8 in flight / at 1, per round: ${ratios.join(', ')}`);
  }
rmSync(dirname(dirname(bare)), { recursive: true, force: true });
