// Goal-agent benchmark over stdio with a real MCP client, in one run beside a bare SDK server:
// p50/p99 of get_goal, update_task_status and generate_execution_plan (1k-task goal) as ratios to
// the bare server's no-op tool; update_task_status with 10k tasks stored against 10 stored; and
// cold start (spawn to initialize answered). File store by default; BENCH_REDIS_URL for Redis.
// Calls are interleaved round-robin with the bare server's, so each ratio is taken in one run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bareServer,
  bundledBareServer,
  coldStarts,
  interleaved,
  spawnStdioServer,
  toolCall,
} from '../../mcp-core/bench/measure.mjs';

const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const redisUrl = process.env.BENCH_REDIS_URL;

function storeEnv(tag) {
  if (redisUrl)
    return {
      env: { REDIS_URL: redisUrl, GOAL_AGENT_KEY_PREFIX: `bench_${process.pid}_${tag}` },
      cleanup: () => undefined,
    };
  const dir = mkdtempSync(join(tmpdir(), `goal-bench-${tag}-`));
  return { env: { GOAL_AGENT_DATA_DIR: dir }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function call(server, name, args) {
  const r = await server.client.callTool({ name, arguments: args });
  if (r.isError) throw new Error(`${name}: ${r.content[0]?.text}`);
  return r.structuredContent;
}

/** A goal agent with `stored` tasks in goals of up to 1,000, plus a 10-task goal to update. */
async function agentWith(stored, tag) {
  const { env, cleanup } = storeEnv(tag);
  const server = await spawnStdioServer({
    command: process.execPath,
    args: [bin],
    env: { PATH: process.env.PATH, ...env },
  });
  const small = await call(server, 'create_goal', { description: 'small' });
  const few = await call(server, 'break_down_goal', {
    goal_id: small.id,
    subtasks: Array.from({ length: 10 }, (_, i) => ({ description: `t${i}` })),
  });
  let left = stored - 10;
  let bigGoal;
  while (left > 0) {
    const n = Math.min(1000, left);
    const g = await call(server, 'create_goal', { description: `bulk ${left}` });
    await call(server, 'break_down_goal', {
      goal_id: g.id,
      subtasks: Array.from({ length: n }, (_, i) => ({
        description: `task ${i}`,
        estimated_effort: '2h',
        dependencies: i > 2 ? [i - 1, i - 3] : [],
      })),
    });
    bigGoal ??= g.id;
    left -= n;
  }
  return { server, cleanup, smallTasks: few.tasks.map((t) => t.id), smallGoal: small.id, bigGoal };
}

const env = { PATH: process.env.PATH };
const bare = await spawnStdioServer({ command: process.execPath, args: [bareServer], env });
const tiny = await agentWith(10, 'tiny');
const large = await agentWith(10_000, 'large');

const statuses = ['in_progress', 'pending'];
const update = (agent) => (i) => ({ task_id: agent.smallTasks[i % 10], status: statuses[i % 2] });
const noop = toolCall('bare SDK no-op', bare.client, 'noop', {}, bare.child.pid);
// Rounds of cases in which each server answers one call per round, so that none is kept warmer
// than another by its neighbours; the slow 1k-task calls in a round of their own.
const reads = await interleaved(
  [
    noop,
    toolCall(
      'get_goal (10-task goal)',
      tiny.server.client,
      'get_goal',
      { goal_id: tiny.smallGoal },
      tiny.server.child.pid,
    ),
  ],
  { runs: RUNS },
);
const updates = await interleaved(
  [
    noop,
    toolCall(
      'update_task_status, 10 tasks stored',
      tiny.server.client,
      'update_task_status',
      update(tiny),
      tiny.server.child.pid,
    ),
    toolCall(
      'update_task_status, 10k tasks stored',
      large.server.client,
      'update_task_status',
      update(large),
      large.server.child.pid,
    ),
  ],
  { runs: RUNS },
);
const slow = await interleaved(
  [
    noop,
    toolCall('generate_execution_plan (1k-task goal)', large.server.client, 'generate_execution_plan', {
      goal_id: large.bigGoal,
    }),
    toolCall('get_goal (1k-task goal, first 100)', large.server.client, 'get_goal', {
      goal_id: large.bigGoal,
    }),
  ],
  { runs: Math.min(RUNS, 200), warmup: 50 },
);

console.log(`node ${process.version}, store: ${redisUrl ? 'redis' : 'file'}, ${RUNS} interleaved rounds`);
console.log(
  'call                                       p50 ms   p99 ms   p50/bare  p99/bare   server CPU/call',
);
for (const [bareRow, ...rows] of [reads, updates, slow]) {
  for (const r of [bareRow, ...rows]) {
    console.log(
      `${r.label.padEnd(42)} ${r.p50.toFixed(3).padStart(7)} ${r.p99.toFixed(3).padStart(8)} ${(r.p50 / bareRow.p50).toFixed(2).padStart(9)} ${(r.p99 / bareRow.p99).toFixed(2).padStart(9)}   ${r.cpuUs === undefined ? '' : `${r.cpuUs.toFixed(0).padStart(12)} µs`}`,
    );
  }
}
console.log(
  `update_task_status p50, 10k stored / 10 stored: ${(updates[2].p50 / updates[1].p50).toFixed(2)}`,
);

await Promise.all([bare.close(), tiny.server.close(), large.server.close()]);
tiny.cleanup();
large.cleanup();

const { env: coldEnv, cleanup } = storeEnv('cold');
const bareBundle = await bundledBareServer();
const [bareColdMs, agentCold, bareUnbundled] = await coldStarts([
  { command: process.execPath, args: [bareBundle], env },
  { command: process.execPath, args: [bin], env: { ...env, ...coldEnv } },
  { command: process.execPath, args: [bareServer], env },
]);
cleanup();
console.log(
  `cold start (spawn to initialize), median of 15 spawned in turns: bare SDK server bundled the same way ${bareColdMs.toFixed(1)} ms, goal-agent bundle ${agentCold.toFixed(1)} ms, ratio ${(agentCold / bareColdMs).toFixed(2)} (unbundled bare SDK server: ${bareUnbundled.toFixed(1)} ms)`,
);
