import { parseEffort } from './effort.js';
import { GoalEngineError, VersionConflictError } from './errors.js';
import {
  GOAL_STATUSES,
  PRIORITIES,
  TASK_STATUSES,
  emptyCounts,
  goalId as formatGoalId,
  taskId as formatTaskId,
  titleFrom,
  type Goal,
  type GoalStatus,
  type Json,
  type Priority,
  type Task,
  type TaskStatus,
} from './model.js';
import { findCycle, formatCycle, readyTasks } from './planner.js';
import { existingDependencyIds, subtaskLabel, validateSubtasks } from './subtasks.js';
import { normalizeSnapshot } from './snapshot.js';
import { idsInUse, type GoalStore } from './store.js';

export interface EngineOptions {
  /** The clock: the engine reads no time of its own. */
  now: () => Date;
  /** How often an operation is retried after losing a race to another writer. @default 32 */
  maxRetries?: number;
  /** Awaited before each retry (the caller's jittered sleep, say); the engine has no timers. @default none */
  backoff?: (attempt: number) => Promise<void>;
}

export interface CreateGoalInput {
  description: string;
  /** @default the first line of the description */
  title?: string;
  /** @default 'medium' */
  priority?: Priority;
  repos?: string[];
  metadata?: Record<string, Json>;
}

export interface UpdateGoalInput {
  title?: string;
  description?: string;
  priority?: Priority;
  status?: GoalStatus;
  repos?: string[];
  /** Merged into the metadata; a key set to null is removed. */
  metadata?: Record<string, Json | null>;
}

export interface SubtaskInput {
  description: string;
  title?: string;
  /** A name other subtasks of the same batch can depend on. */
  ref?: string;
  /** @default 'medium' */
  priority?: Priority;
  /** @default 'general' */
  type?: string;
  /** Each: the 0-based position of another subtask in the batch, its `ref`, or an existing task id of the goal. */
  dependencies?: (string | number)[];
  repo?: string | null;
  jira_ticket?: string | null;
  estimated_effort?: string | number | null;
  /** Tool names for the task (the original's `tools`). */
  assigned_tools?: string[];
}

export interface StatusUpdate {
  task_id: string;
  status: TaskStatus;
  /** Replaces the result; null clears it; absent leaves it. */
  result?: Json;
  /** Start or complete even though a dependency is unfinished. */
  force?: boolean;
}

export type DeleteMode = 'refuse' | 'detach' | 'cascade';

export interface LinkInput {
  jira_key?: string;
  branch?: string;
  pr_url?: string;
  url?: string;
}

export interface BatchItemResult {
  task_id: string;
  ok: boolean;
  status?: TaskStatus;
  error?: string;
  code?: string;
}

export interface ClaimInput {
  owner: string;
  /** How long the claim holds; afterwards another owner can claim the task. */
  lease_seconds: number;
  /** Claim only within this goal. */
  goal_id?: string;
}

export interface StateSnapshot {
  format: 'goal-engine/v1';
  exported_at: string;
  goals: Goal[];
  tasks: Task[];
}

const JIRA_KEY = /^[A-Z][A-Z0-9_]*-\d+$/;

const validation = (message: string, hint?: string) => new GoalEngineError('validation', message, hint);
const notFound = (message: string, hint?: string) => new GoalEngineError('not_found', message, hint);

function checkPriority(priority: unknown, where: string): Priority {
  if (!PRIORITIES.includes(priority as Priority)) {
    throw validation(
      `${where}: priority must be one of ${PRIORITIES.join(', ')} (got ${JSON.stringify(priority)})`,
    );
  }
  return priority as Priority;
}

function checkText(text: unknown, where: string): string {
  if (typeof text !== 'string' || text.trim() === '') throw validation(`${where} must not be empty`);
  return text.trim();
}

function checkEffort(effort: string | number | null | undefined, where: string): string | null {
  if (effort === undefined || effort === null || effort === '') return null;
  if (parseEffort(effort) === null) {
    throw validation(
      `${where}: estimated_effort ${JSON.stringify(effort)} is not an effort`,
      'Use forms like 30m, 4h, 2d (8 h), 1w (40 h), "1d 4h", or a number of hours.',
    );
  }
  return String(effort).trim();
}

const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

function checkUrl(url: string, what: string): string {
  if (!HTTP_URL.test(url.trim())) throw validation(`${what} ${JSON.stringify(url)} is not an http(s) URL`);
  return url.trim();
}

