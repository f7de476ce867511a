import { fileURLToPath } from 'node:url';
import {
  callTool,
  connectHttp,
  startInstances,
  type BalancedInstances,
  type ConnectedClient,
} from '@org/mcp-core/testing';

// Three goal-agent instances over HTTP behind a round-robin balancer on one Redis behave as one
// server: concurrent clients creating goals, breaking them down, claiming and completing tasks.
const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));
const CLIENTS = 6;
let deployed: BalancedInstances | undefined;
const clients: ConnectedClient[] = [];

interface Task {
  id: string;
  goal_id: string;
  status: string;
  owner: string | null;
  result: unknown;
}

beforeAll(async () => {
  deployed = await startInstances(bin);
  for (let i = 0; i < CLIENTS; i++) clients.push(await connectHttp(deployed.url));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await deployed?.close();
});

/** A tool call that must succeed (an error result fails the test with its envelope). */
async function ok<T>(c: ConnectedClient, name: string, args: Record<string, unknown>): Promise<T> {
  const r = await callTool<T>(c.client, name, args);
  if (!r.ok) throw new Error(`${name}: ${r.text}`);
  return r.data;
}

/**
 * As a client behind a balancer does: retries on a transport failure (502, reset), counting the
 * retries (a retried call may have been applied before its answer was lost).
 */
async function withRetry<T>(call: () => Promise<T>, retries: { count: number }): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= 5) throw error;
      retries.count++;
    }
  }
}

async function tasksById(ids: string[]): Promise<Map<string, Task>> {
  const found = new Map<string, Task>();
  for (let i = 0; i < ids.length; i += 100) {
    const got = await ok<{ tasks: Task[] }>(clients[0]!, 'batch_get_tasks', {
      task_ids: ids.slice(i, i + 100),
    });
    for (const t of got.tasks) found.set(t.id, t);
  }
  return found;
}

describe('three goal-agent instances behind a balancer on one Redis', () => {
  it('no duplicate id, no lost update, no task claimed twice; the final state is the sum of what was acknowledged', async () => {
    const shared = await ok<{ id: string }>(clients[0]!, 'create_goal', { description: 'Shared goal' });
    const goals: string[] = [shared.id];
    const created: string[] = [];
    const claims: { task: string; owner: string }[] = [];
    await Promise.all(
      clients.map(async (c, n) => {
        for (let g = 0; g < 2; g++) {
          const goal = await ok<{ id: string }>(c, 'create_goal', { description: `goal ${n}.${g}` });
          goals.push(goal.id);
          const down = await ok<{ tasks: { id: string }[] }>(c, 'break_down_goal', {
            goal_id: goal.id,
            subtasks: Array.from({ length: 4 }, (_, i) => ({ description: `task ${n}.${g}.${i}` })),
          });
          created.push(...down.tasks.map((t) => t.id));
          // Every client adds to the shared goal at once: a lost update would lose tasks there.
          const more = await ok<{ tasks: { id: string }[] }>(c, 'break_down_goal', {
            goal_id: shared.id,
            subtasks: [{ description: `shared ${n}.${g}.a` }, { description: `shared ${n}.${g}.b` }],
          });
          created.push(...more.tasks.map((t) => t.id));
        }
        for (;;) {
          const { task } = await ok<{ task: Task | null }>(c, 'claim_next_task', { owner: `agent-${n}` });
          if (!task) break;
          claims.push({ task: task.id, owner: `agent-${n}` });
          await ok(c, 'update_task_status', { task_id: task.id, status: 'completed', result: { by: n } });
        }
      }),
    );
    expect(new Set(goals).size).toBe(1 + 2 * CLIENTS);
    expect(created.length).toBe(2 * CLIENTS * 6);
    expect(new Set(created).size).toBe(created.length);
    expect(new Set(claims.map((c) => c.task)).size).toBe(claims.length); // none claimed twice
    expect(claims.length).toBe(created.length); // and every one claimed
    expect(deployed!.balancer.counts().every((count) => count > 30)).toBe(true);

    const tasks = await tasksById(created);
    expect(tasks.size).toBe(created.length);
    for (const { task, owner } of claims) {
      expect(tasks.get(task)).toMatchObject({
        status: 'completed',
        owner,
        result: { by: Number(owner.slice(6)) },
      });
    }
    const sharedGoal = await ok<{ goal: { status: string; task_counts: Record<string, number> } }>(
      clients[1]!,
      'get_goal',
      { goal_id: shared.id, detail: 'none' },
    );
    expect(sharedGoal.goal.task_counts['completed']).toBe(4 * CLIENTS);
    expect(sharedGoal.goal.status).toBe('completed');
    const listed = await ok<{ count: number }>(clients[2]!, 'list_goals', { limit: 500 });
    expect(listed.count).toBe(goals.length);
  });

  it('one instance killed mid-run: clients retrying on the others lose nothing acknowledged', async () => {
    const goal = await ok<{ id: string }>(clients[0]!, 'create_goal', { description: 'Goal during a crash' });
    const down = await ok<{ tasks: { id: string }[] }>(clients[0]!, 'break_down_goal', {
      goal_id: goal.id,
      subtasks: Array.from({ length: 60 }, (_, i) => ({ description: `crash task ${i}` })),
    });
    const claimed: string[] = [];
    const completed = new Map<string, number>();
    const retries = { count: 0 };
    const run = Promise.all(
      clients.map(async (c, n) => {
        for (;;) {
          const claim = await withRetry(
            () =>
              callTool<{ task: Task | null }>(c.client, 'claim_next_task', {
                owner: `agent-${n}`,
                goal_id: goal.id,
              }),
            retries,
          );
          if (!claim.ok) throw new Error(claim.text);
          if (!claim.data.task) break;
          const id = claim.data.task.id;
          claimed.push(id);
          // Completing is idempotent, so a retry after a lost answer is harmless.
          const done = await withRetry(
            () =>
              callTool(c.client, 'update_task_status', {
                task_id: id,
                status: 'completed',
                result: { by: n },
              }),
            retries,
          );
          if (done.ok) completed.set(id, n);
        }
      }),
    );
    // Killed once a sixth of the work is done, so that it is mid-run on a fast machine too.
    await vi.waitFor(() => expect(completed.size).toBeGreaterThanOrEqual(10), {
      timeout: 30000,
      interval: 5,
    });
    deployed!.instances[1]!.child.kill('SIGKILL');
    const atKill = completed.size;
    await run;
    expect(atKill).toBeLessThan(60);
    expect(deployed!.instances[1]!.child.signalCode).toBe('SIGKILL');

    expect(new Set(claimed).size).toBe(claimed.length); // no acknowledged claim given twice
    expect(completed.size).toBe(claimed.length); // every claimed task completed, after retries
    const tasks = await tasksById(down.tasks.map((t) => t.id));
    for (const [id, n] of completed) {
      expect(tasks.get(id)).toMatchObject({ status: 'completed', owner: `agent-${n}`, result: { by: n } });
    }
    // A claim applied whose answer was lost stays in_progress under its owner (its lease will
    // lapse): at most one per retry; nothing else is left unfinished.
    const stranded = [...tasks.values()].filter((t) => t.status !== 'completed');
    expect(stranded.length).toBeLessThanOrEqual(retries.count);
    for (const t of stranded)
      expect(t).toMatchObject({ status: 'in_progress', owner: expect.stringMatching(/^agent-/) });
    expect(completed.size + stranded.length).toBe(60);
  });
});
