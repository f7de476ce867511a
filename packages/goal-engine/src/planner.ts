import { parseEffort } from './effort.js';
import type { Priority, TaskStatus } from './model.js';

/** What the planner needs of a task. Tasks are given in creation order. */
export interface PlanTask {
  id: string;
  status: TaskStatus;
  priority: Priority;
  dependencies: readonly string[];
  estimated_effort?: string | null;
}

const PRIORITY_RANK: Record<Priority, number> = { high: 0, medium: 1, low: 2 };
/** Hours assumed for a task without an estimate, so unestimated work still counts. */
export const DEFAULT_EFFORT_HOURS = 1;

/** Tasks as integer-indexed arrays; dependencies in CSR form (`-1` for an id not in the list). */
interface Graph {
  n: number;
  ids: readonly string[];
  depStart: Int32Array;
  deps: Int32Array;
  /** Sort key: priority first, then creation order (the index), unique per task. */
  rank: Float64Array;
}

function buildGraph(tasks: readonly PlanTask[]): Graph {
  const n = tasks.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(tasks[i]!.id, i);
  let edges = 0;
  for (let i = 0; i < n; i++) edges += tasks[i]!.dependencies.length;
  const depStart = new Int32Array(n + 1);
  const deps = new Int32Array(edges);
  const rank = new Float64Array(n);
  let e = 0;
  for (let i = 0; i < n; i++) {
    const t = tasks[i]!;
    depStart[i] = e;
    for (const d of t.dependencies) deps[e++] = index.get(d) ?? -1;
    rank[i] = PRIORITY_RANK[t.priority] * n + i;
  }
  depStart[n] = e;
  return { n, ids: tasks.map((t) => t.id), depStart, deps, rank };
}

/**
 * Kahn's algorithm over the dependency edges restricted to `include`d tasks: returns the included
 * tasks in an order where every task follows its included dependencies, and how many there are.
 * Tasks left out of the order sit on or behind a cycle. O(V + E).
 */
function topoOrder(g: Graph, include: Uint8Array): { order: Int32Array; count: number } {
  const { n, depStart, deps } = g;
  const pending = new Int32Array(n); // unprocessed included dependencies per task
  const outCount = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    if (!include[i]) continue;
    for (let e = depStart[i]!; e < depStart[i + 1]!; e++) {
      const d = deps[e]!;
      if (d >= 0 && include[d]) {
        pending[i]!++;
        outCount[d + 1]!++;
      }
    }
  }
  for (let i = 0; i < n; i++) outCount[i + 1]! += outCount[i]!;
  const outs = new Int32Array(outCount[n]!);
  const fill = outCount.slice(0, n);
  for (let i = 0; i < n; i++) {
    if (!include[i]) continue;
    for (let e = depStart[i]!; e < depStart[i + 1]!; e++) {
      const d = deps[e]!;
      if (d >= 0 && include[d]) outs[fill[d]!++] = i;
    }
  }
  const order = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) if (include[i] && pending[i] === 0) order[tail++] = i;
  while (head < tail) {
    const v = order[head++]!;
    for (let e = outCount[v]!; e < outCount[v + 1]!; e++) {
      const w = outs[e]!;
      if (--pending[w]! === 0) order[tail++] = w;
    }
  }
  return { order, count: tail };
}

/** Walks unprocessed dependencies from a task left out by Kahn until one repeats: that loop is a real cycle. */
function cycleFrom(g: Graph, inOrder: Uint8Array, include: Uint8Array, start: number): string[] {
  const seenAt = new Map<number, number>();
  const path: number[] = [];
  let v = start;
  while (!seenAt.has(v)) {
    seenAt.set(v, path.length);
    path.push(v);
    let next = -1;
    for (let e = g.depStart[v]!; e < g.depStart[v + 1]!; e++) {
      const d = g.deps[e]!;
      if (d >= 0 && include[d] && !inOrder[d]) {
        next = d;
        break;
      }
    }
    v = next; // a task left out always has a dependency left out, so next >= 0
  }
  const loop = path.slice(seenAt.get(v));
  // Start at the earliest-created member so the same cycle is always reported the same way.
  let first = 0;
  for (let i = 1; i < loop.length; i++) if (loop[i]! < loop[first]!) first = i;
  const rotated = [...loop.slice(first), ...loop.slice(0, first)];
  return [...rotated, rotated[0]!].map((i) => g.ids[i]!);
}