/**
 * The goal's status as its tasks say: completed when every task is completed or cancelled (and
 * one at least completed); back to in progress when a task of a completed goal reopens; in
 * progress once any task started. A cancelled goal stays cancelled.
 */
export function rollUpStatus(status: GoalStatus, counts: Record<TaskStatus, number>): GoalStatus {
  if (status === 'cancelled') return status;
  let total = 0;
  for (const s of TASK_STATUSES) total += counts[s];
  if (total === 0) return status;
  if (counts.completed > 0 && counts.completed + counts.cancelled === total) return 'completed';
  if (status === 'completed') return 'in_progress';
  if (counts.in_progress + counts.completed + counts.failed > 0) return 'in_progress';
  return status;
}

/**
 * Goals and tasks over a GoalStore. Every operation validates everything first, then applies
 * as one atomic commit to one goal (or not at all); a commit that loses a race to another
 * process is re-read and retried. Errors are GoalEngineError with a code and, where it helps,
 * a hint. The engine performs no I/O of its own and reads time only from `options.now`.
 */
export class GoalEngine {
  private readonly maxRetries: number;

  constructor(
    private readonly store: GoalStore,
    private readonly options: EngineOptions,
  ) {
    this.maxRetries = options.maxRetries ?? 32;
  }

  private now(): string {
    return this.options.now().toISOString();
  }

