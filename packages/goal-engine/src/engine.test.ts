import { GoalEngine } from './engine.js';
import { GoalEngineError } from './errors.js';
import { MemoryGoalStore } from './store.js';
import { executionPlan } from './planner.js';
import type { GoalStore } from './store.js';

function setup(store: GoalStore = new MemoryGoalStore()) {
  let clock = Date.parse('2026-03-01T09:00:00.000Z');
  const engine = new GoalEngine(store, { now: () => new Date(clock) });
  return { engine, store, advance: (seconds: number) => (clock += seconds * 1000) };
}

async function refused(promise: Promise<unknown>): Promise<GoalEngineError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GoalEngineError);
    return error as GoalEngineError;
  }
  throw new Error('expected the operation to be refused');
}

async function rateLimitingGoal(engine: GoalEngine) {
  const goal = await engine.createGoal({
    description: 'Add rate limiting to our API',
    priority: 'high',
    repos: ['org/api'],
  });
  const { tasks } = await engine.breakDownGoal(goal.id, [
    { ref: 'research', description: 'Research rate limiting strategies', estimated_effort: '4h' },
    { ref: 'design', description: 'Design rate limit middleware', dependencies: ['research'] },
    { ref: 'impl', description: 'Implement Redis-based limiter', dependencies: ['design'], type: 'code' },
    { description: 'Add tests', dependencies: ['impl'], type: 'testing' },
    { description: 'Update documentation', dependencies: [2], type: 'documentation' },
    { description: 'Security review', dependencies: [3, 4], type: 'review' },
  ]);
  return { goal, tasks };
}

