/** Priorities, most urgent first; the order is the planner's first tie-breaker. */
export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const GOAL_STATUSES = ['planned', 'in_progress', 'completed', 'cancelled'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

/** `blocked` is set by hand (waiting on something outside the plan); `cancelled` drops a task from the plan. */
export const TASK_STATUSES = [
  'pending',
  'in_progress',
  'completed',
  'failed',
  'blocked',
  'cancelled',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Any JSON value (task results, goal metadata). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Where a task's work lives outside the plan. The Jira key is the task's `jira_ticket`. */
export interface TaskLinks {
  branch: string | null;
  pr_url: string | null;
  /** Any other URLs (design doc, CI run …), without duplicates. */
  urls: string[];
}

export interface Goal {
  /** `GOAL-0001` … */
  id: string;
  title: string;
  description: string;
  priority: Priority;
  status: GoalStatus;
  repos: string[];
  metadata: Record<string, Json>;
  /** How many of the goal's tasks are in each status; kept by the engine on every change. */
  task_counts: Record<TaskStatus, number>;
  /** ISO 8601 UTC (`Z`). */
  created_at: string;
  updated_at: string;
  /** Bumped on every change to the goal or any of its tasks (optimistic concurrency). */
  version: number;
}

export interface Task {
  /** `TASK-0001` …, numbered across goals. */
  id: string;
  goal_id: string;
  title: string;
  description: string;
  /** Free text, e.g. code, testing, documentation, review. @default 'general' */
  type: string;
  status: TaskStatus;
  priority: Priority;
  /** Ids of tasks of the same goal that must complete first. */
  dependencies: string[];
  repo: string | null;
  jira_ticket: string | null;
  /** `30m`, `4h`, `2d`, `1w` or a number of hours. */
  estimated_effort: string | null;
  assigned_tools: string[];
  result: Json;
  links: TaskLinks;
  /** Who claimed the task (claim_next_task). */
  owner: string | null;
  /** When the claim lapses and the task can be claimed again. */
  lease_expires_at: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  completed_at: string | null;
}

const pad = (n: number) => String(n).padStart(4, '0');
/** `GOAL-0001` for 1; longer past 9999. */
export const goalId = (n: number) => `GOAL-${pad(n)}`;
/** `TASK-0001` for 1; longer past 9999. */
export const taskId = (n: number) => `TASK-${pad(n)}`;
export const GOAL_ID_PATTERN = /^GOAL-\d{4,}$/;
export const TASK_ID_PATTERN = /^TASK-\d{4,}$/;
/** The number in an id (`TASK-0042` → 42). */
export const idNumber = (id: string) => Number(id.slice(id.indexOf('-') + 1));

/** Orders goals or tasks by the number in their id, which is their creation order (TASK-10000 after TASK-9999). */
export const byIdNumber = (a: { id: string }, b: { id: string }): number => idNumber(a.id) - idNumber(b.id);

/** A fresh count of zero per task status. */
export function emptyCounts(): Record<TaskStatus, number> {
  return { pending: 0, in_progress: 0, completed: 0, failed: 0, blocked: 0, cancelled: 0 };
}

/** Task count of each status. O(n). */
export function countByStatus(tasks: readonly Pick<Task, 'status'>[]): Record<TaskStatus, number> {
  const counts = emptyCounts();
  for (const t of tasks) counts[t.status]++;
  return counts;
}

/** A title from a description: its first line, at most 80 characters. */
export function titleFrom(description: string): string {
  const line = description.split('\n', 1)[0]!.trim();
  return line.length <= 80 ? line : `${line.slice(0, 79).trimEnd()}…`;
}
