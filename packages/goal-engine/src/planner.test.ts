import fc from 'fast-check';
import { parseEffort } from './effort.js';
import type { TaskStatus } from './model.js';
import { executionPlan, findCycle, formatCycle, goalProgress, readyTasks, type PlanTask } from './planner.js';

const t = (id: string, dependencies: string[] = [], extra: Partial<PlanTask> = {}): PlanTask => ({
  id,
  status: 'pending',
  priority: 'medium',
  dependencies,
  ...extra,
});

/** The original README's example: six tasks for "add rate limiting to our API". */
const rateLimiting: PlanTask[] = [
  t('TASK-0001', [], { estimated_effort: '4h' }), // research
  t('TASK-0002', ['TASK-0001'], { estimated_effort: '1d' }), // design
  t('TASK-0003', ['TASK-0002'], { estimated_effort: '2d' }), // implement
  t('TASK-0004', ['TASK-0003'], { estimated_effort: '1d' }), // tests
  t('TASK-0005', ['TASK-0003'], { estimated_effort: '2h' }), // docs
  t('TASK-0006', ['TASK-0004', 'TASK-0005'], { estimated_effort: '4h' }), // security review
];

describe('executionPlan: named cases', () => {
  it("follows the original README's rate-limiting dependencies exactly (5 phases, not the README's 4)", () => {
    const plan = executionPlan(rateLimiting);
    expect(plan.phases).toEqual([
      ['TASK-0001'],
      ['TASK-0002'],
      ['TASK-0003'],
      ['TASK-0004', 'TASK-0005'],
      ['TASK-0006'],
    ]);
    expect(plan.critical_path).toEqual({
      task_ids: ['TASK-0001', 'TASK-0002', 'TASK-0003', 'TASK-0004', 'TASK-0006'],
      hours: 4 + 8 + 16 + 8 + 4,
      unestimated: 0,
    });
    expect(plan.blocked).toEqual([]);
    expect(plan.cycle).toBeNull();
  });

  it('diamond: the join waits for both branches', () => {
    const plan = executionPlan([t('A'), t('B', ['A']), t('C', ['A']), t('D', ['B', 'C'])]);
    expect(plan.phases).toEqual([['A'], ['B', 'C'], ['D']]);
  });

  it('disconnected components run side by side, ordered by priority then creation', () => {
    const plan = executionPlan([
      t('A'),
      t('B', ['A']),
      t('X', [], { priority: 'high' }),
      t('Y', ['X'], { priority: 'low' }),
    ]);
    expect(plan.phases).toEqual([
      ['X', 'A'],
      ['B', 'Y'],
    ]);
  });

  it('self-loop: reported as a cycle, the task blocked', () => {
    const plan = executionPlan([t('A', ['A']), t('B')]);
    expect(plan.cycle).toEqual(['A', 'A']);
    expect(plan.phases).toEqual([['B']]);
    expect(plan.blocked).toEqual([
      { task_id: 'A', blocked_by: 'A', reason: 'on or behind the dependency cycle A → A' },
    ]);
  });

  it('missing dependency: the task and its dependents are blocked, naming the unknown id', () => {
    const plan = executionPlan([t('A', ['GHOST']), t('B', ['A']), t('C')]);
    expect(plan.phases).toEqual([['C']]);
    expect(plan.blocked).toEqual([
      { task_id: 'A', blocked_by: 'GHOST', reason: 'depends on GHOST, which does not exist' },
      { task_id: 'B', blocked_by: 'GHOST', reason: 'depends on GHOST, which does not exist' },
    ]);
  });

  it('long chain: one task per phase', () => {
    const chain = Array.from({ length: 500 }, (_, i) => t(`T${i}`, i > 0 ? [`T${i - 1}`] : []));
    const plan = executionPlan(chain);
    expect(plan.phases).toHaveLength(500);
    expect(plan.critical_path.task_ids).toHaveLength(500);
    expect(plan.critical_path.unestimated).toBe(500);
  });

  it('wide fan-out: everything after the root runs in one phase', () => {
    const fan = [t('ROOT'), ...Array.from({ length: 1000 }, (_, i) => t(`L${i}`, ['ROOT']))];
    const plan = executionPlan(fan);
    expect(plan.phases.map((p) => p.length)).toEqual([1, 1000]);
  });

  it('completed dependencies count as satisfied; failed and cancelled ones block their dependents', () => {
    const plan = executionPlan([
      t('A', [], { status: 'completed' }),
      t('B', ['A']),
      t('C', [], { status: 'failed' }),
      t('D', ['C']),
      t('E', ['D']),
      t('F', [], { status: 'cancelled' }),
      t('G', ['F', 'B']),
    ]);
    expect(plan.phases).toEqual([['B']]);
    expect(plan.completed).toEqual(['A']);
    expect(plan.failed).toEqual(['C']);
    expect(plan.cancelled).toEqual(['F']);
    expect(plan.blocked).toEqual([
      { task_id: 'D', blocked_by: 'C', reason: 'depends on C, which failed' },
      { task_id: 'E', blocked_by: 'C', reason: 'depends on C, which failed' },
      { task_id: 'G', blocked_by: 'F', reason: 'depends on F, which was cancelled' },
    ]);
  });

  it('an empty goal has an empty plan', () => {
    expect(executionPlan([])).toMatchObject({
      phases: [],
      blocked: [],
      cycle: null,
      critical_path: { task_ids: [], hours: 0 },
    });
  });
});

