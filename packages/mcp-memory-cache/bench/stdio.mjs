// Memory-cache benchmark over stdio with a real MCP client, in one run: cache_set and cache_get
// p50/p99 beside a bare SDK server's no-op tool and beside @modelcontextprotocol/server-redis
// (installed from npm into a temp dir) on the same Redis, and cold start. One Redis round trip
// is what one GET adds to a bare SDK server's tool (a bare server's redis_get minus the no-op's),
// so it is measured in a server process in the same conditions as ours. Needs a reachable
// Redis: BENCH_REDIS_URL, else a private redis-server is started. Calls are interleaved
// round-robin, so every figure comes from the same moments of the same run.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import {
  bareServer,
  bundledBareServer,
  coldStarts,
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

const probe = new Redis(redisUrl);
await probe.set('bench:rtt', 'x');
const bare = await spawnStdioServer({ command: process.execPath, args: [bareServer], env });
// A second bare process for the GET, so that it is woken once a round like every other server.
const bareRedis = await spawnStdioServer({
  command: process.execPath,
  args: [bareServer],
  env: { ...env, BARE_REDIS_URL: redisUrl, BARE_IOREDIS: createRequire(import.meta.url).resolve('ioredis') },
});
const ours = await spawnStdioServer({
  command: process.execPath,
  args: [bin],
  env: { ...env, REDIS_URL: redisUrl, CACHE_NAMESPACE: 'bench:' },
});
// The same server with its client-side cache off: every get is a Redis round trip.
const oursDirect = await spawnStdioServer({
  command: process.execPath,
  args: [bin],
  env: { ...env, REDIS_URL: redisUrl, CACHE_NAMESPACE: 'bench:', CACHE_CLIENT_CACHE_MB: '0' },
});
const ref = await spawnStdioServer({ command: process.execPath, args: [refBin, redisUrl], env });

const value = 'a small cached value';
const noop = toolCall('bare SDK no-op', bare.client, 'noop', {}, bare.child.pid);
const redisGet = toolCall(
  'bare SDK + one Redis GET',
  bareRedis.client,
  'redis_get',
  { key: 'bench:rtt' },
  bareRedis.child.pid,
);
const sets = await interleaved(
  [
    noop,
    redisGet,
    toolCall(
      'ours cache_set',
      ours.client,
      'cache_set',
      (i) => ({ key: `k${i % 100}`, value }),
      ours.child.pid,
    ),
    toolCall('reference set', ref.client, 'set', (i) => ({ key: `ref:k${i % 100}`, value }), ref.child.pid),
  ],
  { runs: RUNS },
);
const gets = await interleaved(
  [
    noop,
    redisGet,
    toolCall('ours cache_get', ours.client, 'cache_get', (i) => ({ key: `k${i % 100}` }), ours.child.pid),
    toolCall('reference get', ref.client, 'get', (i) => ({ key: `ref:k${i % 100}` }), ref.child.pid),
    toolCall(
      'ours cache_get, no copies',
      oursDirect.client,
      'cache_get',
      (i) => ({ key: `k${i % 100}` }),
      oursDirect.child.pid,
    ),
  ],
  { runs: RUNS },
);
console.log(`node ${process.version}; ${RUNS} interleaved rounds of set calls, then of get calls`);
console.log('call                         p50 ms   p99 ms   p50 - bare (in RTTs)   server CPU/call');
for (const [bareRow, rttRow, ...rows] of [sets, gets]) {
  const rtt = rttRow.p50 - bareRow.p50;
  for (const r of [bareRow, rttRow, ...rows]) {
    console.log(
      `${r.label.padEnd(27)} ${r.p50.toFixed(3).padStart(7)} ${r.p99.toFixed(3).padStart(8)}   ${((r.p50 - bareRow.p50) / rtt).toFixed(2).padStart(6)}   ${r.cpuUs === undefined ? '' : `${r.cpuUs.toFixed(0).padStart(17)} µs`}`,
    );
  }
  console.log(`  (one Redis round trip = ${rtt.toFixed(3)} ms)`);
}
console.log(
  `ours/reference p50: set ${(sets[2].p50 / sets[3].p50).toFixed(2)}, get ${(gets[2].p50 / gets[3].p50).toFixed(2)} (client-side cache off: ${(gets[4].p50 / gets[3].p50).toFixed(2)})`,
);
await Promise.all([bare.close(), bareRedis.close(), ours.close(), oursDirect.close(), ref.close()]);
probe.disconnect();

const bareBundle = await bundledBareServer();
const dir = mkdtempSync(join(tmpdir(), 'cache-cold-'));
const [b, oursCold, fileCold, refCold] = await coldStarts([
  { command: process.execPath, args: [bareBundle], env },
  { command: process.execPath, args: [bin], env: { ...env, REDIS_URL: redisUrl } },
  { command: process.execPath, args: [bin], env: { ...env, CACHE_DATA_DIR: dir } },
  { command: process.execPath, args: [refBin, redisUrl], env },
]);
console.log(
  `cold start, median of 15 spawned in turns: bare SDK server bundled the same way ${b.toFixed(1)} ms, ours on redis ${oursCold.toFixed(1)} ms (${(oursCold / b).toFixed(2)}x), ours on file ${fileCold.toFixed(1)} ms (${(fileCold / b).toFixed(2)}x), reference server ${refCold.toFixed(1)} ms`,
);
rmSync(dir, { recursive: true, force: true });
rmSync(refDir, { recursive: true, force: true });
await privateRedis?.close();