describe('goals', () => {
  it('creates goals with sequential ids, UTC timestamps from the clock and a derived title', async () => {
    const { engine } = setup();
    const a = await engine.createGoal({ description: 'Add rate limiting to our API\nwith details' });
    const b = await engine.createGoal({ description: 'Second', title: 'Custom', priority: 'low' });
    expect(a).toMatchObject({
      id: 'GOAL-0001',
      title: 'Add rate limiting to our API',
      status: 'planned',
      priority: 'medium',
      created_at: '2026-03-01T09:00:00.000Z',
      version: 1,
    });
    expect(b).toMatchObject({ id: 'GOAL-0002', title: 'Custom', priority: 'low' });
  });

  it('refuses an empty description and an unknown priority', async () => {
    const { engine } = setup();
    expect((await refused(engine.createGoal({ description: '   ' }))).message).toMatch(
      /description must not be empty/,
    );
    expect((await refused(engine.createGoal({ description: 'x', priority: 'urgent' as never }))).code).toBe(
      'validation',
    );
    expect(await engine.listGoals()).toEqual([]);
  });

  it('merges metadata, removing keys set to null', async () => {
    const { engine } = setup();
    const g = await engine.createGoal({ description: 'G', metadata: { keep: 1, drop: 'x' } });
    const updated = await engine.updateGoal(g.id, {
      metadata: { drop: null, add: { deep: [1] } },
      priority: 'high',
    });
    expect(updated.metadata).toEqual({ keep: 1, add: { deep: [1] } });
    expect(updated.version).toBe(2);
  });

  it('keeps a "__proto__" metadata key as data on create and update, never as a prototype', async () => {
    const { engine } = setup();
    const created = JSON.parse('{"__proto__":{"admin":true},"team":"core"}') as Record<string, never>;
    const first = await engine.createGoal({ description: 'G', metadata: created });
    expect(JSON.stringify(first.metadata)).toBe('{"__proto__":{"admin":true},"team":"core"}');
    const g = await engine.createGoal({ description: 'G', metadata: { team: 'core' } });
    const patch = JSON.parse('{"__proto__":{"polluted":1},"team":null}') as Record<string, never>;
    const updated = await engine.updateGoal(g.id, { metadata: patch });
    expect(Object.keys(updated.metadata)).toEqual(['__proto__']);
    expect(JSON.stringify(updated.metadata)).toBe('{"__proto__":{"polluted":1}}');
    expect(Object.getPrototypeOf(updated.metadata)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const read = await engine.getGoal(g.id);
    expect(JSON.stringify(read.goal.metadata)).toBe('{"__proto__":{"polluted":1}}');
  });

  it('refuses to complete a goal with unfinished tasks; a cancelled goal stays cancelled and takes no new tasks', async () => {
    const { engine } = setup();
    const { goal, tasks } = await rateLimitingGoal(engine);
    expect((await refused(engine.updateGoal(goal.id, { status: 'completed' }))).message).toMatch(
      /6 unfinished/,
    );
    await engine.updateGoal(goal.id, { status: 'cancelled' });
    await engine.updateTaskStatus(tasks[0]!.id, 'completed');
    expect((await engine.getGoal(goal.id)).goal.status).toBe('cancelled');
    expect((await refused(engine.breakDownGoal(goal.id, [{ description: 'more' }]))).message).toMatch(
      /cancelled/,
    );
  });

  it('lists with filters and deletes a goal with its tasks', async () => {
    const { engine } = setup();
    const { goal } = await rateLimitingGoal(engine);
    await engine.createGoal({ description: 'other', priority: 'low' });
    expect((await engine.listGoals({ priority: 'high' })).map((g) => g.id)).toEqual([goal.id]);
    expect(await engine.deleteGoal(goal.id)).toEqual({
      deleted_goal_id: goal.id,
      deleted_task_ids: ['TASK-0001', 'TASK-0002', 'TASK-0003', 'TASK-0004', 'TASK-0005', 'TASK-0006'],
    });
    expect((await engine.batchGetTasks(['TASK-0001'])).not_found).toEqual(['TASK-0001']);
    expect((await refused(engine.getGoal(goal.id))).code).toBe('not_found');
  });
});

describe('breakDownGoal', () => {
  it('resolves refs, positions and existing ids, and plans the example exactly', async () => {
    const { engine } = setup();
    const { goal, tasks } = await rateLimitingGoal(engine);
    expect(tasks.map((t) => [t.id, t.dependencies])).toEqual([
      ['TASK-0001', []],
      ['TASK-0002', ['TASK-0001']],
      ['TASK-0003', ['TASK-0002']],
      ['TASK-0004', ['TASK-0003']],
      ['TASK-0005', ['TASK-0003']],
      ['TASK-0006', ['TASK-0004', 'TASK-0005']],
    ]);
    const { tasks: more } = await engine.breakDownGoal(goal.id, [
      { description: 'Load test', dependencies: ['TASK-0003'] },
    ]);
    expect(more[0]).toMatchObject({
      id: 'TASK-0007',
      dependencies: ['TASK-0003'],
      status: 'pending',
      type: 'general',
      priority: 'medium',
    });
    const all = (await engine.getGoal(goal.id)).tasks;
    expect(executionPlan(all).phases).toEqual([
      ['TASK-0001'],
      ['TASK-0002'],
      ['TASK-0003'],
      ['TASK-0004', 'TASK-0005', 'TASK-0007'],
      ['TASK-0006'],
    ]);
    expect((await engine.getGoal(goal.id)).goal.task_counts.pending).toBe(7);
  });

  it('validates the whole batch first, names each bad subtask, and creates nothing nor uses ids', async () => {
    const { engine } = setup();
    const goal = await engine.createGoal({ description: 'G' });
    const error = await refused(
      engine.breakDownGoal(goal.id, [
        { ref: 'a', description: 'ok' },
        { description: '  ' },
        { ref: 'c', description: 'self', dependencies: ['c'] },
        { description: 'unknown', dependencies: ['nope', 'TASK-0999', 17] },
        { description: 'dup', dependencies: ['a', 0] },
        { ref: 'a', description: 'same ref' },
        { description: 'effort', estimated_effort: 'soonish' },
      ]),
    );
    expect(error.code).toBe('validation');
    for (const part of [
      'subtasks[1]: description must not be empty',
      'subtasks[2] (ref "c"): a task cannot depend on itself',
      'subtasks[3]: dependency "nope" is neither a position, a ref in this batch, nor a task of GOAL-0001',
      'subtasks[3]: dependency TASK-0999 does not exist',
      'subtasks[3]: dependency 17 is not a position in this batch (0 to 6)',
      'subtasks[4]: dependency 0 is listed twice',
      'subtasks[5] (ref "a"): ref "a" is already used by subtasks[0]',
      'subtasks[6]: estimated_effort "soonish" is not an effort',
    ]) {
      expect(error.message).toContain(part);
    }
    expect((await engine.getGoal(goal.id)).tasks).toEqual([]);
    const { tasks } = await engine.breakDownGoal(goal.id, [{ description: 'first real' }]);
    expect(tasks[0]!.id).toBe('TASK-0001');
  });

  it('refuses a cycle inside the batch and names it', async () => {
    const { engine } = setup();
    const goal = await engine.createGoal({ description: 'G' });
    const error = await refused(
      engine.breakDownGoal(goal.id, [
        { description: 'a', dependencies: [2] },
        { ref: 'b', description: 'b', dependencies: [0] },
        { description: 'c', dependencies: ['b'] },
      ]),
    );
    expect(error.message).toContain(
      'dependency cycle: subtasks[0] → subtasks[2] → subtasks[1] (ref "b") → subtasks[0]',
    );
  });

  it("refuses dependencies on another goal's tasks", async () => {
    const { engine } = setup();
    await rateLimitingGoal(engine);
    const other = await engine.createGoal({ description: 'Other' });
    const error = await refused(
      engine.breakDownGoal(other.id, [{ description: 'x', dependencies: ['TASK-0001'] }]),
    );
    expect(error.message).toContain(
      'dependency TASK-0001 belongs to GOAL-0001; dependencies stay within one goal',
    );
  });
});

describe('dependencies', () => {
  it('adds and removes a dependency, refusing self, duplicates, other goals and cycles (named)', async () => {
    const { engine } = setup();
    const { tasks } = await rateLimitingGoal(engine);
    const other = await engine.createGoal({ description: 'Other' });
    const {
      tasks: [foreign],
    } = await engine.breakDownGoal(other.id, [{ description: 'f' }]);
    expect((await engine.addDependency('TASK-0005', 'TASK-0004')).dependencies).toEqual([
      'TASK-0003',
      'TASK-0004',
    ]);
    expect((await refused(engine.addDependency('TASK-0005', 'TASK-0004'))).message).toMatch(
      /already depends/,
    );
    expect((await refused(engine.addDependency('TASK-0001', 'TASK-0001'))).message).toMatch(/itself/);
    expect((await refused(engine.addDependency('TASK-0001', foreign!.id))).message).toMatch(
      /within one goal/,
    );
    const cycle = await refused(engine.addDependency('TASK-0001', 'TASK-0006'));
    expect(cycle.message).toBe(
      'Adding TASK-0001 → TASK-0006 would close the cycle TASK-0001 → TASK-0006 → TASK-0004 → TASK-0003 → TASK-0002 → TASK-0001',
    );
    expect((await refused(engine.addDependency('TASK-0404', 'TASK-0001'))).code).toBe('not_found');
    expect((await engine.removeDependency('TASK-0005', 'TASK-0004')).dependencies).toEqual(['TASK-0003']);
    expect((await refused(engine.removeDependency('TASK-0005', 'TASK-0004'))).code).toBe('not_found');
    expect(tasks).toHaveLength(6);
  });
});

describe('task status', () => {
  it('refuses to start or complete before dependencies complete, unless forced', async () => {
    const { engine } = setup();
    await rateLimitingGoal(engine);
    const error = await refused(engine.updateTaskStatus('TASK-0002', 'in_progress'));
    expect(error.message).toBe('TASK-0002 cannot start: TASK-0001 is pending');
    expect(error.hint).toMatch(/force/);
    expect((await engine.updateTaskStatus('TASK-0002', 'in_progress', { force: true })).status).toBe(
      'in_progress',
    );
  });

  it('keeps started_at, sets and clears completed_at, and keeps falsy results', async () => {
    const { engine, advance } = setup();
    await rateLimitingGoal(engine);
    const started = await engine.updateTaskStatus('TASK-0001', 'in_progress');
    advance(60);
    const done = await engine.updateTaskStatus('TASK-0001', 'completed', { result: 0 });
    expect(done).toMatchObject({
      started_at: started.started_at,
      completed_at: '2026-03-01T09:01:00.000Z',
      result: 0,
    });
    const reopened = await engine.updateTaskStatus('TASK-0001', 'pending');
    expect(reopened.completed_at).toBeNull();
    expect(reopened.result).toBe(0);
    expect((await engine.updateTaskStatus('TASK-0001', 'pending', { result: null })).result).toBeNull();
  });

  it('the goal follows its tasks: in progress, completed when all are, back when one reopens', async () => {
    const { engine } = setup();
    const { goal, tasks } = await rateLimitingGoal(engine);
    expect((await engine.getGoal(goal.id)).goal.status).toBe('planned');
    await engine.updateTaskStatus(tasks[0]!.id, 'in_progress');
    expect((await engine.getGoal(goal.id)).goal.status).toBe('in_progress');
    const results = await engine.batchUpdateTasks(
      tasks.map((t) => ({ task_id: t.id, status: 'completed' as const })),
      { atomic: true },
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await engine.getGoal(goal.id)).goal).toMatchObject({
      status: 'completed',
      task_counts: { completed: 6, pending: 0 },
    });
    await engine.updateTaskStatus('TASK-0006', 'pending');
    expect((await engine.getGoal(goal.id)).goal.status).toBe('in_progress');
  });
});