describe('readyTasks', () => {
  it('offers pending tasks whose dependencies are completed, most urgent and most blocking first', () => {
    const tasks = [
      t('A', [], { status: 'completed' }),
      t('B', ['A']), // unblocks C (1h default) and D (8h)
      t('C', ['B']),
      t('D', ['B'], { estimated_effort: '1d' }),
      t('E'), // unblocks nothing
      t('F', [], { priority: 'high' }),
      t('G', ['C']),
      t('H', [], { status: 'in_progress' }),
    ];
    expect(readyTasks(tasks)).toEqual([
      { task_id: 'F', priority: 'high', unblocks_hours: 0 },
      { task_id: 'B', priority: 'medium', unblocks_hours: 8 },
      { task_id: 'E', priority: 'medium', unblocks_hours: 0 },
    ]);
  });

  it('never offers a task with an unknown dependency, and offers a lapsed claim again', () => {
    const tasks = [
      t('A', ['GHOST']),
      t('B', [], { status: 'in_progress' }),
      t('C', [], { status: 'in_progress' }),
    ];
    const lease: Record<string, string> = { B: '2026-01-01T00:00:00.000Z', C: '2026-01-01T02:00:00.000Z' };
    expect(
      readyTasks(tasks, { now: '2026-01-01T01:00:00.000Z', leaseExpiresAt: (id) => lease[id] ?? null }).map(
        (r) => r.task_id,
      ),
    ).toEqual(['B']);
  });
});

describe('findCycle', () => {
  it('names the cycle in dependency direction, starting at its earliest task', () => {
    const cycle = findCycle([
      t('TASK-0001'),
      t('TASK-0003', ['TASK-0005']),
      t('TASK-0004', ['TASK-0003']),
      t('TASK-0005', ['TASK-0003']),
    ]);
    expect(cycle).toEqual(['TASK-0003', 'TASK-0005', 'TASK-0003']);
    expect(formatCycle(cycle!)).toBe('TASK-0003 → TASK-0005 → TASK-0003');
  });
});

describe('goalProgress', () => {
  it('counts statuses, leaves cancelled tasks out of the percentage, and reports remaining critical hours', () => {
    const done = rateLimiting.map((task, i) => ({
      ...task,
      status: (i < 2 ? 'completed' : i === 4 ? 'cancelled' : 'pending') as TaskStatus,
    }));
    const progress = goalProgress(done);
    expect(progress.total).toBe(6);
    expect(progress.counts).toMatchObject({ completed: 2, cancelled: 1, pending: 3 });
    expect(progress.percent_complete).toBe(40);
    // TASK-0006 waits on the cancelled TASK-0005, so it is blocked and off the critical path.
    expect(progress.remaining_critical_hours).toBe(16 + 8);
  });
});

describe('parseEffort', () => {
  it.each([
    ['30m', 0.5],
    ['4h', 4],
    ['2d', 16],
    ['1w', 40],
    ['1d 4h', 12],
    ['1.5', 1.5],
    [' 3 hours ', 3],
    ['90 minutes', 1.5],
    [6, 6],
  ] as const)('%s is %d hours', (text, hours) => expect(parseEffort(text)).toBe(hours));

  it.each(['', 'soon', '4x', 'h4', '-2h', '2d and a bit'])('%s is not an effort', (text) =>
    expect(parseEffort(text)).toBeNull(),
  );
});

// ---------- properties on random DAGs ----------

const STATUSES: TaskStatus[] = [
  'pending',
  'pending',
  'pending',
  'in_progress',
  'completed',
  'blocked',
  'failed',
  'cancelled',
];

/** A random DAG: each task depends only on earlier ones, so it is acyclic by construction. */
const randomDag = fc
  .integer({ min: 1, max: 120 })
  .chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.record({
          deps: fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, i - 1) }), {
            maxLength: i === 0 ? 0 : Math.min(i, 4),
          }),
          status: fc.constantFrom(...STATUSES),
          priority: fc.constantFrom('high' as const, 'medium' as const, 'low' as const),
          effort: fc.option(fc.constantFrom('30m', '2h', '1d', '3'), { nil: null }),
        }),
      ),
    ),
  )
  .map((specs) =>
    specs.map(
      (s, i): PlanTask => ({
        id: `TASK-${String(i + 1).padStart(4, '0')}`,
        status: s.status,
        priority: s.priority,
        dependencies: s.deps.map((d) => `TASK-${String(d + 1).padStart(4, '0')}`),
        estimated_effort: s.effort,
      }),
    ),
  );

/** Reorders tasks so creation order does not follow the dependency order. */
const shuffled = randomDag.chain((tasks) =>
  fc.shuffledSubarray(tasks, { minLength: tasks.length, maxLength: tasks.length }),
);

