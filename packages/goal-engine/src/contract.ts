// The store contract: one suite every GoalStore implementation runs (memory, Redis, file).
// Framework-agnostic: each case is a name and an async function that throws on failure.
import { GoalEngine } from './engine.js';
import { VersionConflictError } from './errors.js';
import { emptyCounts, goalId, taskId, type Goal, type Task } from './model.js';
import type { GoalStore } from './store.js';

export interface ContractCase {
  name: string;
  run(): Promise<void>;
}

/** Creates a fresh, empty store for one case; `close` (optional) tears it down. */
export type StoreFactory = () => Promise<{ store: GoalStore; close?: () => Promise<void> }>;

class ContractFailure extends Error {}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ContractFailure(message);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function same(actual: unknown, expected: unknown, message: string): void {
  const a = canonical(actual);
  const e = canonical(expected);
  check(a === e, `${message}\n  expected: ${e}\n  actual:   ${a}`);
}

async function rejectsConflict(promise: Promise<unknown>, message: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    check(
      error instanceof VersionConflictError || (error as Error).name === 'VersionConflictError',
      `${message}: wrong error ${String(error)}`,
    );
    return;
  }
  throw new ContractFailure(`${message}: no conflict was raised`);
}

const T0 = '2026-01-02T03:04:05.000Z';

function goal(n: number, version = 1): Goal {
  return {
    id: goalId(n),
    title: `Goal ${n}`,
    description: `Goal number ${n} — ünïcödé "quoted"`,
    priority: 'high',
    status: 'planned',
    repos: ['org/api'],
    metadata: { nested: { a: [1, 2, { b: null }] }, empty: {}, text: '123' },
    task_counts: emptyCounts(),
    created_at: T0,
    updated_at: T0,
    version,
  };
}

function task(n: number, goalN: number, deps: string[] = []): Task {
  return {
    id: taskId(n),
    goal_id: goalId(goalN),
    title: `Task ${n}`,
    description: `Task ${n}`,
    type: 'code',
    status: 'pending',
    priority: 'medium',
    dependencies: deps,
    repo: null,
    jira_ticket: 'PROJ-1',
    estimated_effort: '2h',
    assigned_tools: ['github'],
    result: { ok: true, values: [0, false, '', null] },
    links: { branch: null, pr_url: null, urls: [] },
    owner: null,
    lease_expires_at: null,
    created_at: T0,
    updated_at: T0,
    started_at: null,
    completed_at: null,
  };
}

/**
 * The cases every GoalStore must pass: id allocation never repeats (also under concurrency and
 * after a reserve), optimistic concurrency refuses stale writes without changing anything,
 * exactly one of two racing commits wins, reads return faithful copies in creation order,
 * deletes leave nothing behind, and a whole engine workflow round-trips through the store.
 */