describe('batchUpdateTasks', () => {
  it('applies in the order given with a result per item', async () => {
    const { engine } = setup();
    await rateLimitingGoal(engine);
    const results = await engine.batchUpdateTasks([
      { task_id: 'TASK-0001', status: 'completed' },
      { task_id: 'TASK-0002', status: 'in_progress' },
      { task_id: 'TASK-0004', status: 'completed' },
      { task_id: 'TASK-0404', status: 'completed' },
      { task_id: 'TASK-0002', status: 'completed' },
    ]);
    expect(results).toEqual([
      { task_id: 'TASK-0001', ok: true, status: 'completed' },
      { task_id: 'TASK-0002', ok: true, status: 'in_progress' },
      {
        task_id: 'TASK-0004',
        ok: false,
        error: 'TASK-0004 cannot complete: TASK-0003 is pending',
        code: 'validation',
      },
      { task_id: 'TASK-0404', ok: false, error: 'Task TASK-0404 not found', code: 'not_found' },
      { task_id: 'TASK-0002', ok: true, status: 'completed' },
    ]);
  });

  it('atomic: all or nothing, seeing its own earlier changes, within one goal', async () => {
    const { engine } = setup();
    const { goal } = await rateLimitingGoal(engine);
    const error = await refused(
      engine.batchUpdateTasks(
        [
          { task_id: 'TASK-0001', status: 'completed' },
          { task_id: 'TASK-0002', status: 'completed' },
          { task_id: 'TASK-0004', status: 'completed' },
        ],
        { atomic: true },
      ),
    );
    expect(error.message).toMatch(
      /^updates\[2\] \(TASK-0004\): TASK-0004 cannot complete: TASK-0003 is pending; nothing was changed/,
    );
    const after = await engine.getGoal(goal.id);
    expect(after.tasks.every((t) => t.status === 'pending')).toBe(true);
    expect(after.goal.version).toBe(2);
    const other = await engine.createGoal({ description: 'o' });
    await engine.breakDownGoal(other.id, [{ description: 'x' }]);
    expect(
      (
        await refused(
          engine.batchUpdateTasks(
            [
              { task_id: 'TASK-0001', status: 'completed' },
              { task_id: 'TASK-0007', status: 'completed' },
            ],
            { atomic: true },
          ),
        )
      ).message,
    ).toMatch(/one goal/);
  });
});

