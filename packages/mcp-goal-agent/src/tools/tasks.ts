import { jsonish, z } from '@org/mcp-core';
import { tool } from './tool.js';
import {
  GoalIdInput,
  GoalOutput,
  PriorityInput,
  TaskIdInput,
  TaskOutput,
  TaskStatusInput,
} from '../schemas.js';

const JsonValue = z.unknown();

const Subtask = z.object({
  description: z.string().min(1).max(10_000).describe('What to do'),
  title: z.string().max(200).optional().describe('Short title (default: first line of the description)'),
  ref: z.string().min(1).max(100).optional().describe('A name other subtasks of this call can depend on'),
  priority: PriorityInput.optional().describe('high, medium or low (default medium)'),
  type: z.string().max(50).optional().describe('e.g. code, testing, documentation, review (default general)'),
  dependencies: z
    .array(z.union([z.string(), z.number().int()]))
    .max(100)
    .optional()
    .describe(
      'Each: the position of another subtask in this call counting from 0, its ref, or an existing task id of this goal',
    ),
  repo: z.string().max(200).nullable().optional(),
  jira_ticket: z.string().max(50).nullable().optional(),
  estimated_effort: z
    .union([z.string().max(50), z.number().nonnegative()])
    .nullable()
    .optional()
    .describe('30m, 4h, 2d (8 h), 1w (40 h), "1d 4h", or hours'),
  tools: z.array(z.string()).max(50).optional().describe('Tools the task needs (stored as assigned_tools)'),
  assigned_tools: z.array(z.string()).max(50).optional(),
});

