import { join } from 'node:path';
import { Journal, type JournalOptions, type JournalState } from '@org/file-journal';
import {
  VersionConflictError,
  byIdNumber,
  freezeDeep,
  idsInUse,
  type Goal,
  type GoalCommit,
  type GoalStore,
  type Task,
} from '@org/goal-engine';

/** One line of the journal. */
type Entry =
  | { t: 'alloc'; k: 'goal' | 'task'; n: number }
  | { t: 'commit'; g: string; goal: Goal | null; put: Task[]; del: string[] }
  | { t: 'import'; goals: Goal[]; tasks: Task[]; counters: { goal: number; task: number } }
  | { t: 'snapshot'; counters: { goal: number; task: number }; goals: Goal[]; tasks: Task[] };

/** The goals and tasks the journal describes, kept in memory, frozen so reads need no copy. */
class GoalState implements JournalState<Entry> {
  goals = new Map<string, Goal>();
  tasks = new Map<string, Task>();
  goalTasks = new Map<string, Set<string>>();
  counters = { goal: 0, task: 0 };

  reset(): void {
    this.goals = new Map();
    this.tasks = new Map();
    this.goalTasks = new Map();
    this.counters = { goal: 0, task: 0 };
  }

  snapshot(): Entry {
    return {
      t: 'snapshot',
      counters: { ...this.counters },
      goals: [...this.goals.values()].sort(byIdNumber),
      tasks: [...this.tasks.values()].sort(byIdNumber),
    };
  }

  apply(entry: Entry): void {
    if (entry.t === 'alloc') {
      this.counters[entry.k] = Math.max(this.counters[entry.k], entry.n);
    } else if (entry.t === 'import') {
      for (const g of entry.goals) {
        this.goals.set(g.id, freezeDeep(g));
        this.goalTasks.set(g.id, new Set());
      }
      for (const t of entry.tasks) {
        this.tasks.set(t.id, freezeDeep(t));
        this.goalTasks.get(t.goal_id)?.add(t.id);
      }
      this.counters.goal = Math.max(this.counters.goal, entry.counters.goal);
      this.counters.task = Math.max(this.counters.task, entry.counters.task);
    } else if (entry.t === 'snapshot') {
      this.counters = { ...entry.counters };
      for (const g of entry.goals) {
        this.goals.set(g.id, freezeDeep(g));
        this.goalTasks.set(g.id, new Set());
      }
      for (const t of entry.tasks) {
        this.tasks.set(t.id, freezeDeep(t));
        this.goalTasks.get(t.goal_id)?.add(t.id);
      }
    } else if (entry.goal === null) {
      for (const id of this.goalTasks.get(entry.g) ?? []) this.tasks.delete(id);
      this.goalTasks.delete(entry.g);
      this.goals.delete(entry.g);
    } else {
      this.goals.set(entry.g, freezeDeep(entry.goal));
      let ids = this.goalTasks.get(entry.g);
      if (!ids) this.goalTasks.set(entry.g, (ids = new Set()));
      for (const id of entry.del) {
        this.tasks.delete(id);
        ids.delete(id);
      }
      for (const t of entry.put) {
        this.tasks.set(t.id, freezeDeep(t));
        ids.add(t.id);
      }
    }
  }
}

/**
 * A GoalStore in one journal file (`goals.journal` in `dir`, see @org/file-journal): every write
 * appends one fsynced JSON line, so a write costs what it changes and a crash loses at most a torn
 * last line; a lock file lets several processes share the directory, each catching up by reading
 * only what was appended since its last read. Reads cost O(new bytes) plus what they return.
 */
export class FileGoalStore implements GoalStore {
  private readonly state = new GoalState();
  private readonly journal: Journal<Entry>;

  constructor(dir: string, options: JournalOptions = {}) {
    this.journal = new Journal(join(dir, 'goals.journal'), this.state, options);
  }

  get path(): string {
    return this.journal.path;
  }

  async allocateIds(kind: 'goal' | 'task', count: number): Promise<number> {
    return this.journal.write((append) => {
      const first = this.state.counters[kind] + 1;
      append({ t: 'alloc', k: kind, n: this.state.counters[kind] + count });
      return first;
    });
  }

  async reserveIdsUpTo(kind: 'goal' | 'task', atLeast: number): Promise<void> {
    await this.journal.write((append) => {
      if (this.state.counters[kind] < atLeast) append({ t: 'alloc', k: kind, n: atLeast });
    });
  }

  async getGoal(goalId: string): Promise<Goal | null> {
    this.journal.refresh();
    return this.state.goals.get(goalId) ?? null;
  }

  async listGoals(): Promise<Goal[]> {
    this.journal.refresh();
    return [...this.state.goals.values()].sort(byIdNumber);
  }

  async getGoalTasks(goalId: string): Promise<Task[]> {
    this.journal.refresh();
    return this.tasksOf(goalId);
  }

  private tasksOf(goalId: string): Task[] {
    return [...(this.state.goalTasks.get(goalId) ?? [])]
      .map((id) => this.state.tasks.get(id)!)
      .sort(byIdNumber);
  }

  async getGoalWithTasks(goalId: string): Promise<{ goal: Goal; tasks: Task[] } | null> {
    this.journal.refresh();
    const goal = this.state.goals.get(goalId);
    return goal ? { goal, tasks: this.tasksOf(goalId) } : null;
  }

  async getTasks(taskIds: readonly string[]): Promise<(Task | null)[]> {
    this.journal.refresh();
    return taskIds.map((id) => this.state.tasks.get(id) ?? null);
  }

  async commit(change: GoalCommit): Promise<void> {
    await this.journal.write((append) => {
      const current = this.state.goals.get(change.goalId);
      const actual = current ? current.version : 0;
      if (actual !== change.expectedVersion) {
        throw new VersionConflictError(change.goalId, change.expectedVersion, current ? actual : null);
      }
      append({
        t: 'commit',
        g: change.goalId,
        // The journal applies its own parsed copy, so the state never aliases the caller's objects.
        goal: change.goal,
        put: [...change.putTasks],
        del: [...change.deleteTaskIds],
      });
    });
  }

  /** One journal line for the whole import: after a crash, all of it or none of it is there. */
  async importGoals(
    goals: readonly { goal: Goal; tasks: readonly Task[] }[],
    counters: { goal: number; task: number },
  ): Promise<void> {
    await this.journal.write((append) => {
      const taken = [
        ...goals.filter((g) => this.state.goals.has(g.goal.id)).map((g) => g.goal.id),
        ...goals.flatMap((g) => g.tasks.filter((t) => this.state.tasks.has(t.id)).map((t) => t.id)),
      ];
      if (taken.length > 0) throw idsInUse(taken);
      append({
        t: 'import',
        goals: goals.map((g) => g.goal),
        tasks: goals.flatMap((g) => g.tasks),
        counters: { ...counters },
      });
    });
  }

  /** Counts for status reports. */
  stats(): { goals: number; tasks: number; journal_bytes: number } {
    this.journal.refresh();
    return {
      goals: this.state.goals.size,
      tasks: this.state.tasks.size,
      journal_bytes: this.journal.sizeBytes,
    };
  }
}