describe('deleteTask', () => {
  it('refuses while others depend on it, detaches or cascades on request, never leaving a dangling dependency', async () => {
    const { engine } = setup();
    const { goal } = await rateLimitingGoal(engine);
    const error = await refused(engine.deleteTask('TASK-0003'));
    expect(error.message).toBe('TASK-0003 is a dependency of TASK-0004, TASK-0005');
    expect(await engine.deleteTask('TASK-0005', 'detach')).toEqual({
      goal_id: goal.id,
      deleted_task_ids: ['TASK-0005'],
      detached_from: ['TASK-0006'],
    });
    expect((await engine.getTask('TASK-0006')).dependencies).toEqual(['TASK-0004']);
    expect(await engine.deleteTask('TASK-0002', 'cascade')).toEqual({
      goal_id: goal.id,
      deleted_task_ids: ['TASK-0002', 'TASK-0003', 'TASK-0004', 'TASK-0006'],
      detached_from: [],
    });
    const left = await engine.getGoal(goal.id);
    expect(left.tasks.map((t) => t.id)).toEqual(['TASK-0001']);
    expect(left.goal.task_counts.pending).toBe(1);
  });
});

describe('claimNextTask', () => {
  it('gives each owner a different ready task, honours leases, and returns null when nothing is ready', async () => {
    const { engine, advance } = setup();
    const goal = await engine.createGoal({ description: 'parallel' });
    await engine.breakDownGoal(goal.id, [
      { description: 'a', priority: 'low' },
      { description: 'b', priority: 'high' },
      { description: 'c', dependencies: [0, 1] },
    ]);
    const claims = await Promise.all(
      ['w1', 'w2', 'w3'].map((owner) => engine.claimNextTask({ owner, lease_seconds: 60 })),
    );
    const got = claims.filter((c) => c !== null);
    expect(got.map((c) => c.id).sort()).toEqual(['TASK-0001', 'TASK-0002']);
    expect(claims.filter((c) => c === null)).toHaveLength(1);
    expect(got.find((c) => c.id === 'TASK-0002')).toBeDefined();
    expect(got[0]).toMatchObject({ status: 'in_progress', lease_expires_at: '2026-03-01T09:01:00.000Z' });
    advance(61);
    const again = await engine.claimNextTask({ owner: 'w4', lease_seconds: 60 });
    expect(again).toMatchObject({ owner: 'w4', status: 'in_progress' });
    expect(['TASK-0001', 'TASK-0002']).toContain(again!.id);
  });
});

