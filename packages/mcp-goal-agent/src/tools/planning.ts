import { executionPlan, goalProgress, planToMermaid, readyTasks, type Task } from '@org/goal-engine';
import { z } from '@org/mcp-core';
import { tool } from './tool.js';
import { GoalIdInput, TaskSummaryOutput, summarizeTask } from '../schemas.js';

export const getNextTasks = tool({
  name: 'get_next_tasks',
  toolset: 'planning',
  title: 'Get next tasks',
  description:
    'Tasks that can start now (pending, every dependency completed), best first: by priority, then by how much work waits behind them, then creation order. For one goal, or across every open goal.',
  input: z.object({
    goal_id: GoalIdInput.optional(),
    limit: z.number().int().min(1).max(200).default(20).describe('At most this many (default 20)'),
  }),
  output: z.object({
    tasks: z.array(TaskSummaryOutput),
    count: z.number().describe('All ready tasks, before the limit'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler({ goal_id, limit }, { deps }) {
    const ready = await deps.engine.nextTasks(goal_id);
    return { tasks: ready.slice(0, limit).map(summarizeTask), count: ready.length };
  },
});

const PlanTaskOutput = z.object({
  id: z.string(),
  title: z.string().optional(),
  priority: z.string().optional(),
  status: z.string().optional(),
});

/** The plan of one goal as the tool and the plan resource return it. */
export function describePlan(
  goal: { id: string; title: string },
  tasks: Task[],
  options: { mermaid: boolean; budget: number },
) {
  const plan = executionPlan(tasks);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const full = (id: string) => {
    const t = byId.get(id)!;
    return { id, title: t.title, priority: t.priority, status: t.status };
  };
  const shape = (detail: (id: string) => z.infer<typeof PlanTaskOutput>) =>
    plan.phases.map((ids, k) => ({
      phase: k + 1,
      tasks: ids.map(detail),
      task_count: ids.length,
      parallel_execution_possible: ids.length > 1,
    }));
  let phases = shape(full);
  let abbreviated = false;
  if (JSON.stringify(phases).length > options.budget) {
    phases = shape((id) => ({ id }));
    abbreviated = true;
  }
  const progress = goalProgress(tasks);
  return {
    goal_id: goal.id,
    goal_title: goal.title,
    total_tasks: tasks.length,
    total_phases: plan.phases.length,
    execution_phases: phases,
    abbreviated,
    blocked: plan.blocked,
    cycle: plan.cycle,
    critical_path: plan.critical_path,
    ready_now: readyTasks(tasks).map((r) => r.task_id),
    progress: { percent_complete: progress.percent_complete, counts: progress.counts },
    ...(options.mermaid ? { mermaid: planToMermaid(plan, tasks) } : {}),
  };
}

export const generateExecutionPlan = tool({
  name: 'generate_execution_plan',
  toolset: 'planning',
  title: 'Generate execution plan',
  description:
    'The execution plan of a goal: phases of unfinished tasks (every dependency in an earlier phase or completed; tasks of one phase can run in parallel), blocked tasks with the reason (a dependency failed or was cancelled), the critical path with its estimated hours, the tasks ready now, and progress. include_mermaid adds a Mermaid flowchart. For large goals, phases list ids only (abbreviated: true).',
  input: z.object({
    goal_id: GoalIdInput,
    include_mermaid: z.boolean().default(false).describe('Add a Mermaid flowchart of the plan'),
  }),
  output: z.object({
    goal_id: z.string(),
    goal_title: z.string(),
    total_tasks: z.number(),
    total_phases: z.number(),
    execution_phases: z.array(
      z.object({
        phase: z.number(),
        tasks: z.array(PlanTaskOutput),
        task_count: z.number(),
        parallel_execution_possible: z.boolean(),
      }),
    ),
    abbreviated: z.boolean().describe('True when task titles were left out to stay within the output budget'),
    blocked: z.array(z.object({ task_id: z.string(), blocked_by: z.string(), reason: z.string() })),
    cycle: z.array(z.string()).nullable(),
    critical_path: z.object({ task_ids: z.array(z.string()), hours: z.number(), unestimated: z.number() }),
    ready_now: z.array(z.string()),
    progress: z.object({ percent_complete: z.number(), counts: z.record(z.string(), z.number()) }),
    mermaid: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler({ goal_id, include_mermaid }, { deps, outputBudget }) {
    const { goal, tasks } = await deps.engine.getGoal(goal_id);
    return describePlan(goal, tasks, { mermaid: include_mermaid, budget: outputBudget });
  },
  render(plan) {
    const lines = [
      `Plan for ${plan.goal_id} (${plan.goal_title}): ${plan.total_tasks} tasks in ${plan.total_phases} phases`,
    ];
    for (const p of plan.execution_phases) {
      lines.push(
        `Phase ${p.phase}${p.parallel_execution_possible ? ' (parallel)' : ''}: ${p.tasks.map((t) => (t.title ? `${t.id} ${t.title}` : t.id)).join('; ')}`,
      );
    }
    for (const b of plan.blocked) lines.push(`Blocked: ${b.task_id}: ${b.reason}`);
    lines.push(
      `Critical path (${plan.critical_path.hours} h): ${plan.critical_path.task_ids.join(' → ') || 'none'}`,
    );
    lines.push(`Ready now: ${plan.ready_now.join(', ') || 'none'}`);
    if (plan.mermaid) lines.push('', '```mermaid', plan.mermaid, '```');
    lines.push('', JSON.stringify({ ...plan, mermaid: undefined }));
    return lines.join('\n');
  },
});

export const planningTools = [getNextTasks, generateExecutionPlan];
