import { jsonish, z } from '@org/mcp-core';
import { tool } from './tool.js';

export const saveStateToCache = tool({
  name: 'save_state_to_cache',
  toolset: 'state',
  title: 'Export state',
  description:
    'Exports every goal and task as one JSON document (state_json) for a backup or a move. The server already saves every change as it happens; this is only for copies. Pass state_json to restore_state_from_cache to import it elsewhere.',
  input: z.object({}),
  output: z.object({
    success: z.literal(true),
    state_json: z.string().describe('The export (format goal-engine/v1)'),
    state_snapshot: z.object({ goals_count: z.number(), tasks_count: z.number(), timestamp: z.string() }),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler(_input, { deps }) {
    const snapshot = await deps.engine.exportState();
    return {
      success: true as const,
      state_json: JSON.stringify(snapshot),
      state_snapshot: {
        goals_count: snapshot.goals.length,
        tasks_count: snapshot.tasks.length,
        timestamp: snapshot.exported_at,
      },
    };
  },
  render(output) {
    return `Exported ${output.state_snapshot.goals_count} goals and ${output.state_snapshot.tasks_count} tasks at ${output.state_snapshot.timestamp}.\n${output.state_json}`;
  },
});

export const restoreStateFromCache = tool({
  name: 'restore_state_from_cache',
  toolset: 'state',
  title: 'Import state',
  description:
    "Imports an export of save_state_to_cache (or the original Python server's state) all or nothing: everything is validated first (fields, dependencies within each goal, no cycles, no id already in use), the id counters move past every imported id, and on any problem nothing is imported.",
  input: z.object({
    state_json: jsonish(z.record(z.string(), z.unknown())).describe(
      'The export, as a JSON string or an object',
    ),
  }),
  output: z.object({
    success: z.literal(true),
    restored: z.object({ goals: z.number(), tasks: z.number() }),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler({ state_json }, { deps }) {
    return { success: true as const, restored: await deps.engine.importState(state_json) };
  },
});

export const getCacheStatus = tool({
  name: 'get_cache_status',
  toolset: 'state',
  title: 'Store status',
  description:
    'Which store holds the goals (redis or file, and where), whether it answers, and how many goals and tasks it holds.',
  input: z.object({}),
  output: z.object({
    store: z.object({
      kind: z.enum(['redis', 'file']),
      location: z.string(),
      healthy: z.boolean(),
      detail: z.string(),
      key_prefix: z.string().optional(),
    }),
    current_state: z.object({ goals: z.number(), tasks: z.number() }).nullable(),
    persistence: z.string(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler(_input, { deps }) {
    const h = await deps.health();
    let current: { goals: number; tasks: number } | null = null;
    if (h.ok) {
      const goals = await deps.engine.listGoals();
      current = {
        goals: goals.length,
        tasks: goals.reduce((n, g) => n + Object.values(g.task_counts).reduce((a, b) => a + b, 0), 0),
      };
    }
    return {
      store: {
        kind: deps.storeInfo.kind,
        location: deps.storeInfo.location,
        healthy: h.ok,
        detail: h.detail,
        ...(deps.storeInfo.kind === 'redis' ? { key_prefix: deps.config.GOAL_AGENT_KEY_PREFIX } : {}),
      },
      current_state: current,
      persistence: 'Every change is written to the store as it happens; nothing expires.',
    };
  },
});

export const stateTools = [saveStateToCache, restoreStateFromCache, getCacheStatus];