describe('links and export', () => {
  it('links a Jira key, a branch, a PR and URLs, validating each', async () => {
    const { engine } = setup();
    await rateLimitingGoal(engine);
    const linked = await engine.linkTask('TASK-0003', {
      jira_key: 'API-42',
      branch: 'feature/rate-limiting',
      pr_url: 'https://github.com/org/api/pull/7',
    });
    await engine.linkTask('TASK-0003', { url: 'https://docs.example.com/design' });
    const again = await engine.linkTask('TASK-0003', { url: 'https://docs.example.com/design' });
    expect(linked.jira_ticket).toBe('API-42');
    expect(again.links).toEqual({
      branch: 'feature/rate-limiting',
      pr_url: 'https://github.com/org/api/pull/7',
      urls: ['https://docs.example.com/design'],
    });
    for (const bad of [
      {},
      { jira_key: 'not a key' },
      { branch: 'has space' },
      { pr_url: 'javascript:alert(1)' },
    ]) {
      expect((await refused(engine.linkTask('TASK-0003', bad))).code).toBe('validation');
    }
  });

  it('exports every goal and task', async () => {
    const { engine } = setup();
    await rateLimitingGoal(engine);
    const snapshot = await engine.exportState();
    expect(snapshot).toMatchObject({ format: 'goal-engine/v1', exported_at: '2026-03-01T09:00:00.000Z' });
    expect(snapshot.goals).toHaveLength(1);
    expect(snapshot.tasks).toHaveLength(6);
  });
});

describe('concurrency through optimistic versions', () => {
  it('two engines on one store lose no update', async () => {
    const store = new MemoryGoalStore();
    const a = setup(store).engine;
    const b = setup(store).engine;
    const goal = await a.createGoal({ description: 'shared' });
    const { tasks } = await a.breakDownGoal(
      goal.id,
      Array.from({ length: 20 }, (_, i) => ({ description: `t${i}` })),
    );
    await Promise.all(tasks.map((t, i) => (i % 2 ? a : b).updateTaskStatus(t.id, 'completed')));
    const after = await a.getGoal(goal.id);
    expect(after.tasks.every((t) => t.status === 'completed')).toBe(true);
    expect(after.goal).toMatchObject({ status: 'completed', version: 22, task_counts: { completed: 20 } });
  });
});

