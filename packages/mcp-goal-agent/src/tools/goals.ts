import { jsonish, pageInfoShape, paginate, z, pageFields } from '@org/mcp-core';
import { goalProgress } from '@org/goal-engine';
import { tool } from './tool.js';
import {
  GoalIdInput,
  GoalOutput,
  GoalStatusInput,
  GoalSummaryOutput,
  PriorityInput,
  TaskOutput,
  TaskSummaryOutput,
  summarizeGoal,
  summarizeTask,
} from '../schemas.js';

const Repos = jsonish(z.array(z.string().min(1)).max(100)).describe(
  'Repositories involved, e.g. ["org/api"]',
);
/**
 * Refuses an object with an own `__proto__` key before `schema` sees it: zod leaves that key out
 * of a parsed record while reporting success, so it would be lost without a word.
 */
function refusingProtoKey<T extends z.ZodType>(schema: T, message: string) {
  return z.preprocess((value, ctx) => {
    if (typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__'))
      ctx.addIssue({ code: 'custom', message });
    return value;
  }, schema);
}
const Metadata = jsonish(
  refusingProtoKey(
    z.record(z.string(), z.unknown()),
    'The metadata key "__proto__" cannot be stored (a JavaScript object cannot carry it); use another name',
  ),
).describe('Free-form JSON object');

export const createGoal = tool({
  name: 'create_goal',
  toolset: 'goals',
  title: 'Create goal',
  description:
    'Creates a goal (status planned) and returns it with its id (GOAL-0001 …). Next, break it into tasks with break_down_goal.',
  input: z.object({
    description: z
      .string()
      .trim()
      .min(1)
      .max(10_000)
      .describe('What the goal is about; the first line becomes the title unless one is given'),
    title: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('Short title (default: first line of the description)'),
    priority: PriorityInput.default('medium').describe('high, medium or low (default medium)'),
    repos: Repos.optional(),
    metadata: Metadata.optional(),
  }),
  output: GoalOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(input, { deps }) {
    return deps.engine.createGoal({
      description: input.description,
      priority: input.priority,
      ...(input.title ? { title: input.title } : {}),
      ...(input.repos ? { repos: input.repos } : {}),
      ...(input.metadata ? { metadata: input.metadata as never } : {}),
    });
  },
});

export const getGoal = tool({
  name: 'get_goal',
  toolset: 'goals',
  title: 'Get goal',
  description:
    'One goal with its progress and its tasks in creation order (summaries by default; detail "full" for every field, "none" for no tasks). Tasks are paged: limit (default 100) and cursor.',
  input: z.object({
    goal_id: GoalIdInput,
    detail: z
      .enum(['summary', 'full', 'none'])
      .default('summary')
      .describe('How much of each task to include'),
    limit: z.number().int().min(1).max(1000).default(100).describe('At most this many tasks (default 100)'),
    cursor: z.string().optional().describe('next_cursor of a previous call'),
  }),
  output: z.object({
    goal: GoalOutput,
    progress: z.object({
      total: z.number(),
      percent_complete: z.number().describe('Completed share of the tasks that are not cancelled, 0–100'),
      remaining_critical_hours: z.number().describe('Hours left on the critical path'),
    }),
    // Summary first (strict, so a full task is not cut down to one): it is the default detail,
    // and a union tries its members in order.
    tasks: z.array(z.union([TaskSummaryOutput.strict(), TaskOutput])),
    ...pageInfoShape,
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler({ goal_id, detail, limit, cursor }, { deps, outputBudget }) {
    const { goal, tasks } = await deps.engine.getGoal(goal_id);
    const { total, percent_complete, remaining_critical_hours } = goalProgress(tasks);
    const shaped = detail === 'none' ? [] : detail === 'full' ? tasks : tasks.map(summarizeTask);
    const page = paginate<object>(shaped, {
      cursor,
      limit,
      budget: outputBudget - JSON.stringify(goal).length - 200,
    });
    return {
      goal,
      progress: { total, percent_complete, remaining_critical_hours },
      tasks: page.items as never,
      ...pageFields(page),
    };
  },
});

export const listGoals = tool({
  name: 'list_goals',
  toolset: 'goals',
  title: 'List goals',
  description:
    'Goals in creation order as summaries (id, title, priority, status, task counts), optionally filtered; paged with limit and cursor.',
  input: z.object({
    status: GoalStatusInput.optional().describe('Only goals with this status'),
    priority: PriorityInput.optional().describe('Only goals with this priority'),
    limit: z.number().int().min(1).max(500).default(50).describe('At most this many goals (default 50)'),
    cursor: z.string().optional().describe('next_cursor of a previous call'),
  }),
  output: z.object({
    goals: z.array(GoalSummaryOutput),
    count: z.number().describe('Goals matching the filters'),
    ...pageInfoShape,
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler({ status, priority, limit, cursor }, { deps, outputBudget }) {
    const goals = (
      await deps.engine.listGoals({ ...(status ? { status } : {}), ...(priority ? { priority } : {}) })
    ).map(summarizeGoal);
    const { items, ...page } = paginate(goals, { cursor, limit, budget: outputBudget });
    return { goals: items, count: goals.length, ...page };
  },
});

export const updateGoal = tool({
  name: 'update_goal',
  toolset: 'goals',
  title: 'Update goal',
  description:
    'Changes a goal. Only the fields given change; metadata is merged (a key set to null is removed). Status completed is refused while tasks are unfinished; cancelled stays until set otherwise.',
  input: z.object({
    goal_id: GoalIdInput,
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().trim().min(1).max(10_000).optional(),
    priority: PriorityInput.optional(),
    status: GoalStatusInput.optional(),
    repos: Repos.optional(),
    metadata: Metadata.optional(),
  }),
  output: GoalOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler({ goal_id, ...patch }, { deps }) {
    return deps.engine.updateGoal(goal_id, {
      ...(patch.title ? { title: patch.title } : {}),
      ...(patch.description ? { description: patch.description } : {}),
      ...(patch.priority ? { priority: patch.priority } : {}),
      ...(patch.status ? { status: patch.status } : {}),
      ...(patch.repos ? { repos: patch.repos } : {}),
      ...(patch.metadata ? { metadata: patch.metadata as never } : {}),
    });
  },
});

export const deleteGoal = tool({
  name: 'delete_goal',
  toolset: 'goals',
  title: 'Delete goal',
  description: 'Deletes a goal and every task in it, permanently.',
  input: z.object({ goal_id: GoalIdInput }),
  output: z.object({
    deleted_goal_id: z.string(),
    deleted_task_ids: z.array(z.string()),
    success: z.literal(true),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ goal_id }, { deps }) {
    return { ...(await deps.engine.deleteGoal(goal_id)), success: true as const };
  },
});

export const goalTools = [createGoal, getGoal, listGoals, updateGoal, deleteGoal];
