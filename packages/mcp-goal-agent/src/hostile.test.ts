// Randomized hostile calls (fixed seed, bounded count) to every tool, on both stores: the server
// keeps answering, every answer is a result or a well-formed envelope, and a rejected call
// changes nothing stored.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  callTool,
  connectServer,
  makeTempDir,
  removeTempDirs,
  runHostileCalls,
  startRedis,
  type RedisInstance,
} from '@org/mcp-core/testing';
import { server } from './server.js';

afterAll(removeTempDirs);
let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.close();
});

const SEED = 18;

function files(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort()
    .map((f) => `${f}\n${readFileSync(f, 'utf8')}`)
    .join('\n');
}

describe.each(['file', 'redis'] as const)('hostile calls on the %s store', (kind) => {
  it('never wedge, crash or half-write the server', { timeout: 120_000 }, async () => {
    const dir = makeTempDir('goal-agent-hostile-');
    const env: Record<string, string> =
      kind === 'file'
        ? { GOAL_AGENT_DATA_DIR: dir, MCP_TOOLSETS: 'all' }
        : { REDIS_URL: redis.url, GOAL_AGENT_KEY_PREFIX: `hostile${process.pid}`, MCP_TOOLSETS: 'all' };
    const s = await connectServer(server, env);
    const goalIds: string[] = [];
    const taskIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const goal = await callTool<{ id: string }>(s.client, 'create_goal', { description: `Goal ${i}` });
      if (!goal.ok) throw new Error(goal.text);
      goalIds.push(goal.data.id);
      const broken = await callTool<{ tasks: { id: string }[] }>(s.client, 'break_down_goal', {
        goal_id: goal.data.id,
        subtasks: [
          { description: 'A' },
          { description: 'B', dependencies: [0] },
          { description: 'C', dependencies: [1] },
        ],
      });
      if (!broken.ok) throw new Error(broken.text);
      taskIds.push(...broken.data.tasks.map((t) => t.id));
    }
    const engineState = async () => {
      const goals = await s.deps.engine.listGoals();
      const full = await Promise.all(goals.map((g) => s.deps.engine.getGoal(g.id)));
      return JSON.stringify(full);
    };
    const report = await runHostileCalls(s.client, {
      seed: SEED,
      callsPerTool: 25,
      known: { goal_id: goalIds, task_id: taskIds, task_ids: [taskIds.slice(0, 2)] },
      snapshot: async () => `${await engineState()}\n${kind === 'file' ? files(dir) : ''}`,
    });
    await s.close();
    expect(report.problems).toEqual([]);
    // The run reached both sides: calls refused for their input, and calls that did their work.
    expect(report.calls).toBeGreaterThan(400);
    expect(report.types['validation']).toBeGreaterThan(100);
    expect(report.accepted).toBeGreaterThan(20);
  });
});