function cycleOf(g: Graph, include: Uint8Array): string[] | null {
  const { order, count } = topoOrder(g, include);
  let included = 0;
  for (let i = 0; i < g.n; i++) included += include[i]!;
  if (count === included) return null;
  const inOrder = new Uint8Array(g.n);
  for (let k = 0; k < count; k++) inOrder[order[k]!] = 1;
  for (let i = 0; i < g.n; i++) if (include[i] && !inOrder[i]) return cycleFrom(g, inOrder, include, i);
  return null;
}

/**
 * A dependency cycle among the tasks, or null. The cycle reads in dependency direction and
 * closes on its first task: `['TASK-0003', 'TASK-0005', 'TASK-0003']` means TASK-0003 depends
 * on TASK-0005, which depends on TASK-0003. Dependencies on ids not in the list are ignored.
 * A self-dependency is the cycle `[X, X]`. Deterministic; O(V + E).
 */
export function findCycle(tasks: readonly PlanTask[]): string[] | null {
  const g = buildGraph(tasks);
  return cycleOf(g, new Uint8Array(g.n).fill(1));
}

/** `TASK-0003 → TASK-0005 → TASK-0003` */
export const formatCycle = (cycle: readonly string[]) => cycle.join(' → ');

export interface BlockedTask {
  task_id: string;
  /** The failed, cancelled or unknown task at the root of the blockage (for a cycle, a cycle member). */
  blocked_by: string;
  reason: string;
}

export interface CriticalPath {
  /** The longest chain of unfinished work, first task first. */
  task_ids: string[];
  /** Its length in hours (unestimated tasks count DEFAULT_EFFORT_HOURS each). */
  hours: number;
  /** How many tasks on the path have no usable estimate. */
  unestimated: number;
}

export interface ExecutionPlan {
  /** Phases of unfinished tasks; a task's dependencies all sit in earlier phases (or are completed). Tasks in one phase can run in parallel. */
  phases: string[][];
  /** Unfinished tasks that cannot run: a dependency (directly or further up) failed, was cancelled, is unknown, or lies on a cycle. */
  blocked: BlockedTask[];
  /** A dependency cycle, when the data holds one (the engine never stores one). */
  cycle: string[] | null;
  critical_path: CriticalPath;
  completed: string[];
  failed: string[];
  cancelled: string[];
}

const OPEN = 1;
const DONE = 2;
const DEAD = 3;
function stateOf(status: TaskStatus): number {
  return status === 'completed' ? DONE : status === 'failed' || status === 'cancelled' ? DEAD : OPEN;
}

function sortByRank(g: Graph, items: number[]): number[] {
  const keys = Float64Array.from(items, (i) => g.rank[i]!);
  keys.sort();
  return Array.from(keys, (k) => k % g.n);
}

/**
 * The execution plan of one goal's tasks. Completed tasks count as satisfied dependencies;
 * failed and cancelled tasks are left out, and every unfinished task that depends on one of
 * them (directly or further up), on an unknown id, or on a cycle is listed in `blocked` with
 * the reason instead of in a phase. The rest are layered topologically: phase k holds the tasks
 * whose longest chain of unfinished dependencies has k links. Within a phase, tasks are ordered
 * by priority, then creation order. The critical path is the chain of the most estimated
 * hours. Deterministic; O(V + E) plus the sort of each phase.
 */
