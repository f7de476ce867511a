// The pure half of break_down_goal: every check on a batch of subtasks, before anything is read
// beyond the dependencies named or written.
import { parseEffort } from './effort.js';
import { PRIORITIES, TASK_ID_PATTERN, type Task } from './model.js';
import { findCycle, formatCycle } from './planner.js';
import type { SubtaskInput } from './engine.js';

/** How a subtask is named in error messages: its position, and its ref when it has one. */
export function subtaskLabel(subtasks: readonly SubtaskInput[], i: number): string {
  const ref = subtasks[i]?.ref;
  return ref ? `subtasks[${i}] (ref "${ref}")` : `subtasks[${i}]`;
}

const refsOf = (subtasks: readonly SubtaskInput[]) =>
  new Set(subtasks.map((s) => (typeof s === 'object' && s !== null ? s.ref : undefined)).filter(Boolean));

/** The existing task ids a batch names as dependencies (to be read in one call), without repeats. */
export function existingDependencyIds(subtasks: readonly SubtaskInput[]): string[] {
  const refs = refsOf(subtasks);
  return [
    ...new Set(
      subtasks.flatMap((s) =>
        (Array.isArray(s?.dependencies) ? (s.dependencies as (string | number)[]) : []).filter(
          (d: string | number): d is string =>
            typeof d === 'string' && !refs.has(d) && TASK_ID_PATTERN.test(d),
        ),
      ),
    ),
  ];
}

/**
 * Checks a batch of subtasks for `goalId` (pure; O(n + e) plus a cycle search over the batch).
 * `existing` holds each id of existingDependencyIds as read from the store (null: missing).
 * Returns every problem, named by position and ref, and each subtask's dependencies resolved to
 * batch positions (numbers) or existing task ids (strings). New tasks can only form cycles among
 * themselves, since no existing task depends on them.
 */
export function validateSubtasks(
  goalId: string,
  subtasks: readonly SubtaskInput[],
  existing: ReadonlyMap<string, Task | null>,
): { resolved: (number | string)[][]; problems: string[] } {
  const label = (i: number) => subtaskLabel(subtasks, i);
  const problems: string[] = [];
  const refs = new Map<string, number>();
  subtasks.forEach((s, i) => {
    if (typeof s !== 'object' || s === null) return;
    if (s.ref === undefined) return;
    if (typeof s.ref !== 'string' || s.ref.trim() === '')
      problems.push(`${label(i)}: ref must be a non-empty string`);
    else if (TASK_ID_PATTERN.test(s.ref))
      problems.push(`${label(i)}: ref "${s.ref}" looks like a task id; pick another name`);
    else if (refs.has(s.ref))
      problems.push(`${label(i)}: ref "${s.ref}" is already used by subtasks[${refs.get(s.ref)}]`);
    else refs.set(s.ref, i);
  });
  // Dependencies as batch positions (number) or existing ids (string).
  const resolved: (number | string)[][] = [];
  subtasks.forEach((s, i) => {
    const deps: (number | string)[] = [];
    resolved.push(deps);
    if (typeof s !== 'object' || s === null || Array.isArray(s)) {
      problems.push(`${label(i)}: must be an object with a description`);
      return;
    }
    if (typeof s.description !== 'string' || s.description.trim() === '')
      problems.push(`${label(i)}: description must not be empty`);
    if (s.title !== undefined && (typeof s.title !== 'string' || s.title.trim() === ''))
      problems.push(`${label(i)}: title must not be empty`);
    if (s.priority !== undefined && !PRIORITIES.includes(s.priority)) {
      problems.push(
        `${label(i)}: priority must be one of ${PRIORITIES.join(', ')} (got ${JSON.stringify(s.priority)})`,
      );
    }
    if (
      s.estimated_effort !== undefined &&
      s.estimated_effort !== null &&
      s.estimated_effort !== '' &&
      parseEffort(s.estimated_effort) === null
    ) {
      problems.push(
        `${label(i)}: estimated_effort ${JSON.stringify(s.estimated_effort)} is not an effort (use 30m, 4h, 2d, 1w or hours)`,
      );
    }
    if (s.dependencies !== undefined && !Array.isArray(s.dependencies)) {
      problems.push(`${label(i)}: dependencies must be an array`);
      return;
    }
    const seen = new Set<string>();
    for (const d of s.dependencies ?? []) {
      let target: number | string | undefined;
      if (typeof d === 'number') {
        if (!Number.isInteger(d) || d < 0 || d >= subtasks.length) {
          problems.push(
            `${label(i)}: dependency ${d} is not a position in this batch (0 to ${subtasks.length - 1})`,
          );
          continue;
        }
        target = d;
      } else if (typeof d === 'string' && refs.has(d)) {
        target = refs.get(d)!;
      } else if (typeof d === 'string' && existing.has(d)) {
        const task = existing.get(d);
        if (!task) {
          problems.push(`${label(i)}: dependency ${d} does not exist`);
          continue;
        }
        if (task.goal_id !== goalId) {
          problems.push(
            `${label(i)}: dependency ${d} belongs to ${task.goal_id}; dependencies stay within one goal`,
          );
          continue;
        }
        target = d;
      } else {
        problems.push(
          `${label(i)}: dependency ${JSON.stringify(d)} is neither a position, a ref in this batch, nor a task of ${goalId}`,
        );
        continue;
      }
      if (target === i) {
        problems.push(`${label(i)}: a task cannot depend on itself`);
        continue;
      }
      const key = typeof target === 'number' ? `#${target}` : target;
      if (seen.has(key)) {
        problems.push(`${label(i)}: dependency ${JSON.stringify(d)} is listed twice`);
        continue;
      }
      seen.add(key);
      deps.push(target);
    }
  });
  if (problems.length === 0) {
    // New tasks can only form cycles among themselves: existing tasks never depend on them.
    const cycle = findCycle(
      resolved.map((deps, i) => ({
        id: label(i),
        status: 'pending' as const,
        priority: 'medium' as const,
        dependencies: deps.filter((d): d is number => typeof d === 'number').map(label),
      })),
    );
    if (cycle) problems.push(`dependency cycle: ${formatCycle(cycle)}`);
  }
  return { resolved, problems };
}
