import { defineServer, readPackageInfo, ResourceTemplate, z, type McpServer } from '@org/mcp-core';
import { ConfigSchema, type Config } from './config.js';
import { createDeps, toToolError, type Deps } from './deps.js';
import { TOOLSETS } from './toolsets.js';

function instructions(deps: Deps): string {
  return [
    'Plan work as goals and tasks with dependencies. Typical flow: create_goal, then break_down_goal with every task in one call',
    '(dependencies by position from 0, by ref, or by task id), then get_next_tasks or claim_next_task, update_task_status as work',
    'progresses, and generate_execution_plan (include_mermaid for a diagram) to show phases and the critical path.',
    `Every change is saved at once to the ${deps.storeInfo.kind} store (${deps.storeInfo.location}); save/restore are only for copies.`,
  ].join(' ');
}

/** The goal resources (goal://ID, goal://ID/plan) and the planning prompt. */
function registerResources(server: McpServer, deps: Deps, config: Config): void {
  const listGoals = async () => ({
    resources: (await deps.engine.listGoals()).map((g) => ({
      uri: `goal://${g.id}`,
      name: g.id,
      title: g.title,
      description: `${g.status}, ${g.priority} priority`,
      mimeType: 'application/json',
    })),
  });

  server.registerResource(
    'goal',
    new ResourceTemplate('goal://{goal_id}', { list: listGoals }),
    { title: 'Goal', description: 'A goal with its tasks (summaries)', mimeType: 'application/json' },
    async (uri, { goal_id }) => {
      const { goal, tasks } = await deps.engine.getGoal(String(goal_id));
      // Imported here: the tool modules stay out of the start-up path.
      const { summarizeTask } = await import('./schemas.js');
      return {
        contents: [
          {
            uri: uri.href,
            mimeType: 'application/json',
            text: JSON.stringify({ goal, tasks: tasks.map(summarizeTask) }, null, 2),
          },
        ],
      };
    },
  );

  server.registerResource(
    'goal-plan',
    new ResourceTemplate('goal://{goal_id}/plan', { list: undefined }),
    {
      title: 'Goal plan',
      description: 'The execution plan of a goal as Markdown with a Mermaid diagram',
      mimeType: 'text/markdown',
    },
    async (uri, { goal_id }) => {
      const { goal, tasks } = await deps.engine.getGoal(String(goal_id));
      const { describePlan } = await import('./tools/planning.js');
      const plan = describePlan(goal, tasks, { mermaid: true, budget: config.MCP_MAX_OUTPUT_CHARS });
      const text = [
        `# Plan for ${goal.id}: ${goal.title}`,
        '',
        ...plan.execution_phases.map(
          (p) =>
            `- Phase ${p.phase}${p.parallel_execution_possible ? ' (parallel)' : ''}: ${p.tasks.map((t) => `${t.id}${t.title ? ` ${t.title}` : ''}`).join('; ')}`,
        ),
        ...plan.blocked.map((b) => `- Blocked: ${b.task_id} (${b.reason})`),
        '',
        `Critical path (${plan.critical_path.hours} h): ${plan.critical_path.task_ids.join(' → ') || 'none'}`,
        '',
        '```mermaid',
        plan.mermaid ?? '',
        '```',
      ].join('\n');
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text }] };
    },
  );

  server.registerPrompt(
    'plan_goal',
    {
      title: 'Plan a goal',
      description: 'Walks through turning a goal into tasks with dependencies, then shows the plan.',
      argsSchema: {
        goal: z.string().describe('The goal, in a sentence or two'),
        context: z.string().optional().describe('Anything that constrains the plan: repos, deadline, team'),
      },
    },
    ({ goal, context }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: [
              `Plan this goal with the goal-agent tools: "${goal}".${context ? ` Context: ${context}.` : ''}`,
              '1. create_goal with a clear description and a priority.',
              '2. Think through the work: 3 to 12 concrete tasks, each small enough for one sitting, each with an estimated_effort (30m, 4h, 2d).',
              '3. Decide the real dependencies: a task depends on another only if it cannot start before that one is done. Avoid chains that are not real, so independent work can run in parallel.',
              '4. Call break_down_goal once with every task; give each a ref and name dependencies by ref.',
              '5. Call generate_execution_plan with include_mermaid true, and show the phases, the critical path and the diagram.',
              '6. Say which tasks can start now (get_next_tasks).',
            ].join('\n'),
          },
        },
      ],
    }),
  );
}

/** The goal agent: what its bin runs and its tests build. */
export const server = defineServer({
  ...readPackageInfo(import.meta.url),
  configSchema: ConfigSchema,
  toolsets: TOOLSETS,
  // Loaded at the first call: the bundled bin lists the tools from the precomputed listing.
  loadTools: () => import('./tools/index.js'),
  createDeps,
  mapError: toToolError,
  instructions,
  extend: registerResources,
});
