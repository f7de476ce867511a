// HTTP load benchmark, in one run: a read tool (goal-agent get_goal, memory-cache cache_get) over
// Streamable HTTP against one instance and against three behind the round-robin balancer, beside
// the same call over stdio, at 1, 16 and 64 concurrent clients: p50/p99 latency, requests/s and
// the server's CPU time per request (Linux; less noisy than latency on a shared machine). Then RSS
// of one HTTP instance after 1,000 and after 100,000 requests. Both servers on one private Redis.
// Needs the bundles (`nx run-many -t bundle -p mcp-goal-agent mcp-memory-cache`).
// The load generator writes raw JSON-RPC (node:http with keep-alive, or lines on stdin), so what
// is measured is the server, not an MCP client library; it runs in this process, as does the
// balancer, and shares the machine's cores with the servers.
//   BENCH_SECONDS (per case, default 3), BENCH_RSS_REQUESTS (default 100000, 0: skip), BENCH_ONLY=goal|cache,
//   BENCH_CONCURRENCY (default 1,16,64; empty: only the RSS run), BENCH_NODE_OPTIONS (NODE_OPTIONS of the servers)
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { getFreePort, spawnHttpServer, startBalancer, startRedis } from '../dist/testing/index.js';
import { cpuMicros, percentile, stdioDriver } from './measure.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const RSS_REQUESTS = Number(process.env.BENCH_RSS_REQUESTS ?? 100_000);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,16,64').split(',').filter(Boolean).map(Number);
// BENCH_GOAL_BIN / BENCH_CACHE_BIN: other bundles (e.g. of an earlier commit) to compare with.
const bins = {
  goal:
    process.env.BENCH_GOAL_BIN ??
    fileURLToPath(new URL('../../mcp-goal-agent/dist/bundle/bin.js', import.meta.url)),
  cache:
    process.env.BENCH_CACHE_BIN ??
    fileURLToPath(new URL('../../mcp-memory-cache/dist/bundle/bin.js', import.meta.url)),
};
const PROTOCOL = '2025-11-25';

const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

