import {
  GOAL_ID_PATTERN,
  GOAL_STATUSES,
  PRIORITIES,
  TASK_ID_PATTERN,
  TASK_STATUSES,
  type Goal,
  type Task,
} from '@org/goal-engine';
import { z } from '@org/mcp-core';

export const GoalIdInput = z
  .string()
  .regex(GOAL_ID_PATTERN, 'must look like GOAL-0001')
  .describe('Goal id, e.g. GOAL-0001');
export const TaskIdInput = z
  .string()
  .regex(TASK_ID_PATTERN, 'must look like TASK-0001')
  .describe('Task id, e.g. TASK-0001');
export const PriorityInput = z.enum(PRIORITIES);
export const TaskStatusInput = z.enum(TASK_STATUSES);
export const GoalStatusInput = z.enum(GOAL_STATUSES);

const Counts = z.object(
  Object.fromEntries(TASK_STATUSES.map((s) => [s, z.number().int()])) as Record<
    (typeof TASK_STATUSES)[number],
    z.ZodNumber
  >,
);

export const GoalOutput = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  priority: z.enum(PRIORITIES),
  status: z.enum(GOAL_STATUSES),
  repos: z.array(z.string()),
  metadata: z.record(z.string(), z.unknown()),
  task_counts: Counts,
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
});

export const TaskOutput = z.object({
  id: z.string(),
  goal_id: z.string(),
  title: z.string(),
  description: z.string(),
  type: z.string(),
  status: z.enum(TASK_STATUSES),
  priority: z.enum(PRIORITIES),
  dependencies: z.array(z.string()),
  repo: z.string().nullable(),
  jira_ticket: z.string().nullable(),
  estimated_effort: z.string().nullable(),
  assigned_tools: z.array(z.string()),
  result: z.unknown(),
  links: z.object({
    branch: z.string().nullable(),
    pr_url: z.string().nullable(),
    urls: z.array(z.string()),
  }),
  owner: z.string().nullable(),
  lease_expires_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
});

/** A task in lists: the fields a planner scans, the empty ones left out (fewer tokens to read). */
export const TaskSummaryOutput = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(TASK_STATUSES),
  priority: z.enum(PRIORITIES),
  dependencies: z.array(z.string()).optional().describe('Ids of the tasks it waits on; absent when none'),
  estimated_effort: z.string().optional().describe('Absent when not estimated'),
  owner: z.string().optional().describe('The agent holding the task; absent when unclaimed'),
});

export const GoalSummaryOutput = GoalOutput.pick({
  id: true,
  title: true,
  priority: true,
  status: true,
  task_counts: true,
  updated_at: true,
});

export const summarizeTask = (t: Task): z.infer<typeof TaskSummaryOutput> => {
  const summary: z.infer<typeof TaskSummaryOutput> = {
    id: t.id,
    title: t.title,
    status: t.status,
    priority: t.priority,
  };
  if (t.dependencies.length > 0) summary.dependencies = t.dependencies;
  if (t.estimated_effort) summary.estimated_effort = t.estimated_effort;
  if (t.owner) summary.owner = t.owner;
  return summary;
};

export const summarizeGoal = (g: Goal): z.infer<typeof GoalSummaryOutput> => ({
  id: g.id,
  title: g.title,
  priority: g.priority,
  status: g.status,
  task_counts: g.task_counts,
  updated_at: g.updated_at,
});