describe('planner properties on random DAGs', () => {
  it('every unfinished task appears exactly once: in one phase or in blocked', () => {
    fc.assert(
      fc.property(shuffled, (tasks) => {
        const plan = executionPlan(tasks);
        const placed = [...plan.phases.flat(), ...plan.blocked.map((b) => b.task_id)].sort();
        const unfinished = tasks
          .filter((x) => !['completed', 'failed', 'cancelled'].includes(x.status))
          .map((x) => x.id)
          .sort();
        expect(placed).toEqual(unfinished);
        expect(plan.cycle).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('every dependency of a phased task is completed or sits in an earlier phase', () => {
    fc.assert(
      fc.property(shuffled, (tasks) => {
        const plan = executionPlan(tasks);
        const phaseOf = new Map<string, number>();
        plan.phases.forEach((ids, k) => ids.forEach((id) => phaseOf.set(id, k)));
        const status = new Map(tasks.map((x) => [x.id, x.status]));
        for (const task of tasks) {
          const k = phaseOf.get(task.id);
          if (k === undefined) continue;
          for (const d of task.dependencies) {
            expect(status.get(d) === 'completed' || (phaseOf.get(d) ?? Infinity) < k).toBe(true);
          }
          // Layering is tight: a task in phase k > 0 has a dependency in phase k - 1.
          if (k > 0) expect(task.dependencies.some((d) => phaseOf.get(d) === k - 1)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the critical path is a real dependency chain through phased tasks', () => {
    fc.assert(
      fc.property(shuffled, (tasks) => {
        const plan = executionPlan(tasks);
        const byId = new Map(tasks.map((x) => [x.id, x]));
        const phased = new Set(plan.phases.flat());
        const path = plan.critical_path.task_ids;
        for (const id of path) expect(phased.has(id)).toBe(true);
        for (let i = 1; i < path.length; i++) expect(byId.get(path[i]!)!.dependencies).toContain(path[i - 1]);
        expect(path.length > 0).toBe(phased.size > 0);
      }),
      { numRuns: 200 },
    );
  });

  it('a planted cycle is always found, and the reported cycle is real', () => {
    const withCycle = randomDag
      .filter((tasks) => tasks.length >= 2)
      .chain((tasks) =>
        fc.tuple(
          fc.constant(tasks),
          fc.integer({ min: 0, max: tasks.length - 1 }),
          fc.integer({ min: 0, max: tasks.length - 1 }),
        ),
      )
      .map(([tasks, a, b]) => {
        // Plant a back edge from an earlier task to a later one that (transitively) depends on it,
        // or a self-loop when a === b.
        const lo = Math.min(a, b);
        const hi = Math.max(a, b);
        const copy = tasks.map((x) => ({ ...x, dependencies: [...x.dependencies] }));
        // Make hi depend on lo (forward edge) and lo depend on hi (back edge): a cycle lo → hi → lo.
        if (lo !== hi && !copy[hi]!.dependencies.includes(copy[lo]!.id))
          copy[hi]!.dependencies.push(copy[lo]!.id);
        copy[lo]!.dependencies.push(copy[hi]!.id);
        return copy;
      });
    fc.assert(
      fc.property(withCycle, (tasks) => {
        const cycle = findCycle(tasks);
        expect(cycle).not.toBeNull();
        const byId = new Map(tasks.map((x) => [x.id, x]));
        expect(cycle![0]).toBe(cycle![cycle!.length - 1]);
        for (let i = 0; i + 1 < cycle!.length; i++)
          expect(byId.get(cycle![i]!)!.dependencies).toContain(cycle![i + 1]);
        const plan = executionPlan(tasks);
        expect(plan.cycle).toEqual(cycle);
      }),
      { numRuns: 300 },
    );
  });

  it('goalProgress reports the critical path hours of the execution plan, cycles included', () => {
    const withExtras = shuffled.chain((tasks) =>
      fc
        .tuple(
          fc.constant(tasks),
          fc.array(fc.tuple(fc.nat(tasks.length - 1), fc.nat(tasks.length)), { maxLength: 3 }),
        )
        .map(([tasks, extra]) => {
          // Extra edges may close cycles (or point at an unknown id when the target is past the end).
          const copy = tasks.map((x) => ({ ...x, dependencies: [...x.dependencies] }));
          for (const [from, to] of extra) copy[from]!.dependencies.push(copy[to]?.id ?? 'TASK-9999');
          return copy;
        }),
    );
    fc.assert(
      fc.property(withExtras, (tasks) => {
        expect(goalProgress(tasks).remaining_critical_hours).toBe(executionPlan(tasks).critical_path.hours);
      }),
      { numRuns: 500 },
    );
  });

  it('is deterministic: the same tasks give the same plan', () => {
    fc.assert(
      fc.property(shuffled, (tasks) => {
        expect(executionPlan(tasks)).toEqual(executionPlan(tasks.map((x) => ({ ...x }))));
      }),
      { numRuns: 50 },
    );
  });
});