/** Sends raw JSON-RPC requests over HTTP; resolves with the parsed response. */
function httpDriver(url, maxSockets) {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets });
  let id = 0;
  return {
    call(method, params) {
      const body = JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params });
      return new Promise((resolve, reject) => {
        const req = request(
          {
            agent,
            host: target.hostname,
            port: target.port,
            path: target.pathname,
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
              'mcp-protocol-version': PROTOCOL,
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c) => (text += c));
            res.on('end', () =>
              res.statusCode === 200
                ? resolve(JSON.parse(text))
                : reject(new Error(`${res.statusCode} ${text}`)),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

async function tool(driver, name, args) {
  const answer = await driver.call('tools/call', { name, arguments: args });
  if (answer.error || answer.result?.isError) throw new Error(`${name}: ${JSON.stringify(answer)}`);
  return answer.result.structuredContent;
}

/** `clients` loops calling `once` for SECONDS; latency samples, req/s, server CPU µs per request. */
async function load(once, clients, pids, seconds = SECONDS) {
  const samples = [];
  const deadline = performance.now() + seconds * 1000;
  const cpu0 = pids.map(cpuMicros);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const start = performance.now();
        await once();
        samples.push(performance.now() - start);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = pids.map(cpuMicros).reduce((s, v, i) => s + v - cpu0[i], 0);
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    rps: samples.length / elapsed,
    cpuUs: cpu / samples.length,
  };
}

const fmt = (r) =>
  `p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  ${Math.round(r.rps)} req/s  ${Math.round(r.cpuUs)} µs CPU/req`;

const redis = await startRedis();
const started = [];
try {
  const cases = [
    {
      key: 'goal',
      tool: 'get_goal',
      env: { GOAL_AGENT_KEY_PREFIX: 'bench' },
      async prepare(driver) {
        const goal = await tool(driver, 'create_goal', { description: 'Benchmark goal' });
        await tool(driver, 'break_down_goal', {
          goal_id: goal.id,
          subtasks: Array.from({ length: 10 }, (_, i) => ({ description: `task ${i}` })),
        });
        return { goal_id: goal.id };
      },
    },
    {
      key: 'cache',
      tool: 'cache_get',
      env: { CACHE_NAMESPACE: 'bench:' },
      async prepare(driver) {
        await tool(driver, 'cache_set', { key: 'bench', value: { text: 'a small cached value' } });
        return { key: 'bench' };
      },
    },
  ].filter((c) => !process.env.BENCH_ONLY || c.key === process.env.BENCH_ONLY);

  for (const c of cases) {
    const env = {
      PATH: process.env.PATH,
      REDIS_URL: redis.url,
      MCP_TOOLSETS: 'all',
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      ...c.env,
    };
    const stdio = await stdioDriver(bins[c.key], env, PROTOCOL);
    started.push(stdio);
    const spawnHttp = async () => {
      const s = await spawnHttpServer({
        command: process.execPath,
        args: [bins[c.key], '--transport', 'http'],
        env: { ...env, MCP_HTTP_PORT: String(await getFreePort()) },
      });
      started.push(s);
      return s;
    };
    const single = await spawnHttp();
    const trio = [await spawnHttp(), await spawnHttp(), await spawnHttp()];
    const balancer = await startBalancer(trio.map((s) => new URL(s.url).origin));
    started.push(balancer);
    const args = await c.prepare(stdio);

    console.log(`\n${c.tool} (${c.key === 'goal' ? 'goal-agent' : 'memory-cache'}, Redis)`);
    for (const clients of CONCURRENCY) {
      const one = httpDriver(single.url, clients);
      const three = httpDriver(`${balancer.url}/mcp`, clients);
      const runs = [
        ['stdio', () => tool(stdio, c.tool, args), [stdio.pid]],
        ['http, 1 instance', () => tool(one, c.tool, args), [single.child.pid]],
        ['http, 3 behind balancer', () => tool(three, c.tool, args), trio.map((s) => s.child.pid)],
      ];
      for (const [, once] of runs) await load(once, clients, [], 0.5); // warm-up
      for (const [label, once, pids] of runs) {
        console.log(
          `  ${String(clients).padStart(2)} clients  ${label.padEnd(24)} ${fmt(await load(once, clients, pids))}`,
        );
      }
      one.close();
      three.close();
    }

    if (RSS_REQUESTS > 0 && (c.key === 'cache' || process.env.BENCH_ONLY)) {
      // A fresh instance, so the count starts at its first request.
      const fresh = await spawnHttp();
      const driver = httpDriver(fresh.url, 16);
      let sent = 0;
      const until = (n) =>
        Promise.all(
          Array.from({ length: 16 }, async () => {
            while (sent < n) {
              sent++;
              await tool(driver, c.tool, args);
            }
          }),
        );
      // Intermediate samples tell a leak (growing throughout) from a heap reaching its size.
      const marks = [1000, 10_000, 50_000, RSS_REQUESTS].filter(
        (n, i, all) => n <= RSS_REQUESTS && all.indexOf(n) === i,
      );
      const rss = [];
      const t0 = performance.now();
      for (const n of marks) {
        await until(n);
        rss.push(rssKb(fresh.child.pid));
      }
      const [after1k] = rss;
      const afterAll = rss[rss.length - 1];
      console.log(
        `  RSS of a fresh HTTP instance: ${marks.map((n, i) => `${(rss[i] / 1024).toFixed(1)} MB after ${n.toLocaleString('en')}`).join(', ')} ` +
          `(last against first: ${(((afterAll - after1k) / after1k) * 100).toFixed(1)}%, ${Math.round((performance.now() - t0) / 1000)} s)`,
      );
      driver.close();
    }
  }
} finally {
  for (const s of started.reverse()) await s.close();
  await redis.close();
}