export function goalStoreContract(factory: StoreFactory): ContractCase[] {
  const withStore = (name: string, body: (store: GoalStore) => Promise<void>): ContractCase => ({
    name,
    async run() {
      const { store, close } = await factory();
      try {
        await body(store);
      } finally {
        await close?.();
      }
    },
  });

  return [
    withStore('allocateIds hands out consecutive ranges and never the same number twice', async (store) => {
      const a = await store.allocateIds('task', 3);
      const b = await store.allocateIds('task', 1);
      same([a, b], [1, 4], 'first ranges');
      check((await store.allocateIds('goal', 1)) === 1, 'goal counter is separate');
      const firsts = await Promise.all(Array.from({ length: 20 }, () => store.allocateIds('task', 5)));
      const numbers = firsts.flatMap((f) => [0, 1, 2, 3, 4].map((k) => f + k));
      check(new Set(numbers).size === 100, 'concurrent allocations overlap');
      check(Math.min(...numbers) === 5, 'concurrent allocations skipped numbers');
    }),
    withStore('reserveIdsUpTo moves the counter forward, never back', async (store) => {
      await store.reserveIdsUpTo('task', 41);
      check((await store.allocateIds('task', 1)) === 42, 'after reserving 41, next is 42');
      await store.reserveIdsUpTo('task', 10);
      check((await store.allocateIds('task', 1)) === 43, 'a lower reserve must not move back');
    }),
    withStore('a created goal and its tasks read back exactly, never aliased', async (store) => {
      const g = goal(1);
      const tasks = [task(1, 1), task(2, 1, ['TASK-0001'])];
      await store.commit({ goalId: g.id, expectedVersion: 0, goal: g, putTasks: tasks, deleteTaskIds: [] });
      same(await store.getGoal(g.id), g, 'goal round trip');
      same(await store.getGoalTasks(g.id), tasks, 'tasks round trip');
      same(await store.getGoalWithTasks(g.id), { goal: g, tasks }, 'goal with tasks round trip');
      check((await store.getGoalWithTasks('GOAL-0404')) === null, 'unknown goal with tasks is null');
      // A returned value is either a copy or frozen: changing it must not change the store.
      const returned = (await store.getGoal(g.id))!;
      const returnedTask = (await store.getGoalTasks(g.id))[1]!;
      const attempts = [
        () => (returned.metadata['x'] = 1),
        () => returned.repos.push('mutated'),
        () => returnedTask.dependencies.push('TASK-0404'),
        () => (returnedTask.links.urls = ['https://mutated']),
      ];
      for (const attempt of attempts) {
        try {
          attempt();
        } catch (error) {
          check(error instanceof TypeError, `changing a returned value threw ${String(error)}`);
        }
      }
      same(await store.getGoal(g.id), g, 'a returned goal must not alias the stored one');
      same(await store.getGoalTasks(g.id), tasks, 'a returned task must not alias the stored one');
      // What was committed stays the caller's: changing it later changes nothing stored.
      const input = goal(1);
      check(!Object.isFrozen(g) && !Object.isFrozen(tasks[0]), 'commit must not freeze the caller’s objects');
      g.repos.push('after commit');
      tasks[0]!.title = 'changed after commit';
      same(await store.getGoal(g.id), input, 'a committed goal must not alias the caller’s object');
      same(
        (await store.getGoalTasks(g.id))[0],
        task(1, 1),
        'a committed task must not alias the caller’s object',
      );
      same(
        await store.getTasks(['TASK-0002', 'TASK-0404', 'TASK-0001']),
        [task(2, 1, ['TASK-0001']), null, task(1, 1)],
        'getTasks order and nulls',
      );
      check((await store.getGoal('GOAL-0404')) === null, 'unknown goal is null');
      same(await store.getGoalTasks('GOAL-0404'), [], 'unknown goal has no tasks');
    }),
    withStore('creating a goal that exists is a conflict', async (store) => {
      await store.commit({
        goalId: 'GOAL-0001',
        expectedVersion: 0,
        goal: goal(1),
        putTasks: [],
        deleteTaskIds: [],
      });
      await rejectsConflict(
        store.commit({
          goalId: 'GOAL-0001',
          expectedVersion: 0,
          goal: goal(1),
          putTasks: [task(9, 1)],
          deleteTaskIds: [],
        }),
        'second create',
      );
      same(await store.getGoalTasks('GOAL-0001'), [], 'the refused commit wrote a task');
    }),
    withStore('a stale version is refused and changes nothing', async (store) => {
      await store.commit({
        goalId: 'GOAL-0001',
        expectedVersion: 0,
        goal: goal(1),
        putTasks: [task(1, 1)],
        deleteTaskIds: [],
      });
      await store.commit({
        goalId: 'GOAL-0001',
        expectedVersion: 1,
        goal: goal(1, 2),
        putTasks: [],
        deleteTaskIds: [],
      });
      const stale = { ...goal(1, 2), title: 'stale' };
      await rejectsConflict(
        store.commit({
          goalId: 'GOAL-0001',
          expectedVersion: 1,
          goal: stale,
          putTasks: [task(2, 1)],
          deleteTaskIds: ['TASK-0001'],
        }),
        'stale commit',
      );
      same(await store.getGoal('GOAL-0001'), goal(1, 2), 'goal after refused commit');
      same(await store.getGoalTasks('GOAL-0001'), [task(1, 1)], 'tasks after refused commit');
    }),
    withStore('of two racing commits on one version exactly one wins', async (store) => {
      await store.commit({
        goalId: 'GOAL-0001',
        expectedVersion: 0,
        goal: goal(1),
        putTasks: [],
        deleteTaskIds: [],
      });
      const results = await Promise.allSettled(
        [1, 2].map((k) =>
          store.commit({
            goalId: 'GOAL-0001',
            expectedVersion: 1,
            goal: { ...goal(1, 2), title: `w${k}` },
            putTasks: [task(k, 1)],
            deleteTaskIds: [],
          }),
        ),
      );
      check(results.filter((r) => r.status === 'fulfilled').length === 1, 'exactly one commit must win');
      const winner = results.findIndex((r) => r.status === 'fulfilled') + 1;
      same((await store.getGoal('GOAL-0001'))?.title, `w${winner}`, 'the winner is stored');
      same(
        (await store.getGoalTasks('GOAL-0001')).map((t) => t.id),
        [taskId(winner)],
        'only the winner wrote its task',
      );
    }),
    withStore('tasks and goals list in creation order, past 9999 too', async (store) => {
      for (const n of [10000, 2, 9999]) {
        await store.commit({
          goalId: goalId(n),
          expectedVersion: 0,
          goal: goal(n),
          putTasks: [],
          deleteTaskIds: [],
        });
      }
      same(
        (await store.listGoals()).map((g) => g.id),
        ['GOAL-0002', 'GOAL-9999', 'GOAL-10000'],
        'goal order',
      );
      await store.commit({
        goalId: 'GOAL-0002',
        expectedVersion: 1,
        goal: goal(2, 2),
        putTasks: [task(10000, 2), task(3, 2), task(9999, 2)],
        deleteTaskIds: [],
      });
      same(
        (await store.getGoalTasks('GOAL-0002')).map((t) => t.id),
        ['TASK-0003', 'TASK-9999', 'TASK-10000'],
        'task order',
      );
    }),
    withStore('deleting tasks and goals leaves nothing behind', async (store) => {
      await store.commit({
        goalId: 'GOAL-0001',
        expectedVersion: 0,
        goal: goal(1),
        putTasks: [task(1, 1), task(2, 1), task(3, 1)],
        deleteTaskIds: [],
      });
      await store.commit({
        goalId: 'GOAL-0002',
        expectedVersion: 0,
        goal: goal(2),
        putTasks: [task(4, 2)],
        deleteTaskIds: [],
      });
      await store.commit({
        goalId: 'GOAL-0001',
        expectedVersion: 1,
        goal: goal(1, 2),
        putTasks: [],
        deleteTaskIds: ['TASK-0002'],
      });
      same(
        (await store.getGoalTasks('GOAL-0001')).map((t) => t.id),
        ['TASK-0001', 'TASK-0003'],
        'after task delete',
      );
      same(
        (await store.getGoalWithTasks('GOAL-0001'))?.tasks.map((t) => t.id),
        ['TASK-0001', 'TASK-0003'],
        'after task delete, read with the goal',
      );
      same(await store.getTasks(['TASK-0002']), [null], 'deleted task is gone');
      await store.commit({
        goalId: 'GOAL-0001',
        expectedVersion: 2,
        goal: null,
        putTasks: [],
        deleteTaskIds: [],
      });
      check((await store.getGoal('GOAL-0001')) === null, 'deleted goal is gone');
      check((await store.getGoalWithTasks('GOAL-0001')) === null, 'deleted goal is gone with its tasks');
      same(
        await store.getTasks(['TASK-0001', 'TASK-0003', 'TASK-0004']),
        [null, null, task(4, 2)],
        'its tasks are gone, others stay',
      );
      same(
        (await store.listGoals()).map((g) => g.id),
        ['GOAL-0002'],
        'goal list after delete',
      );
      const first = await store.allocateIds('goal', 1);
      check(first === 1, 'ids are allocated by counter only; this store was never asked before');
    }),
    withStore(
      'importGoals creates every goal and task and moves the counters, in one step',
      async (store) => {
        const batch = [
          { goal: goal(3), tasks: [task(7, 3), task(8, 3, ['TASK-0007'])] },
          { goal: goal(5), tasks: [] },
        ];
        await store.importGoals(batch, { goal: 5, task: 8 });
        same(await store.getGoalWithTasks('GOAL-0003'), batch[0], 'imported goal with its tasks');
        same(
          (await store.listGoals()).map((g) => g.id),
          ['GOAL-0003', 'GOAL-0005'],
          'imported goals listed',
        );
        same(await store.getTasks(['TASK-0008']), [task(8, 3, ['TASK-0007'])], 'imported task by id');
        check((await store.allocateIds('goal', 1)) === 6, 'goal counter moved past the import');
        check((await store.allocateIds('task', 1)) === 9, 'task counter moved past the import');
        await store.importGoals([], { goal: 2, task: 2 });
        check((await store.allocateIds('goal', 1)) === 7, 'an import never moves a counter back');
      },
    ),
    withStore('importGoals with a goal or task id already taken changes nothing', async (store) => {
      await store.commit({
        goalId: 'GOAL-0002',
        expectedVersion: 0,
        goal: goal(2),
        putTasks: [task(4, 2)],
        deleteTaskIds: [],
      });
      for (const clash of [
        [
          { goal: goal(1), tasks: [task(1, 1)] },
          { goal: goal(2), tasks: [] },
        ],
        [
          { goal: goal(1), tasks: [task(1, 1)] },
          { goal: goal(3), tasks: [task(4, 3)] },
        ],
      ]) {
        let refused = false;
        try {
          await store.importGoals(clash, { goal: 3, task: 4 });
        } catch (error) {
          refused = (error as { code?: string }).code === 'conflict';
        }
        check(refused, 'a clashing import is a conflict');
        same(
          (await store.listGoals()).map((g) => g.id),
          ['GOAL-0002'],
          'no goal of a refused import',
        );
        same(await store.getTasks(['TASK-0001']), [null], 'no task of a refused import');
        same(
          (await store.getGoalTasks('GOAL-0002')).map((t) => t.id),
          ['TASK-0004'],
          'existing goal untouched',
        );
      }
      check((await store.allocateIds('goal', 1)) === 1, 'a refused import moves no counter');
    }),
    withStore('an engine workflow round-trips through the store', async (store) => {
      let clock = Date.parse(T0);
      const engine = new GoalEngine(store, { now: () => new Date((clock += 1000)) });
      const g = await engine.createGoal({ description: 'Ship it', metadata: { team: 'core' } });
      const { tasks } = await engine.breakDownGoal(g.id, [
        { ref: 'a', description: 'First', estimated_effort: '2h' },
        { description: 'Second', dependencies: ['a'] },
      ]);
      await engine.updateTaskStatus(tasks[0]!.id, 'completed', { result: { pr: 7 } });
      const claimed = await engine.claimNextTask({ owner: 'agent-1', lease_seconds: 60 });
      same(claimed?.id, tasks[1]!.id, 'claim takes the ready task');
      const { goal: stored, tasks: storedTasks } = await engine.getGoal(g.id);
      same(
        stored.task_counts,
        { ...emptyCounts(), completed: 1, in_progress: 1 },
        'counts follow the changes',
      );
      same(stored.status, 'in_progress', 'goal status follows its tasks');
      same(storedTasks[0]!.result, { pr: 7 }, 'result stored');
      same(storedTasks[1]!.owner, 'agent-1', 'owner stored');
      check(stored.version === 4, `version counts every change (got ${stored.version})`);
    }),
  ];
}
