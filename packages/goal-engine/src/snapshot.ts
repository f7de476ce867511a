import { parseEffort } from './effort.js';
import {
  GOAL_ID_PATTERN,
  GOAL_STATUSES,
  PRIORITIES,
  TASK_ID_PATTERN,
  TASK_STATUSES,
  countByStatus,
  idNumber,
  titleFrom,
  type Goal,
  type Json,
  type Task,
} from './model.js';
import { findCycle, formatCycle } from './planner.js';

/** A checked, normalized import: goals (version 1, counts recomputed) and their tasks. */
export interface NormalizedSnapshot {
  goals: Goal[];
  tasks: Task[];
  /** Highest ids in use (the counters must move past them). */
  maxGoal: number;
  maxTask: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');
/** Naive timestamps (the Python original wrote local time without a zone) are read as UTC. */
const stamp = (v: unknown, fallback: string): string | null => {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string' || Number.isNaN(Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`)))
    return fallback;
  return new Date(Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`)).toISOString();
};

/**
 * Checks and normalizes a state snapshot: this engine's export (`format: 'goal-engine/v1'`,
 * arrays) or the Python original's (`goals`/`tasks` as objects keyed by id, with counters).
 * Returns every problem found (at most 50), or the normalized state. Pure; O(V + E).
 */
export function normalizeSnapshot(
  input: unknown,
  now: string,
): { problems: string[]; state?: NormalizedSnapshot } {
  const problems: string[] = [];
  if (!isObj(input)) return { problems: ['the snapshot must be a JSON object with goals and tasks'] };
  const list = (v: unknown, what: string): unknown[] => {
    if (Array.isArray(v)) return v;
    if (isObj(v)) return Object.values(v);
    problems.push(`${what} must be an array (or an object keyed by id)`);
    return [];
  };
  const rawGoals = list(input['goals'], 'goals');
  const rawTasks = list(input['tasks'], 'tasks');
  const goals: Goal[] = [];
  const tasks: Task[] = [];
  const goalIds = new Set<string>();
  rawGoals.forEach((g, i) => {
    const where = `goals[${i}]`;
    if (!isObj(g)) return void problems.push(`${where} must be an object`);
    const id = g['id'];
    if (typeof id !== 'string' || !GOAL_ID_PATTERN.test(id))
      return void problems.push(`${where}: id must look like GOAL-0001`);
    if (goalIds.has(id)) return void problems.push(`${where}: duplicate id ${id}`);
    goalIds.add(id);
    const description = g['description'];
    if (typeof description !== 'string' || description.trim() === '')
      problems.push(`${id}: description must not be empty`);
    const priority = g['priority'] ?? 'medium';
    if (!PRIORITIES.includes(priority as never))
      problems.push(`${id}: priority ${JSON.stringify(priority)} is not one of ${PRIORITIES.join(', ')}`);
    const status = g['status'] ?? 'planned';
    if (!GOAL_STATUSES.includes(status as never))
      problems.push(`${id}: status ${JSON.stringify(status)} is not one of ${GOAL_STATUSES.join(', ')}`);
    const repos = g['repos'] ?? [];
    if (!isStringArray(repos)) problems.push(`${id}: repos must be an array of strings`);
    const metadata = g['metadata'] ?? {};
    if (!isObj(metadata)) problems.push(`${id}: metadata must be an object`);
    const text = typeof description === 'string' ? description.trim() : '';
    goals.push({
      id,
      title: typeof g['title'] === 'string' && g['title'].trim() ? g['title'].trim() : titleFrom(text),
      description: text,
      priority: priority as Goal['priority'],
      status: status as Goal['status'],
      repos: isStringArray(repos) ? repos : [],
      metadata: (isObj(metadata) ? metadata : {}) as Record<string, Json>,
      task_counts: countByStatus([]),
      created_at: stamp(g['created_at'], now) ?? now,
      updated_at: stamp(g['updated_at'], now) ?? now,
      version: 1,
    });
  });
  const taskGoal = new Map<string, string>();
  rawTasks.forEach((t, i) => {
    if (isObj(t) && typeof t['id'] === 'string' && typeof t['goal_id'] === 'string')
      taskGoal.set(t['id'], t['goal_id']);
    void i;
  });
  const taskIds = new Set<string>();
  rawTasks.forEach((t, i) => {
    const where = `tasks[${i}]`;
    if (!isObj(t)) return void problems.push(`${where} must be an object`);
    const id = t['id'];
    if (typeof id !== 'string' || !TASK_ID_PATTERN.test(id))
      return void problems.push(`${where}: id must look like TASK-0001`);
    if (taskIds.has(id)) return void problems.push(`${where}: duplicate id ${id}`);
    taskIds.add(id);
    const goalId = t['goal_id'];
    if (typeof goalId !== 'string' || !goalIds.has(goalId))
      problems.push(`${id}: goal_id ${JSON.stringify(goalId)} is not a goal of the snapshot`);
    const description = t['description'];
    if (typeof description !== 'string' || description.trim() === '')
      problems.push(`${id}: description must not be empty`);
    const status = t['status'] ?? 'pending';
    if (!TASK_STATUSES.includes(status as never))
      problems.push(`${id}: status ${JSON.stringify(status)} is not one of ${TASK_STATUSES.join(', ')}`);
    const priority = t['priority'] ?? 'medium';
    if (!PRIORITIES.includes(priority as never))
      problems.push(`${id}: priority ${JSON.stringify(priority)} is not one of ${PRIORITIES.join(', ')}`);
    const deps = t['dependencies'] ?? [];
    if (!isStringArray(deps)) problems.push(`${id}: dependencies must be an array of task ids`);
    else {
      for (const d of deps) {
        if (d === id) problems.push(`${id}: depends on itself`);
        else if (!taskGoal.has(d)) problems.push(`${id}: dependency ${d} is not a task of the snapshot`);
        else if (taskGoal.get(d) !== goalId) problems.push(`${id}: dependency ${d} belongs to another goal`);
      }
      if (new Set(deps).size !== deps.length) problems.push(`${id}: a dependency is listed twice`);
    }
    const effort = t['estimated_effort'] ?? null;
    if (effort !== null && parseEffort(effort as string) === null)
      problems.push(`${id}: estimated_effort ${JSON.stringify(effort)} is not an effort`);
    const optionalString = (key: string): string | null => {
      const v = t[key];
      if (v === undefined || v === null) return null;
      if (typeof v !== 'string') problems.push(`${id}: ${key} must be a string or null`);
      return typeof v === 'string' ? v : null;
    };
    const links = isObj(t['links']) ? t['links'] : {};
    const tools = t['assigned_tools'] ?? t['tools'] ?? [];
    const text = typeof description === 'string' ? description.trim() : '';
    const created = stamp(t['created_at'], now) ?? now;
    tasks.push({
      id,
      goal_id: goalId as string,
      title: typeof t['title'] === 'string' && t['title'].trim() ? t['title'].trim() : titleFrom(text),
      description: text,
      type: typeof t['type'] === 'string' && t['type'] ? t['type'] : 'general',
      status: status as Task['status'],
      priority: priority as Task['priority'],
      dependencies: isStringArray(deps) ? deps : [],
      repo: optionalString('repo'),
      jira_ticket: optionalString('jira_ticket'),
      estimated_effort: effort === null ? null : String(effort),
      assigned_tools: isStringArray(tools) ? tools : [],
      result: (t['result'] ?? null) as Json,
      links: {
        branch: typeof links['branch'] === 'string' ? links['branch'] : null,
        pr_url: typeof links['pr_url'] === 'string' ? links['pr_url'] : null,
        urls: isStringArray(links['urls']) ? links['urls'] : [],
      },
      owner: optionalString('owner'),
      lease_expires_at: stamp(t['lease_expires_at'], now),
      created_at: created,
      updated_at: stamp(t['updated_at'], now) ?? created,
      started_at: stamp(t['started_at'], now),
      completed_at: status === 'completed' ? (stamp(t['completed_at'], now) ?? now) : null,
    });
  });
  if (problems.length === 0) {
    for (const g of goals) {
      const own = tasks.filter((t) => t.goal_id === g.id).sort((a, b) => idNumber(a.id) - idNumber(b.id));
      const cycle = findCycle(own);
      if (cycle) problems.push(`${g.id}: dependency cycle ${formatCycle(cycle)}`);
      g.task_counts = countByStatus(own);
    }
  }
  if (problems.length > 0) return { problems: problems.slice(0, 50) };
  const counter = (key: string) => (typeof input[key] === 'number' ? (input[key] as number) : 0);
  return {
    problems: [],
    state: {
      goals,
      tasks,
      maxGoal: Math.max(counter('goal_counter'), ...goals.map((g) => idNumber(g.id)), 0),
      maxTask: Math.max(counter('task_counter'), ...tasks.map((t) => idNumber(t.id)), 0),
    },
  };
}