describe('importState', () => {
  it('round-trips an export into an empty store and moves the counters past every id', async () => {
    const { engine } = setup();
    await rateLimitingGoal(engine);
    await engine.updateTaskStatus('TASK-0001', 'completed');
    const snapshot = await engine.exportState();
    const target = setup().engine;
    expect(await target.importState(JSON.parse(JSON.stringify(snapshot)))).toEqual({ goals: 1, tasks: 6 });
    const { goal, tasks } = await target.getGoal('GOAL-0001');
    expect(goal.task_counts).toMatchObject({ completed: 1, pending: 5 });
    expect(tasks.map((t) => t.dependencies)).toEqual(snapshot.tasks.map((t) => t.dependencies));
    expect((await target.createGoal({ description: 'next' })).id).toBe('GOAL-0002');
    const more = await target.breakDownGoal('GOAL-0002', [{ description: 'x' }]);
    expect(more.tasks[0]!.id).toBe('TASK-0007');
  });

  it("accepts the Python original's state, reading naive timestamps as UTC", async () => {
    const { engine } = setup();
    const result = await engine.importState({
      goals: {
        'GOAL-0003': {
          id: 'GOAL-0003',
          description: 'Old goal',
          priority: 'high',
          status: 'in_progress',
          repos: [],
          tasks: ['TASK-0009'],
          created_at: '2025-10-12T21:00:24.123456',
          updated_at: '2025-10-12T21:00:24.123460',
          metadata: {},
        },
      },
      tasks: {
        'TASK-0009': {
          id: 'TASK-0009',
          goal_id: 'GOAL-0003',
          description: 'Old task',
          type: 'general',
          status: 'pending',
          priority: 'medium',
          dependencies: [],
          repo: null,
          jira_ticket: null,
          estimated_effort: null,
          assigned_tools: [],
          created_at: '2025-10-12T21:00:24.2',
          completed_at: null,
          result: null,
        },
      },
      goal_counter: 5,
      task_counter: 12,
    });
    expect(result).toEqual({ goals: 1, tasks: 1 });
    expect((await engine.getTask('TASK-0009')).created_at).toBe('2025-10-12T21:00:24.200Z');
    expect((await engine.createGoal({ description: 'n' })).id).toBe('GOAL-0006');
  });

  it('refuses an invalid snapshot or one that collides, importing nothing', async () => {
    const { engine } = setup();
    const bad = await refused(
      engine.importState({
        goals: [{ id: 'GOAL-0001', description: 'g' }],
        tasks: [
          { id: 'TASK-0001', goal_id: 'GOAL-0001', description: 'a', dependencies: ['TASK-0002'] },
          { id: 'TASK-0002', goal_id: 'GOAL-0001', description: 'b', dependencies: ['TASK-0001'] },
          { id: 'TASK-0003', goal_id: 'GOAL-0404', description: 'c', status: 'done' },
        ],
      }),
    );
    expect(bad.message).toContain('TASK-0003: goal_id "GOAL-0404" is not a goal of the snapshot');
    expect(bad.message).toContain('TASK-0003: status "done" is not one of');
    expect(await engine.listGoals()).toEqual([]);
    const cyclic = await refused(
      engine.importState({
        goals: [{ id: 'GOAL-0001', description: 'g' }],
        tasks: [
          { id: 'TASK-0001', goal_id: 'GOAL-0001', description: 'a', dependencies: ['TASK-0002'] },
          { id: 'TASK-0002', goal_id: 'GOAL-0001', description: 'b', dependencies: ['TASK-0001'] },
        ],
      }),
    );
    expect(cyclic.message).toContain('GOAL-0001: dependency cycle TASK-0001 → TASK-0002 → TASK-0001');
    await engine.createGoal({ description: 'existing' });
    const collision = await refused(
      engine.importState({ goals: [{ id: 'GOAL-0001', description: 'g' }], tasks: [] }),
    );
    expect(collision.code).toBe('conflict');
    expect((await engine.listGoals()).map((g) => g.description)).toEqual(['existing']);
  });
});