export function executionPlan(tasks: readonly PlanTask[]): ExecutionPlan {
  const g = buildGraph(tasks);
  const { n, depStart, deps, ids } = g;
  const state = new Uint8Array(n);
  for (let i = 0; i < n; i++) state[i] = stateOf(tasks[i]!.status);
  const all = new Uint8Array(n).fill(1);
  const { order, count } = topoOrder(g, all);
  const inOrder = new Uint8Array(n);
  for (let k = 0; k < count; k++) inOrder[order[k]!] = 1;
  const cycle = count < n ? cycleFrom(g, inOrder, all, firstMissing(inOrder)) : null;

  // Root cause of blockage per task (-1: not blocked; -2: unknown dependency; else the dead task).
  const cause = new Int32Array(n).fill(-1);
  const unknownDep: (string | undefined)[] = [];
  const layer = new Int32Array(n);
  const hours = new Float64Array(n);
  const prev = new Int32Array(n).fill(-1);
  for (let k = 0; k < count; k++) {
    const v = order[k]!;
    if (state[v] !== OPEN) continue;
    let c = -1;
    let l = 0;
    let best = 0;
    let bestPrev = -1;
    for (let e = depStart[v]!; e < depStart[v + 1]!; e++) {
      const d = deps[e]!;
      if (d < 0) {
        if (c === -1) {
          c = -2;
          unknownDep[v] = tasks[v]!.dependencies[e - depStart[v]!];
        }
        continue;
      }
      if (state[d] === DEAD) {
        if (c === -1) c = d;
      } else if (state[d] === OPEN) {
        if (cause[d] !== -1) {
          if (c === -1) {
            c = cause[d]!;
            if (c === -2) unknownDep[v] = unknownDep[d];
          }
        } else {
          if (layer[d]! + 1 > l) l = layer[d]! + 1;
          if (hours[d]! > best || (hours[d] === best && bestPrev >= 0 && g.rank[d]! < g.rank[bestPrev]!)) {
            best = hours[d]!;
            bestPrev = d;
          }
        }
      }
    }
    cause[v] = c;
    layer[v] = l;
    hours[v] = best + (parseEffort(tasks[v]!.estimated_effort) ?? DEFAULT_EFFORT_HOURS);
    prev[v] = bestPrev;
  }

  const byLayer: number[][] = [];
  const blocked: BlockedTask[] = [];
  const completed: string[] = [];
  const failed: string[] = [];
  const cancelled: string[] = [];
  let end = -1;
  const cycleMember = cycle ? cycle[0]! : '';
  for (let i = 0; i < n; i++) {
    const status = tasks[i]!.status;
    if (status === 'completed') completed.push(ids[i]!);
    else if (status === 'failed') failed.push(ids[i]!);
    else if (status === 'cancelled') cancelled.push(ids[i]!);
    else if (!inOrder[i]) {
      blocked.push({
        task_id: ids[i]!,
        blocked_by: cycleMember,
        reason: `on or behind the dependency cycle ${formatCycle(cycle!)}`,
      });
    } else if (cause[i] === -2) {
      blocked.push({
        task_id: ids[i]!,
        blocked_by: unknownDep[i]!,
        reason: `depends on ${unknownDep[i]}, which does not exist`,
      });
    } else if (cause[i]! >= 0) {
      const root = cause[i]!;
      blocked.push({
        task_id: ids[i]!,
        blocked_by: ids[root]!,
        reason: `depends on ${ids[root]}, which ${tasks[root]!.status === 'failed' ? 'failed' : 'was cancelled'}`,
      });
    } else {
      (byLayer[layer[i]!] ??= []).push(i);
      if (end < 0 || hours[i]! > hours[end]! || (hours[i] === hours[end] && g.rank[i]! < g.rank[end]!))
        end = i;
    }
  }
  const path: string[] = [];
  let unestimated = 0;
  for (let v = end; v >= 0; v = prev[v]!) {
    path.push(ids[v]!);
    if (parseEffort(tasks[v]!.estimated_effort) === null) unestimated++;
  }
  path.reverse();
  return {
    phases: byLayer.map((layerTasks) => sortByRank(g, layerTasks).map((i) => ids[i]!)),
    blocked,
    cycle,
    critical_path: { task_ids: path, hours: end >= 0 ? hours[end]! : 0, unestimated },
    completed,
    failed,
    cancelled,
  };
}

function firstMissing(inOrder: Uint8Array): number {
  for (let i = 0; i < inOrder.length; i++) if (!inOrder[i]) return i;
  return -1;
}

export interface ReadyOptions {
  /** ISO time; an `in_progress` task whose lease expired before it is ready again. */
  now?: string;
  /** Lease expiry per task id, read with `now`. */
  leaseExpiresAt?: (taskId: string) => string | null;
}

export interface ReadyTask {
  task_id: string;
  priority: Priority;
  /** Hours of the longest chain of unfinished tasks that waits on this one (not counting itself). */
  unblocks_hours: number;
}

/**
 * Tasks that can start now: pending (or in progress with a lapsed lease, when `now` is given),
 * with every dependency completed. Ranked by priority, then by how much work waits behind them
 * (longest chain of unfinished dependents, in hours), then creation order. O(V + E log).
 */
