import { GoalEngineError, VersionConflictError } from './errors.js';
import { byIdNumber, type Goal, type Task } from './model.js';

/**
 * One atomic change to one goal: the store applies all of it or none of it, and only when the
 * goal's stored version still equals `expectedVersion` (0: the goal must not exist yet).
 * Writes are proportional to the change: only the listed tasks are written or deleted.
 */
export interface GoalCommit {
  goalId: string;
  expectedVersion: number;
  /** The goal's new header (its `version` is `expectedVersion + 1`), or null to delete the goal and every task it still has. */
  goal: Goal | null;
  /** Tasks to create or replace (all of this goal). */
  putTasks: readonly Task[];
  /** Ids of tasks of this goal to delete. */
  deleteTaskIds: readonly string[];
}

/**
 * The persistence port of the engine, designed for stores shared by several processes.
 * Implementations: MemoryGoalStore (here), the Redis and embedded file stores of the server.
 * Every implementation must pass `goalStoreContract` (`@org/goal-engine/contract`).
 * Values a store returns are read-only to the caller: in-memory stores hand out their own frozen
 * copies (see `freezeDeep`) instead of copying on every read, so changing one throws.
 */
export interface GoalStore {
  /** Reserves `count` consecutive numbers for new ids and returns the first. Never hands a number out twice, even across processes and restarts. */
  allocateIds(kind: 'goal' | 'task', count: number): Promise<number>;
  /** Moves the counter to at least `atLeast` (used by imports), never backwards. */
  reserveIdsUpTo(kind: 'goal' | 'task', atLeast: number): Promise<void>;
  getGoal(goalId: string): Promise<Goal | null>;
  /** Every goal header, in creation order. */
  listGoals(): Promise<Goal[]>;
  /** Every task of a goal, in creation order. */
  getGoalTasks(goalId: string): Promise<Task[]>;
  /** A goal and its tasks (creation order) as of one moment, or null if the goal does not exist. */
  getGoalWithTasks(goalId: string): Promise<{ goal: Goal; tasks: Task[] } | null>;
  /** Tasks by id from any goal, in the order asked; null where none exists. */
  getTasks(taskIds: readonly string[]): Promise<(Task | null)[]>;
  /** Applies the change atomically or throws VersionConflictError (and changes nothing). */
  commit(change: GoalCommit): Promise<void>;
  /**
   * Creates every goal with its tasks and moves the id counters up to at least `counters`, in
   * one atomic step (one journal line, one Lua script): all of it or, after a crash or a refusal,
   * none of it. A GoalEngineError `conflict` (nothing changed) if a goal or task id is taken.
   */
  importGoals(
    goals: readonly { goal: Goal; tasks: readonly Task[] }[],
    counters: { goal: number; task: number },
  ): Promise<void>;
}

/** The refusal of an import whose ids are taken (stores and engine say it the same way). */
export function idsInUse(ids: readonly string[]): GoalEngineError {
  return new GoalEngineError(
    'conflict',
    `These ids already exist in the store: ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ' …' : ''}`,
    'Nothing was imported. Delete them first, or import into an empty store.',
  );
}

/** Stored values are JSON, so a JSON round trip is a faithful deep copy. */
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * Freezes a JSON value and everything in it, and returns it. Stores that keep values in memory
 * freeze them once when stored, so reads can hand them out without a copy.
 */
export function freezeDeep<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) freezeDeep(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * A GoalStore in memory, for tests and embedding. Values are copied in and frozen, and handed
 * out as they are, so callers can never change stored state. All operations are O(size of what they read or write), except
 * listGoals and getGoalTasks which sort their result.
 */
export class MemoryGoalStore implements GoalStore {
  private readonly goals = new Map<string, Goal>();
  private readonly tasks = new Map<string, Task>();
  private readonly goalTasks = new Map<string, Set<string>>();
  private readonly counters = { goal: 0, task: 0 };

  async allocateIds(kind: 'goal' | 'task', count: number): Promise<number> {
    const first = this.counters[kind] + 1;
    this.counters[kind] += count;
    return first;
  }

  async reserveIdsUpTo(kind: 'goal' | 'task', atLeast: number): Promise<void> {
    this.counters[kind] = Math.max(this.counters[kind], atLeast);
  }

  async getGoal(goalId: string): Promise<Goal | null> {
    return this.goals.get(goalId) ?? null;
  }

  async listGoals(): Promise<Goal[]> {
    return [...this.goals.values()].sort(byIdNumber);
  }

  async getGoalTasks(goalId: string): Promise<Task[]> {
    const ids = this.goalTasks.get(goalId) ?? new Set<string>();
    return [...ids].map((id) => this.tasks.get(id)!).sort(byIdNumber);
  }

  async getGoalWithTasks(goalId: string): Promise<{ goal: Goal; tasks: Task[] } | null> {
    const goal = this.goals.get(goalId);
    return goal ? { goal, tasks: await this.getGoalTasks(goalId) } : null;
  }

  async getTasks(taskIds: readonly string[]): Promise<(Task | null)[]> {
    return taskIds.map((id) => this.tasks.get(id) ?? null);
  }

  async importGoals(
    goals: readonly { goal: Goal; tasks: readonly Task[] }[],
    counters: { goal: number; task: number },
  ): Promise<void> {
    const taken = [
      ...goals.filter((g) => this.goals.has(g.goal.id)).map((g) => g.goal.id),
      ...goals.flatMap((g) => g.tasks.filter((t) => this.tasks.has(t.id)).map((t) => t.id)),
    ];
    if (taken.length > 0) throw idsInUse(taken);
    for (const { goal, tasks } of goals) {
      this.goals.set(goal.id, freezeDeep(clone(goal)));
      this.goalTasks.set(goal.id, new Set(tasks.map((t) => t.id)));
      for (const task of tasks) this.tasks.set(task.id, freezeDeep(clone(task)));
    }
    this.counters.goal = Math.max(this.counters.goal, counters.goal);
    this.counters.task = Math.max(this.counters.task, counters.task);
  }

  async commit(change: GoalCommit): Promise<void> {
    const current = this.goals.get(change.goalId);
    const actual = current ? current.version : 0;
    if (actual !== change.expectedVersion) {
      throw new VersionConflictError(change.goalId, change.expectedVersion, current ? actual : null);
    }
    if (change.goal === null) {
      for (const id of this.goalTasks.get(change.goalId) ?? []) this.tasks.delete(id);
      this.goalTasks.delete(change.goalId);
      this.goals.delete(change.goalId);
      return;
    }
    this.goals.set(change.goalId, freezeDeep(clone(change.goal)));
    let ids = this.goalTasks.get(change.goalId);
    if (!ids) this.goalTasks.set(change.goalId, (ids = new Set()));
    for (const id of change.deleteTaskIds) {
      this.tasks.delete(id);
      ids.delete(id);
    }
    for (const task of change.putTasks) {
      this.tasks.set(task.id, freezeDeep(clone(task)));
      ids.add(task.id);
    }
  }
}
