// Two server processes on one file store, SIGKILLed again and again while writing: every
// acknowledged goal, breakdown and status change must be there afterwards, no breakdown may be
// there by halves, no id may be handed out twice, and no task may be claimed twice.
import { fileURLToPath } from 'node:url';
import {
  callTool,
  makeTempDir,
  removeTempDirs,
  seededRandom,
  spawnStdioServer,
  type SpawnedServer,
} from '@org/mcp-core/testing';

const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));
const KILLS = 10;
const IN_FLIGHT = 3;
const TASKS_PER_GOAL = 3;

interface Acked {
  goals: Set<string>;
  /** goal id → task ids of its acknowledged breakdown */
  breakdowns: Map<string, string[]>;
  /** task id → status acknowledged last */
  statuses: Map<string, string>;
  /** task ids returned by acknowledged claims */
  claims: string[];
}

describe('two processes on one goal file store under SIGKILL', () => {
  const live = new Set<SpawnedServer>();
  afterAll(async () => {
    for (const server of live) server.child.kill('SIGKILL');
    removeTempDirs();
  });

  it('loses nothing acknowledged and applies nothing by halves', async () => {
    const rand = seededRandom(18);
    const dir = makeTempDir('goal-agent-crash-');
    const env = { PATH: process.env['PATH'], GOAL_AGENT_DATA_DIR: dir, GOAL_AGENT_LEASE_SECONDS: '3600' };
    const spawn = async () => {
      const server = await spawnStdioServer({ command: process.execPath, args: [bin], env });
      live.add(server);
      return server;
    };
    const acked: Acked = { goals: new Set(), breakdowns: new Map(), statuses: new Map(), claims: [] };
    let stop = false;
    const slots: { server: SpawnedServer; name: string }[] = [
      { server: await spawn(), name: 'w0' },
      { server: await spawn(), name: 'w1' },
    ];
    const call = async <T>(server: SpawnedServer, name: string, args: Record<string, unknown>) => {
      try {
        const r = await server.client.callTool({ name, arguments: args }, undefined, { timeout: 10_000 });
        return r.isError ? undefined : (r.structuredContent as T);
      } catch {
        return undefined;
      }
    };
    const pump = async (slot: (typeof slots)[number], lane: number) => {
      let n = 0;
      while (!stop) {
        const server = slot.server;
        const goal = await call<{ id: string }>(server, 'create_goal', {
          description: `${slot.name}-${lane}-${n++}`,
        });
        let ok = goal !== undefined;
        if (goal) {
          acked.goals.add(goal.id);
          const broken = await call<{ tasks: { id: string }[] }>(server, 'break_down_goal', {
            goal_id: goal.id,
            subtasks: Array.from({ length: TASKS_PER_GOAL }, (_, i) => ({
              description: `step ${i}`,
              ...(i > 0 ? { dependencies: [i - 1] } : {}),
            })),
          });
          ok = broken !== undefined;
          if (broken) {
            const ids = broken.tasks.map((t) => t.id);
            acked.breakdowns.set(goal.id, ids);
            const claimed = await call<{ task: { id: string } | null }>(server, 'claim_next_task', {
              owner: `${slot.name}-${lane}`,
              goal_id: goal.id,
            });
            if (claimed?.task) {
              acked.claims.push(claimed.task.id);
              acked.statuses.set(claimed.task.id, 'in_progress');
              const done = await call(server, 'update_task_status', {
                task_id: claimed.task.id,
                status: 'completed',
              });
              if (done) acked.statuses.set(claimed.task.id, 'completed');
              ok = done !== undefined;
            } else ok = false;
          }
        }
        if (!ok) {
          // A killed process answers nothing more: wait for its replacement.
          while (!stop && slot.server === server) await new Promise((r) => setTimeout(r, 5));
        }
      }
    };
    const pumps = slots.flatMap((slot) => Array.from({ length: IN_FLIGHT }, (_, lane) => pump(slot, lane)));
    for (let kill = 0; kill < KILLS; kill++) {
      await new Promise((r) => setTimeout(r, 50 + Math.floor(rand() * 150)));
      const slot = slots[Math.floor(rand() * slots.length)]!;
      const victim = slot.server;
      victim.child.kill('SIGKILL');
      await victim.exited;
      await victim.client.close().catch(() => undefined);
      live.delete(victim);
      slot.server = await spawn();
    }
    stop = true;
    await Promise.all(pumps);
    for (const slot of slots) await slot.server.close();

    const check = await spawn();
    expect(acked.goals.size).toBeGreaterThan(20); // the run did write, between the kills
    const goals: { id: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await callTool<{ goals: { id: string }[]; next_cursor?: string | null }>(
        check.client,
        'list_goals',
        {
          limit: 500,
          ...(cursor ? { cursor } : {}),
        },
      );
      if (!page.ok) throw new Error(page.text);
      goals.push(...page.data.goals);
      cursor = page.data.next_cursor ?? undefined;
    } while (cursor);
    const stored = new Set(goals.map((g) => g.id));
    expect(stored.size).toBe(goals.length); // no id twice
    for (const id of acked.goals) expect(stored.has(id), `${id} acknowledged but lost`).toBe(true);
    const taskIds: string[] = [];
    for (const { id } of goals) {
      const got = await callTool<{ tasks: { id: string; status: string }[] }>(check.client, 'get_goal', {
        goal_id: id,
        detail: 'full',
      });
      if (!got.ok) throw new Error(got.text);
      expect([0, TASKS_PER_GOAL], `${id} has a breakdown by halves`).toContain(got.data.tasks.length);
      const acknowledged = acked.breakdowns.get(id);
      if (acknowledged) expect(got.data.tasks.map((t) => t.id)).toEqual(acknowledged);
      for (const task of got.data.tasks) {
        taskIds.push(task.id);
        const status = acked.statuses.get(task.id);
        if (status === 'completed') expect(task.status, `${task.id} completion lost`).toBe('completed');
        if (status === 'in_progress') expect(['in_progress', 'completed']).toContain(task.status);
      }
    }
    expect(new Set(taskIds).size).toBe(taskIds.length);
    expect(new Set(acked.claims).size).toBe(acked.claims.length); // no task claimed twice
    await check.close();
  }, 150_000);
});