  /** Runs `op` again (fresh reads) each time its commit loses a race, up to maxRetries times. */
  private async retrying<T>(op: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await op();
      } catch (error) {
        if (!(error instanceof VersionConflictError) || attempt >= this.maxRetries) throw error;
        await this.options.backoff?.(attempt);
      }
    }
  }

  private async mustGetGoal(goalId: string): Promise<Goal> {
    const goal = await this.store.getGoal(goalId);
    if (!goal) throw notFound(`Goal ${goalId} not found`, 'list_goals shows the goals that exist.');
    return goal;
  }

  /** The goal and its tasks as of one moment (one read of the store). */
  private async mustGetGoalWithTasks(goalId: string): Promise<{ goal: Goal; tasks: Task[] }> {
    const found = await this.store.getGoalWithTasks(goalId);
    if (!found) throw notFound(`Goal ${goalId} not found`, 'list_goals shows the goals that exist.');
    return found;
  }

  private async mustGetTask(taskId: string): Promise<Task> {
    const [task] = await this.store.getTasks([taskId]);
    if (!task) throw notFound(`Task ${taskId} not found`);
    return task;
  }

  /** The goal header after a change to its tasks: counts, rolled-up status, version, time. */
  private nextGoal(goal: Goal, before: readonly Task[], after: readonly Task[], now: string): Goal {
    const counts = { ...goal.task_counts };
    for (const t of before) counts[t.status]--;
    for (const t of after) counts[t.status]++;
    return {
      ...goal,
      task_counts: counts,
      status: rollUpStatus(goal.status, counts),
      updated_at: now,
      version: goal.version + 1,
    };
  }

  /** Commits one changed task of a goal (and the goal header that follows from it). */
  private async commitTask(goal: Goal, before: Task, next: Task, now: string): Promise<Task> {
    await this.store.commit({
      goalId: goal.id,
      expectedVersion: goal.version,
      goal: this.nextGoal(goal, [before], [next], now),
      putTasks: [next],
      deleteTaskIds: [],
    });
    return next;
  }

  /** Creates a goal (status planned). */
  async createGoal(input: CreateGoalInput): Promise<Goal> {
    const description = checkText(input.description, 'description');
    const title = input.title === undefined ? titleFrom(description) : checkText(input.title, 'title');
    const priority = checkPriority(input.priority ?? 'medium', 'goal');
    const now = this.now();
    const id = formatGoalId(await this.store.allocateIds('goal', 1));
    const goal: Goal = {
      id,
      title,
      description,
      priority,
      status: 'planned',
      repos: [...(input.repos ?? [])],
      metadata: { ...(input.metadata ?? {}) },
      task_counts: emptyCounts(),
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await this.store.commit({ goalId: id, expectedVersion: 0, goal, putTasks: [], deleteTaskIds: [] });
    return goal;
  }

  /** Changes a goal's fields; metadata is merged (null removes a key). */
  async updateGoal(goalId: string, patch: UpdateGoalInput): Promise<Goal> {
    const description =
      patch.description === undefined ? undefined : checkText(patch.description, 'description');
    const title = patch.title === undefined ? undefined : checkText(patch.title, 'title');
    const priority = patch.priority === undefined ? undefined : checkPriority(patch.priority, 'goal');
    if (patch.status !== undefined && !GOAL_STATUSES.includes(patch.status)) {
      throw validation(`status must be one of ${GOAL_STATUSES.join(', ')}`);
    }
    return this.retrying(async () => {
      const goal = await this.mustGetGoal(goalId);
      const metadata = { ...goal.metadata };
      for (const [key, value] of Object.entries(patch.metadata ?? {})) {
        if (value === null) delete metadata[key];
        // Not `metadata[key] = value`: a "__proto__" key would set the prototype and vanish.
        else
          Object.defineProperty(metadata, key, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
      }
      let status = patch.status ?? goal.status;
      if (patch.status === 'completed') {
        const c = goal.task_counts;
        const open = c.pending + c.in_progress + c.failed + c.blocked;
        if (open > 0) {
          throw validation(
            `${goalId} still has ${open} unfinished task(s)`,
            'Complete or cancel them first.',
          );
        }
      }
      if (patch.status === undefined || patch.status !== 'cancelled')
        status = rollUpStatus(status, goal.task_counts);
      const next: Goal = {
        ...goal,
        ...(title === undefined ? {} : { title }),
        ...(description === undefined ? {} : { description }),
        ...(priority === undefined ? {} : { priority }),
        ...(patch.repos === undefined ? {} : { repos: [...patch.repos] }),
        metadata,
        status,
        updated_at: this.now(),
        version: goal.version + 1,
      };
      await this.store.commit({
        goalId,
        expectedVersion: goal.version,
        goal: next,
        putTasks: [],
        deleteTaskIds: [],
      });
      return next;
    });
  }

  /** Deletes a goal and all its tasks. */
  async deleteGoal(goalId: string): Promise<{ deleted_goal_id: string; deleted_task_ids: string[] }> {
    return this.retrying(async () => {
      const { goal, tasks } = await this.mustGetGoalWithTasks(goalId);
      await this.store.commit({
        goalId,
        expectedVersion: goal.version,
        goal: null,
        putTasks: [],
        deleteTaskIds: [],
      });
      return { deleted_goal_id: goalId, deleted_task_ids: tasks.map((t) => t.id) };
    });
  }

  /** A goal and its tasks in creation order. */
  async getGoal(goalId: string): Promise<{ goal: Goal; tasks: Task[] }> {
    return this.mustGetGoalWithTasks(goalId);
  }

  /** Goals in creation order, optionally filtered by status and priority. */
  async listGoals(filter: { status?: GoalStatus; priority?: Priority } = {}): Promise<Goal[]> {
    const goals = await this.store.listGoals();
    return goals.filter(
      (g) =>
        (!filter.status || g.status === filter.status) &&
        (!filter.priority || g.priority === filter.priority),
    );
  }

  /**
   * Adds a batch of tasks to a goal in one step. Every subtask is validated first (description,
   * priority, effort, refs, dependencies by position, ref or existing id of this goal, no self or
   * duplicate dependency, no cycle); ids are allocated only when the whole batch is valid.
   */
  async breakDownGoal(
    goalId: string,
    subtasks: readonly SubtaskInput[],
  ): Promise<{ goal: Goal; tasks: Task[] }> {
    if (!Array.isArray(subtasks) || subtasks.length === 0)
      throw validation('At least one subtask is required');
    const goal = await this.mustGetGoal(goalId);
    if (goal.status === 'cancelled') {
      throw validation(
        `${goalId} is cancelled`,
        'Reopen it with update_goal (status planned) before adding tasks.',
      );
    }
    const existingIds = existingDependencyIds(subtasks);
    const found = await this.store.getTasks(existingIds);
    const existing = new Map(existingIds.map((id, k) => [id, found[k] ?? null]));
    const { resolved, problems } = validateSubtasks(goalId, subtasks, existing);
    if (problems.length > 0) {
      const shown = problems.slice(0, 20);
      throw validation(
        `Invalid subtasks: ${shown.join('; ')}${problems.length > shown.length ? `; and ${problems.length - shown.length} more` : ''}`,
        'Nothing was created. Dependencies are positions in this batch (from 0), refs of this batch, or task ids of this goal.',
      );
    }

    const first = await this.store.allocateIds('task', subtasks.length);
    const ids = subtasks.map((_, i) => formatTaskId(first + i));
    return this.retrying(async () => {
      const current = await this.mustGetGoal(goalId);
      if (current.status === 'cancelled') throw validation(`${goalId} is cancelled`);
      // An existing dependency may have been deleted since validation.
      const stillThere = await this.store.getTasks(existingIds);
      const gone = existingIds.filter((_, k) => !stillThere[k]);
      if (gone.length > 0)
        throw new GoalEngineError('conflict', `Dependencies deleted meanwhile: ${gone.join(', ')}`);
      const now = this.now();
      const tasks: Task[] = subtasks.map((s, i) => {
        const description = s.description.trim();
        return {
          id: ids[i]!,
          goal_id: goalId,
          title: s.title?.trim() || titleFrom(description),
          description,
          type: s.type?.trim() || 'general',
          status: 'pending',
          priority: s.priority ?? 'medium',
          dependencies: resolved[i]!.map((d) => (typeof d === 'number' ? ids[d]! : d)),
          repo: s.repo ?? null,
          jira_ticket: s.jira_ticket ?? null,
          estimated_effort: checkEffort(s.estimated_effort, subtaskLabel(subtasks, i)),
          assigned_tools: [...(s.assigned_tools ?? [])],
          result: null,
          links: { branch: null, pr_url: null, urls: [] },
          owner: null,
          lease_expires_at: null,
          created_at: now,
          updated_at: now,
          started_at: null,
          completed_at: null,
        };
      });
      const next = this.nextGoal(current, [], tasks, now);
      await this.store.commit({
        goalId,
        expectedVersion: current.version,
        goal: next,
        putTasks: tasks,
        deleteTaskIds: [],
      });
      return { goal: next, tasks };
    });
  }

  /** Makes `taskId` depend on `dependsOn` (same goal; refused when it would close a cycle). */
  async addDependency(taskId: string, dependsOn: string): Promise<Task> {
    if (taskId === dependsOn) throw validation(`${taskId} cannot depend on itself`);
    return this.retrying(async () => {
      const [task, dep] = await this.store.getTasks([taskId, dependsOn]);
      if (!task) throw notFound(`Task ${taskId} not found`);
      if (!dep) throw notFound(`Task ${dependsOn} not found`);
      if (dep.goal_id !== task.goal_id) {
        throw validation(
          `${dependsOn} belongs to ${dep.goal_id}, ${taskId} to ${task.goal_id}: dependencies stay within one goal`,
        );
      }
      if (task.dependencies.includes(dependsOn))
        throw validation(`${taskId} already depends on ${dependsOn}`);
      const { goal, tasks } = await this.mustGetGoalWithTasks(task.goal_id);
      const candidate = tasks.map((t) =>
        t.id === taskId ? { ...t, dependencies: [...t.dependencies, dependsOn] } : t,
      );
      const cycle = findCycle(candidate);
      if (cycle)
        throw validation(`Adding ${taskId} → ${dependsOn} would close the cycle ${formatCycle(cycle)}`);
      const now = this.now();
      const next: Task = { ...task, dependencies: [...task.dependencies, dependsOn], updated_at: now };
      return this.commitTask(goal, task, next, now);
    });
  }

  /** Removes a dependency. */
  async removeDependency(taskId: string, dependsOn: string): Promise<Task> {
    return this.retrying(async () => {
      const task = await this.mustGetTask(taskId);
      if (!task.dependencies.includes(dependsOn)) throw notFound(`${taskId} does not depend on ${dependsOn}`);
      const goal = await this.mustGetGoal(task.goal_id);
      const now = this.now();
      const next: Task = {
        ...task,
        dependencies: task.dependencies.filter((d) => d !== dependsOn),
        updated_at: now,
      };
      return this.commitTask(goal, task, next, now);
    });
  }

  /**
   * Applies one status change to a working set of tasks (same goal), checking dependencies
   * against it, so a batch sees its own earlier changes. Returns the new task.
   */
  private applyStatus(
    task: Task,
    update: StatusUpdate,
    lookup: (id: string) => Task | null,
    now: string,
  ): Task {
    const status = update.status;
    if (!TASK_STATUSES.includes(status))
      throw validation(`status must be one of ${TASK_STATUSES.join(', ')}`);
    if ((status === 'in_progress' || status === 'completed') && !update.force && task.status !== status) {
      const unfinished = task.dependencies
        .map((id) => lookup(id))
        .filter((d): d is Task => d !== null && d.status !== 'completed');
      if (unfinished.length > 0) {
        throw validation(
          `${task.id} cannot ${status === 'completed' ? 'complete' : 'start'}: ${unfinished.map((d) => `${d.id} is ${d.status}`).join(', ')}`,
          'Finish those first, or pass force: true.',
        );
      }
    }
    const next: Task = { ...task, status, updated_at: now };
    if (update.result !== undefined) next.result = update.result;
    if (status === 'in_progress' || status === 'completed') next.started_at = task.started_at ?? now;
    next.completed_at =
      status === 'completed' ? (task.status === 'completed' ? task.completed_at : now) : null;
    if (status !== 'in_progress') next.lease_expires_at = null;
    return next;
  }

  /** Changes a task's status (and optionally its result). */
  async updateTaskStatus(
    taskId: string,
    status: TaskStatus,
    options: { result?: Json; force?: boolean } = {},
  ): Promise<Task> {
    const update: StatusUpdate = { task_id: taskId, status, ...options };
    return this.retrying(async () => {
      const task = await this.mustGetTask(taskId);
      // Both at once: on a networked store the reads overlap instead of queueing.
      const [deps, goal] = await Promise.all([
        this.store.getTasks(task.dependencies),
        this.mustGetGoal(task.goal_id),
      ]);
      const byId = new Map(deps.filter((d): d is Task => d !== null).map((d) => [d.id, d]));
      const now = this.now();
      const next = this.applyStatus(task, update, (id) => byId.get(id) ?? null, now);
      return this.commitTask(goal, task, next, now);
    });
  }

  /**
   * Several status changes in the order given. Not atomic: each applies on its own and gets
   * its own result. Atomic: all must belong to one goal and all apply in one commit, or none.
   */
  async batchUpdateTasks(
    updates: readonly StatusUpdate[],
    options: { atomic?: boolean } = {},
  ): Promise<BatchItemResult[]> {
    if (!options.atomic) {
      const results: BatchItemResult[] = [];
      for (const u of updates) {
        try {
          const task = await this.updateTaskStatus(u.task_id, u.status, {
            ...(u.result === undefined ? {} : { result: u.result }),
            ...(u.force === undefined ? {} : { force: u.force }),
          });
          results.push({ task_id: u.task_id, ok: true, status: task.status });
        } catch (error) {
          if (!(error instanceof GoalEngineError)) throw error;
          results.push({ task_id: u.task_id, ok: false, error: error.message, code: error.code });
        }
      }
      return results;
    }
    if (updates.length === 0) return [];
    return this.retrying(async () => {
      const ids = [...new Set(updates.map((u) => u.task_id))];
      const found = await this.store.getTasks(ids);
      const missing = ids.filter((_, k) => !found[k]);
      if (missing.length > 0)
        throw notFound(`Tasks not found: ${missing.join(', ')}`, 'Nothing was changed.');
      const goalIds = new Set(found.map((t) => t!.goal_id));
      if (goalIds.size > 1) {
        throw validation(
          `An atomic batch must stay within one goal (got ${[...goalIds].join(', ')})`,
          'Nothing was changed.',
        );
      }
      const { goal, tasks } = await this.mustGetGoalWithTasks([...goalIds][0]!);
      const working = new Map(tasks.map((t) => [t.id, t]));
      const before = new Map<string, Task>();
      const now = this.now();
      updates.forEach((u, k) => {
        const task = working.get(u.task_id)!;
        if (!before.has(task.id)) before.set(task.id, task);
        try {
          working.set(
            task.id,
            this.applyStatus(task, u, (id) => working.get(id) ?? null, now),
          );
        } catch (error) {
          if (error instanceof GoalEngineError) {
            throw new GoalEngineError(
              error.code,
              `updates[${k}] (${u.task_id}): ${error.message}; nothing was changed`,
              error.hint,
            );
          }
          throw error;
        }
      });
      const changed = [...before.keys()].map((id) => working.get(id)!);
      await this.store.commit({
        goalId: goal.id,
        expectedVersion: goal.version,
        goal: this.nextGoal(goal, [...before.values()], changed, now),
        putTasks: changed,
        deleteTaskIds: [],
      });
      return updates.map((u) => ({ task_id: u.task_id, ok: true, status: working.get(u.task_id)!.status }));
    });
  }

  /**
   * Deletes a task. While other tasks depend on it: `refuse` (default) fails naming them,
   * `detach` removes it from their dependencies, `cascade` deletes them too (transitively).
   * Never leaves a dangling dependency.
   */
  async deleteTask(
    taskId: string,
    mode: DeleteMode = 'refuse',
  ): Promise<{ goal_id: string; deleted_task_ids: string[]; detached_from: string[] }> {
    return this.retrying(async () => {
      const task = await this.mustGetTask(taskId);
      const { goal, tasks } = await this.mustGetGoalWithTasks(task.goal_id);
      const dependents = (ids: Set<string>) =>
        tasks.filter((t) => !ids.has(t.id) && t.dependencies.some((d) => ids.has(d)));
      const doomed = new Set([taskId]);
      let direct = dependents(doomed);
      if (direct.length > 0 && mode === 'refuse') {
        throw validation(
          `${taskId} is a dependency of ${direct.map((t) => t.id).join(', ')}`,
          'Pass mode "detach" to remove it from their dependencies, or "cascade" to delete them too.',
        );
      }
      if (mode === 'cascade') {
        while (direct.length > 0) {
          for (const t of direct) doomed.add(t.id);
          direct = dependents(doomed);
        }
      }
      const removed = tasks.filter((t) => doomed.has(t.id));
      const before = [...removed];
      const detached: Task[] = [];
      const now = this.now();
      if (mode === 'detach') {
        for (const t of direct) {
          before.push(t);
          detached.push({ ...t, dependencies: t.dependencies.filter((d) => d !== taskId), updated_at: now });
        }
      }
      await this.store.commit({
        goalId: goal.id,
        expectedVersion: goal.version,
        goal: this.nextGoal(goal, before, detached, now),
        putTasks: detached,
        deleteTaskIds: [...doomed],
      });
      return {
        goal_id: goal.id,
        deleted_task_ids: removed.map((t) => t.id),
        detached_from: detached.map((t) => t.id),
      };
    });
  }

  async getTask(taskId: string): Promise<Task> {
    return this.mustGetTask(taskId);
  }

  /** Tasks in the order asked, and the ids that do not exist. */
  async batchGetTasks(taskIds: readonly string[]): Promise<{ tasks: Task[]; not_found: string[] }> {
    const found = await this.store.getTasks(taskIds);
    return {
      tasks: found.filter((t): t is Task => t !== null),
      not_found: taskIds.filter((_, k) => !found[k]),
    };
  }

  /** Attaches a Jira key, a branch, a pull request URL or any URL to a task. */
  async linkTask(taskId: string, link: LinkInput): Promise<Task> {
    if (!link.jira_key && !link.branch && !link.pr_url && !link.url) {
      throw validation('Give at least one of jira_key, branch, pr_url or url');
    }
    if (link.jira_key !== undefined && !JIRA_KEY.test(link.jira_key)) {
      throw validation(`jira_key ${JSON.stringify(link.jira_key)} is not a Jira issue key like PROJ-123`);
    }
    if (link.branch !== undefined && (link.branch.trim() === '' || /\s/.test(link.branch))) {
      throw validation('branch must be a branch name without spaces');
    }
    const prUrl = link.pr_url === undefined ? undefined : checkUrl(link.pr_url, 'pr_url');
    const url = link.url === undefined ? undefined : checkUrl(link.url, 'url');
    return this.retrying(async () => {
      const task = await this.mustGetTask(taskId);
      const goal = await this.mustGetGoal(task.goal_id);
      const now = this.now();
      const next: Task = {
        ...task,
        jira_ticket: link.jira_key ?? task.jira_ticket,
        links: {
          branch: link.branch ?? task.links.branch,
          pr_url: prUrl ?? task.links.pr_url,
          urls: url && !task.links.urls.includes(url) ? [...task.links.urls, url] : task.links.urls,
        },
        updated_at: now,
      };
      return this.commitTask(goal, task, next, now);
    });
  }

  /** Ready tasks of one goal, or of every open goal, best first (see readyTasks). */
  async nextTasks(goalId?: string): Promise<Task[]> {
    const goals = goalId ? [await this.mustGetGoal(goalId)] : await this.openGoals();
    const out: Task[] = [];
    for (const tasks of await this.tasksOfGoals(goals)) {
      const byId = new Map(tasks.map((t) => [t.id, t]));
      for (const r of readyTasks(tasks)) out.push(byId.get(r.task_id)!);
    }
    if (!goalId) out.sort((a, b) => PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority));
    return out;
  }

  /** The tasks of each goal, read at once: a networked store answers them in one round trip. */
  private tasksOfGoals(goals: readonly Goal[]): Promise<Task[][]> {
    return Promise.all(goals.map((g) => this.store.getGoalTasks(g.id)));
  }

  private async openGoals(): Promise<Goal[]> {
    const goals = await this.store.listGoals();
    return goals
      .filter((g) => g.status !== 'cancelled' && g.status !== 'completed')
      .sort((a, b) => PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority));
  }

  /**
   * Atomically takes the best ready task for `owner`: it becomes in progress with a lease until
   * now + lease_seconds. A task whose lease lapsed counts as ready again. Two owners never get
   * the same task: the claim commits against the goal's version. Returns null when none is ready.
   */
  async claimNextTask(input: ClaimInput): Promise<Task | null> {
    const owner = checkText(input.owner, 'owner');
    if (!Number.isFinite(input.lease_seconds) || input.lease_seconds <= 0)
      throw validation('lease_seconds must be positive');
    return this.retrying(async () => {
      const goals = input.goal_id ? [await this.mustGetGoal(input.goal_id)] : await this.openGoals();
      const nowDate = this.options.now();
      const now = nowDate.toISOString();
      let best: { goal: Goal; task: Task } | undefined;
      const taskLists = await this.tasksOfGoals(goals);
      for (const [k, goal] of goals.entries()) {
        const tasks = taskLists[k]!;
        const byId = new Map(tasks.map((t) => [t.id, t]));
        const [top] = readyTasks(tasks, {
          now,
          leaseExpiresAt: (id) => byId.get(id)?.lease_expires_at ?? null,
        });
        if (!top) continue;
        const task = byId.get(top.task_id)!;
        if (!best || PRIORITIES.indexOf(task.priority) < PRIORITIES.indexOf(best.task.priority))
          best = { goal, task };
      }
      if (!best) return null;
      const { goal, task } = best;
      const next: Task = {
        ...task,
        status: 'in_progress',
        owner,
        lease_expires_at: new Date(nowDate.getTime() + input.lease_seconds * 1000).toISOString(),
        started_at: task.started_at ?? now,
        updated_at: now,
      };
      return this.commitTask(goal, task, next, now);
    });
  }

  /**
   * Imports a snapshot (this engine's export, or the Python original's state) all or nothing:
   * everything is validated first (shape, enums, dependencies within each goal, no cycles, no id
   * already in the store), then every goal and task is created and the id counters move past
   * every imported id in one store step (GoalStore.importGoals), so a crash midway or a race
   * with another writer leaves all of it or none of it.
   */
  async importState(snapshot: unknown): Promise<{ goals: number; tasks: number }> {
    const { problems, state } = normalizeSnapshot(snapshot, this.now());
    if (!state) throw validation(`Invalid snapshot: ${problems.join('; ')}`, 'Nothing was imported.');
    const taken = [
      ...(await Promise.all(state.goals.map((g) => this.store.getGoal(g.id))))
        .filter((g) => g !== null)
        .map((g) => g!.id),
      ...(await this.store.getTasks(state.tasks.map((t) => t.id)))
        .filter((t) => t !== null)
        .map((t) => t!.id),
    ];
    if (taken.length > 0) throw idsInUse(taken);
    // One store step: a crash or a refusal leaves all of it or none of it.
    await this.store.importGoals(
      state.goals.map((goal) => ({ goal, tasks: state.tasks.filter((t) => t.goal_id === goal.id) })),
      { goal: state.maxGoal, task: state.maxTask },
    );
    return { goals: state.goals.length, tasks: state.tasks.length };
  }

  /** Every goal and task, for a backup or a move to another store. */
  async exportState(): Promise<StateSnapshot> {
    const goals = await this.store.listGoals();
    const tasks = (await this.tasksOfGoals(goals)).flat();
    return { format: 'goal-engine/v1', exported_at: this.now(), goals, tasks };
  }
}
