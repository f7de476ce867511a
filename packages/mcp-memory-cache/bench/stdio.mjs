// Memory-cache benchmark over stdio with a real MCP client, in one run: cache_set and cache_get
// p50/p99 beside a bare SDK server's no-op tool and beside @modelcontextprotocol/server-redis
// (installed from npm into a temp dir) on the same Redis, plus one Redis round trip measured
// from this process, and cold start. Needs a reachable Redis: BENCH_REDIS_URL, else a private
// redis-server is started. Calls are interleaved round-robin (bare, ours, reference, one Redis
// GET from this process), so every figure comes from the same moments of the same run.
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
  interleaved,
  spawnStdioServer,
  toolCall,
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
const redisGet = { label: 'one Redis GET (ioredis)', run: () => probe.get('bench:rtt') };

const bare = await spawnStdioServer({ command: process.execPath, args: [bareServer], env });
const ours = await spawnStdioServer({
  command: process.execPath,
  args: [bin],
  env: { ...env, REDIS_URL: redisUrl, CACHE_NAMESPACE: 'bench:' },
});
const ref = await spawnStdioServer({ command: process.execPath, args: [refBin, redisUrl], env });

const value = 'a small cached value';
const noop = toolCall('bare SDK no-op', bare.client, 'noop');
const sets = await interleaved(
  [
    noop,
    redisGet,
    toolCall('ours cache_set', ours.client, 'cache_set', (i) => ({ key: `k${i % 100}`, value })),
    toolCall('reference set', ref.client, 'set', (i) => ({ key: `ref:k${i % 100}`, value })),
  ],
  { runs: RUNS },
);
const gets = await interleaved(
  [
    noop,
    redisGet,
    toolCall('ours cache_get', ours.client, 'cache_get', (i) => ({ key: `k${i % 100}` })),
    toolCall('reference get', ref.client, 'get', (i) => ({ key: `ref:k${i % 100}` })),
  ],
  { runs: RUNS },
);
console.log(`node ${process.version}; ${RUNS} interleaved rounds of set calls, then of get calls`);
console.log('call                         p50 ms   p99 ms   p50 - bare (in RTTs)');
for (const [bareRow, rttRow, ...rows] of [sets, gets]) {
  for (const r of [bareRow, rttRow, ...rows]) {
    console.log(
      `${r.label.padEnd(27)} ${r.p50.toFixed(3).padStart(7)} ${r.p99.toFixed(3).padStart(8)}   ${((r.p50 - bareRow.p50) / rttRow.p50).toFixed(2).padStart(6)}`,
    );
  }
}
console.log(
  `ours/reference p50: set ${(sets[2].p50 / sets[3].p50).toFixed(2)}, get ${(gets[2].p50 / gets[3].p50).toFixed(2)}`,
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