export const breakDownGoal = tool({
  name: 'break_down_goal',
  toolset: 'tasks',
  title: 'Break down goal',
  description:
    'Adds tasks to a goal in one all-or-nothing step. Dependencies may name other subtasks of the same call by position (from 0) or by ref, or existing tasks of the goal by id. The whole batch is checked first (empty descriptions, unknown, self or duplicate dependencies, cycles); on any problem nothing is created and the error names each offending subtask. Returns the created tasks with their ids.',
  input: z.object({
    goal_id: GoalIdInput,
    subtasks: jsonish(z.array(Subtask).min(1).max(1000)).describe(
      'The tasks to add (1 to 1000), as an array or a JSON string of one',
    ),
  }),
  output: z.object({ goal: GoalOutput, tasks: z.array(TaskOutput), created: z.number() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler({ goal_id, subtasks }, { deps }) {
    const { goal, tasks } = await deps.engine.breakDownGoal(
      goal_id,
      subtasks.map(({ tools, assigned_tools, ...s }) => ({
        ...s,
        ...(tools || assigned_tools ? { assigned_tools: [...(assigned_tools ?? []), ...(tools ?? [])] } : {}),
      })) as never,
    );
    return { goal, tasks, created: tasks.length };
  },
});

export const getTask = tool({
  name: 'get_task',
  toolset: 'tasks',
  title: 'Get task',
  description: 'One task with every field: status, dependencies, result, links, owner and lease, timestamps.',
  input: z.object({ task_id: TaskIdInput }),
  output: TaskOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler({ task_id }, { deps }) {
    return deps.engine.getTask(task_id);
  },
});

export const batchGetTasks = tool({
  name: 'batch_get_tasks',
  toolset: 'tasks',
  title: 'Get several tasks',
  description: 'Up to 100 tasks by id, in the order asked; ids that do not exist are listed in not_found.',
  input: z.object({
    task_ids: jsonish(z.array(TaskIdInput).min(1).max(100)).describe(
      'Task ids, as an array or a JSON string of one',
    ),
  }),
  output: z.object({ tasks: z.array(TaskOutput), not_found: z.array(z.string()), total: z.number() }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler({ task_ids }, { deps }) {
    return { ...(await deps.engine.batchGetTasks(task_ids)), total: task_ids.length };
  },
});

export const updateTaskStatus = tool({
  name: 'update_task_status',
  toolset: 'tasks',
  title: 'Update task status',
  description:
    "Sets a task's status (pending, in_progress, completed, failed, blocked, cancelled) and optionally its result. A task cannot start or complete while a dependency is unfinished unless force is true. completed_at is set on completion and cleared when the task leaves completed; the goal's status follows its tasks.",
  input: z.object({
    task_id: TaskIdInput,
    status: TaskStatusInput,
    result: jsonish(JsonValue)
      .optional()
      .describe('Any JSON value to store as the result (null clears it); omit to keep the current one'),
    force: z.boolean().default(false).describe('Start or complete even though a dependency is unfinished'),
  }),
  output: TaskOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler({ task_id, status, result, force }, { deps }) {
    return deps.engine.updateTaskStatus(task_id, status, {
      ...(result === undefined ? {} : { result: result as never }),
      force,
    });
  },
});

export const batchUpdateTasks = tool({
  name: 'batch_update_tasks',
  toolset: 'tasks',
  title: 'Update several tasks',
  description:
    'Applies status changes in the order given. By default each applies on its own and gets its own result (in input order). With atomic true, all must belong to one goal and either all apply or none does.',
  input: z.object({
    updates: jsonish(
      z
        .array(
          z.object({
            task_id: TaskIdInput,
            status: TaskStatusInput,
            result: JsonValue.optional(),
            force: z.boolean().optional(),
          }),
        )
        .min(1)
        .max(500),
    ).describe('Changes: [{task_id, status, result?, force?}], as an array or a JSON string of one'),
    atomic: z.boolean().default(false).describe('All or nothing (one goal only)'),
  }),
  output: z.object({
    results: z.array(
      z.object({
        task_id: z.string(),
        ok: z.boolean(),
        status: TaskStatusInput.optional(),
        error: z.string().optional(),
        code: z.string().optional(),
      }),
    ),
    successful: z.number(),
    failed: z.number(),
    total: z.number(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler({ updates, atomic }, { deps }) {
    const results = await deps.engine.batchUpdateTasks(updates as never, { atomic });
    const successful = results.filter((r) => r.ok).length;
    return { results, successful, failed: results.length - successful, total: results.length };
  },
});

export const deleteTask = tool({
  name: 'delete_task',
  toolset: 'tasks',
  title: 'Delete task',
  description:
    'Deletes a task. While other tasks depend on it: mode refuse (default) fails and names them, detach removes it from their dependencies, cascade deletes them too. Never leaves a dangling dependency.',
  input: z.object({
    task_id: TaskIdInput,
    mode: z.enum(['refuse', 'detach', 'cascade']).default('refuse'),
  }),
  output: z.object({
    goal_id: z.string(),
    deleted_task_ids: z.array(z.string()),
    detached_from: z.array(z.string()),
    success: z.literal(true),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ task_id, mode }, { deps }) {
    return { ...(await deps.engine.deleteTask(task_id, mode)), success: true as const };
  },
});

export const addDependency = tool({
  name: 'add_dependency',
  toolset: 'tasks',
  title: 'Add dependency',
  description:
    'Makes task_id wait for depends_on (same goal). Refused when it would close a cycle; the error names the cycle.',
  input: z.object({
    task_id: TaskIdInput,
    depends_on: TaskIdInput.describe('The task that must complete first'),
  }),
  output: TaskOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler({ task_id, depends_on }, { deps }) {
    return deps.engine.addDependency(task_id, depends_on);
  },
});

export const removeDependency = tool({
  name: 'remove_dependency',
  toolset: 'tasks',
  title: 'Remove dependency',
  description: 'Stops task_id from waiting for depends_on.',
  input: z.object({ task_id: TaskIdInput, depends_on: TaskIdInput }),
  output: TaskOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler({ task_id, depends_on }, { deps }) {
    return deps.engine.removeDependency(task_id, depends_on);
  },
});

export const linkTask = tool({
  name: 'link_task',
  toolset: 'tasks',
  title: 'Link task',
  description:
    'Attaches a Jira issue key (stored as jira_ticket), a git branch, a pull request URL and/or any URL to a task.',
  input: z.object({
    task_id: TaskIdInput,
    jira_key: z.string().optional().describe('e.g. PROJ-123'),
    branch: z.string().max(250).optional().describe('e.g. feature/rate-limiting'),
    pr_url: z.string().max(2000).optional().describe('http(s) URL of the pull request'),
    url: z.string().max(2000).optional().describe('Any other http(s) URL (added to links.urls)'),
  }),
  output: TaskOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler({ task_id, ...link }, { deps }) {
    return deps.engine.linkTask(task_id, link);
  },
});

export const claimNextTask = tool({
  name: 'claim_next_task',
  toolset: 'tasks',
  title: 'Claim next task',
  description:
    'Atomically takes the best ready task (of one goal, or of every open goal) for an owner: it becomes in_progress with a lease. Two agents never get the same task; a task whose lease lapsed can be claimed again. Returns task null when nothing is ready.',
  input: z.object({
    owner: z.string().trim().min(1).max(100).describe('Who works on it, e.g. an agent name'),
    goal_id: GoalIdInput.optional(),
    lease_seconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3600)
      .optional()
      .describe('How long the claim holds (default GOAL_AGENT_LEASE_SECONDS, 1800)'),
  }),
  output: z.object({ task: TaskOutput.nullable() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler({ owner, goal_id, lease_seconds }, { deps }) {
    const task = await deps.engine.claimNextTask({
      owner,
      lease_seconds: lease_seconds ?? deps.config.GOAL_AGENT_LEASE_SECONDS,
      ...(goal_id ? { goal_id } : {}),
    });
    return { task };
  },
});

export const taskTools = [
  breakDownGoal,
  getTask,
  batchGetTasks,
  updateTaskStatus,
  batchUpdateTasks,
  deleteTask,
  addDependency,
  removeDependency,
  linkTask,
  claimNextTask,
];
