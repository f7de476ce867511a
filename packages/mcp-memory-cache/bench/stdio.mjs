// Memory-cache benchmark over stdio with a real MCP client, in one run: cache_set and cache_get
// p50/p99 beside a bare SDK server's no-op tool and beside @modelcontextprotocol/server-redis
// (installed from npm into a temp dir) on the same Redis, plus one Redis round trip measured
// from this process, and cold start. Needs a reachable Redis: BENCH_REDIS_URL, else a private
// redis-server is started.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import {
  bareServer,
  bundledBareServer,
  coldStart,
  percentile,
  spawnStdioServer,
  timeCalls,
} from '../../mcp-core/bench/measure.mjs';
import { startRedis } from '../../mcp-core/dist/testing/index.js';

const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 500);
const privateRedis = process.env.BENCH_REDIS_URL ? undefined : await startRedis();
const redisUrl = process.env.BENCH_REDIS_URL ?? privateRedis.url;
const env = { PATH: process.env.PATH };

const refDir = mkdtempSync(join(tmpdir(), 'server-redis-'));
execFileSync(
  'npm',
  [
    'install',
    '--prefix',
    refDir,
    '--no-save',
    '--no-package-lock',
    '--no-audit',
    '--no-fund',
    '@modelcontextprotocol/server-redis@2025.4.25',
  ],
  { stdio: 'ignore' },
);
const refBin = join(refDir, 'node_modules/@modelcontextprotocol/server-redis/dist/index.js');

// One Redis round trip as this process sees it (GET on a small key), for the target p50 <= bare + 1.5 RTT.
const probe = new Redis(redisUrl);
await probe.set('bench:rtt', 'x');
const rtts = [];
for (let i = 0; i < 2000; i++) {
  const s = process.hrtime.bigint();
  await probe.get('bench:rtt');
  rtts.push(Number(process.hrtime.bigint() - s) / 1e6);
}
const rtt = percentile(rtts, 50);

const bare = await spawnStdioServer({ command: process.execPath, args: [bareServer], env });
const ours = await spawnStdioServer({
  command: process.execPath,
  args: [bin],
  env: { ...env, REDIS_URL: redisUrl, CACHE_NAMESPACE: 'bench:' },
});
const ref = await spawnStdioServer({ command: process.execPath, args: [refBin, redisUrl], env });

const value = 'a small cached value';
const rows = [];
const measure = async (label, client, name, args) =>
  rows.push({ label, ...(await timeCalls(client, name, args, { runs: RUNS })) });
await measure('bare SDK no-op', bare.client, 'noop', {});
await measure('ours cache_set', ours.client, 'cache_set', (i) => ({ key: `k${i % 100}`, value }));
await measure('reference set', ref.client, 'set', (i) => ({ key: `ref:k${i % 100}`, value }));
await measure('ours cache_get', ours.client, 'cache_get', (i) => ({ key: `k${i % 100}` }));
await measure('reference get', ref.client, 'get', (i) => ({ key: `ref:k${i % 100}` }));
await measure('bare SDK no-op (again)', bare.client, 'noop', {});
const bareP50 = (rows[0].p50 + rows[5].p50) / 2;
console.log(
  `node ${process.version}; ${RUNS} sequential calls each; one Redis round trip p50 = ${rtt.toFixed(3)} ms`,
);
console.log('call                         p50 ms   p99 ms   p50 - bare (in RTTs)');
for (const r of rows) {
  console.log(
    `${r.label.padEnd(27)} ${r.p50.toFixed(3).padStart(7)} ${r.p99.toFixed(3).padStart(8)}   ${((r.p50 - bareP50) / rtt).toFixed(2).padStart(6)}`,
  );
}
const byLabel = Object.fromEntries(rows.map((r) => [r.label, r]));
console.log(
  `ours/reference p50: set ${(byLabel['ours cache_set'].p50 / byLabel['reference set'].p50).toFixed(2)}, get ${(byLabel['ours cache_get'].p50 / byLabel['reference get'].p50).toFixed(2)}`,
);
await Promise.all([bare.close(), ours.close(), ref.close()]);
probe.disconnect();

const bareBundle = await bundledBareServer();
const bareCold = await coldStart(process.execPath, [bareBundle], env);
const oursCold = await coldStart(process.execPath, [bin], { ...env, REDIS_URL: redisUrl });
const dir = mkdtempSync(join(tmpdir(), 'cache-cold-'));
const fileCold = await coldStart(process.execPath, [bin], { ...env, CACHE_DATA_DIR: dir });
const bareCold2 = await coldStart(process.execPath, [bareBundle], env);
const refCold = await coldStart(process.execPath, [refBin, redisUrl], env);
const b = (bareCold + bareCold2) / 2;
console.log(
  `cold start median of 10: bare SDK server bundled the same way ${b.toFixed(1)} ms, ours on redis ${oursCold.toFixed(1)} ms (${(oursCold / b).toFixed(2)}x), ours on file ${fileCold.toFixed(1)} ms (${(fileCold / b).toFixed(2)}x), reference server ${refCold.toFixed(1)} ms`,
);
rmSync(dir, { recursive: true, force: true });
rmSync(refDir, { recursive: true, force: true });
await privateRedis?.close();