export function readyTasks(tasks: readonly PlanTask[], options: ReadyOptions = {}): ReadyTask[] {
  const g = buildGraph(tasks);
  const { n, depStart, deps } = g;
  const open = new Uint8Array(n);
  for (let i = 0; i < n; i++) open[i] = stateOf(tasks[i]!.status) === OPEN ? 1 : 0;
  // Longest downstream chain: visit in reverse topological order of the open tasks.
  const { order, count } = topoOrder(g, open);
  const down = new Float64Array(n);
  for (let k = count - 1; k >= 0; k--) {
    const v = order[k]!;
    const through = down[v]! + (parseEffort(tasks[v]!.estimated_effort) ?? DEFAULT_EFFORT_HOURS);
    for (let e = depStart[v]!; e < depStart[v + 1]!; e++) {
      const d = deps[e]!;
      if (d >= 0 && open[d] && through > down[d]!) down[d] = through;
    }
  }
  const ready: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = tasks[i]!;
    const lapsed =
      t.status === 'in_progress' &&
      options.now !== undefined &&
      (options.leaseExpiresAt?.(t.id) ?? null) !== null &&
      options.leaseExpiresAt!(t.id)! <= options.now;
    if (t.status !== 'pending' && !lapsed) continue;
    let ok = true;
    for (let e = depStart[i]!; e < depStart[i + 1]! && ok; e++) {
      const d = deps[e]!;
      ok = d >= 0 && tasks[d]!.status === 'completed';
    }
    if (ok) ready.push(i);
  }
  ready.sort((a, b) => {
    const pa = PRIORITY_RANK[tasks[a]!.priority];
    const pb = PRIORITY_RANK[tasks[b]!.priority];
    return pa - pb || down[b]! - down[a]! || a - b;
  });
  return ready.map((i) => ({ task_id: g.ids[i]!, priority: tasks[i]!.priority, unblocks_hours: down[i]! }));
}

export interface GoalProgress {
  total: number;
  counts: Record<TaskStatus, number>;
  /** Completed share of the tasks that are not cancelled, 0–100, one decimal. */
  percent_complete: number;
  /** Hours left on the critical path of unfinished, unblocked work. */
  remaining_critical_hours: number;
}

/** Counts by status, percent complete and remaining critical-path effort. O(V + E). */
export function goalProgress(tasks: readonly PlanTask[]): GoalProgress {
  const counts: Record<TaskStatus, number> = {
    pending: 0,
    in_progress: 0,
    completed: 0,
    failed: 0,
    blocked: 0,
    cancelled: 0,
  };
  for (const t of tasks) counts[t.status]++;
  const countable = tasks.length - counts.cancelled;
  return {
    total: tasks.length,
    counts,
    percent_complete: countable === 0 ? 0 : Math.round((counts.completed / countable) * 1000) / 10,
    remaining_critical_hours: criticalHours(tasks),
  };
}

/**
 * `executionPlan(tasks).critical_path.hours` without building the plan (progress reports ask
 * for it on every read): one depth-first pass that leaves out what the plan leaves out (tasks on
 * or behind a cycle, tasks behind a failed, cancelled or unknown dependency). O(V + E).
 */
function criticalHours(tasks: readonly PlanTask[]): number {
  const n = tasks.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(tasks[i]!.id, i);
  const mark = new Uint8Array(n); // 0 unseen, 1 on the stack, 2 finished
  const behindCycle = new Uint8Array(n);
  const excluded = new Uint8Array(n); // left out of the phases: not open, or blocked
  const hours = new Float64Array(n);
  const stack: number[] = [];
  const next: number[] = []; // per stack entry: the next dependency to visit
  let best = 0;
  for (let root = 0; root < n; root++) {
    if (mark[root]) continue;
    mark[root] = 1;
    stack.push(root);
    next.push(0);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const v = stack[top]!;
      const deps = tasks[v]!.dependencies;
      const e = next[top]!;
      if (e < deps.length) {
        next[top] = e + 1;
        const d = index.get(deps[e]!);
        if (d === undefined) continue;
        if (mark[d] === 0) {
          mark[d] = 1;
          stack.push(d);
          next.push(0);
        } else if (mark[d] === 1) {
          behindCycle[v] = 1; // d is an ancestor on the stack: v closes a cycle
        }
        continue;
      }
      stack.pop();
      next.pop();
      mark[v] = 2;
      const state = stateOf(tasks[v]!.status);
      let blocked = false;
      let longest = 0;
      for (const id of deps) {
        const d = index.get(id);
        if (d === undefined) {
          blocked = true;
          continue;
        }
        if (behindCycle[d]) behindCycle[v] = 1;
        const dState = stateOf(tasks[d]!.status);
        if (dState === DEAD || (dState === OPEN && excluded[d])) blocked = true;
        else if (dState === OPEN && hours[d]! > longest) longest = hours[d]!;
      }
      if (state !== OPEN || blocked || behindCycle[v]) {
        excluded[v] = 1;
        continue;
      }
      hours[v] = longest + (parseEffort(tasks[v]!.estimated_effort) ?? DEFAULT_EFFORT_HOURS);
      if (hours[v]! > best) best = hours[v]!;
    }
  }
  return best;
}
