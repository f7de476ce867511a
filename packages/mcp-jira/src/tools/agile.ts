import { ToolError, jsonish, z, type ToolContext } from '@org/mcp-core';
import { jiraCall, type Deps } from '../deps.js';
import { httpStatus } from '../jira/errors.js';
import { ISSUE_KEY, issueKeyField, numericId, projectKeyField } from '../jira/keys.js';
import { projectFor } from './issues.js';
import { tool } from './tool.js';

const Board = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.string(),
  project_key: z.string().optional(),
});
const Sprint = z.object({
  id: z.number().int(),
  name: z.string(),
  state: z.string(),
  goal: z.string().optional(),
  board_id: z.number().int().optional(),
});

const issueKeys = jsonish(
  z
    .array(z.string().trim().toUpperCase().regex(ISSUE_KEY, 'must be an issue key such as ENG-42'))
    .min(1)
    .max(50),
).describe('Issue keys (at most 50), an array or a JSON string');

type RawBoard = { id?: number; name?: string; type?: string; location?: { projectKey?: string } };
const toBoard = (b: RawBoard) => ({
  id: Number(b.id),
  name: String(b.name),
  type: String(b.type),
  ...(b.location?.projectKey ? { project_key: b.location.projectKey } : {}),
});

async function boardsOf(ctx: ToolContext<Deps>, project?: string) {
  const page = await jiraCall(ctx, (j) =>
    j.agile.board.getAllBoards({ maxResults: 50, ...(project ? { projectKeyOrId: project } : {}) }),
  );
  return ((page.values ?? []) as RawBoard[])
    .map(toBoard)
    .filter((b) => ctx.deps.filter.allows(b.project_key) || !ctx.deps.filter.active);
}

async function activeSprints(ctx: ToolContext<Deps>, boardId: number) {
  try {
    const page = await jiraCall(ctx, (j) =>
      j.agile.board.getAllSprints({ boardId, state: 'active', maxResults: 50 }),
    );
    return (page.values ?? [])
      .map((s) => ({
        id: Number(s.id),
        name: String(s.name),
        state: String(s.state),
        ...(s.goal ? { goal: s.goal } : {}),
        board_id: boardId,
      }))
      .sort((a, b) => a.id - b.id);
  } catch (error) {
    // A Kanban board has no sprints: Jira answers 400 "The board does not support sprints".
    if (httpStatus(error) === 400) return undefined;
    throw error;
  }
}

export const getBoards = tool({
  name: 'jira_get_boards',
  toolset: 'agile',
  title: 'List boards',
  description:
    'Scrum and Kanban boards, of one project when `project_key` is given (default JIRA_PROJECT_KEY, else all visible), up to 50.',
  input: z.object({ project_key: projectKeyField().optional() }),
  output: z.object({ boards: z.array(Board) }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ project_key }, ctx) {
    const project = project_key ?? ctx.deps.config.JIRA_PROJECT_KEY;
    if (project) ctx.deps.filter.assertProject(project);
    const boards = await boardsOf(ctx, project);
    return {
      boards: ctx.deps.filter.active ? boards.filter((b) => ctx.deps.filter.allows(b.project_key)) : boards,
    };
  },
});

export const getActiveSprints = tool({
  name: 'jira_get_active_sprints',
  toolset: 'agile',
  title: 'Active sprints of a board',
  description:
    'The active sprints of a board. A Kanban board has no sprints: the answer says so instead of failing.',
  input: z.object({ board_id: numericId('Board id (from jira_get_boards)') }),
  output: z.object({ sprints: z.array(Sprint), note: z.string().optional() }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ board_id }, ctx) {
    const sprints = await activeSprints(ctx, Number(board_id));
    return sprints
      ? { sprints }
      : { sprints: [], note: `Board ${board_id} does not support sprints (a Kanban board)` };
  },
});

export const addToSprint = tool({
  name: 'jira_add_to_sprint',
  toolset: 'agile',
  title: 'Add issues to a sprint',
  description: 'Moves up to 50 issues into an open or active sprint.',
  input: z.object({ sprint_id: numericId('Sprint id'), issue_keys: issueKeys }),
  output: z.object({
    success: z.literal(true),
    sprint_id: z.number().int(),
    issue_keys: z.array(z.string()),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ sprint_id, issue_keys }, ctx) {
    for (const k of issue_keys) ctx.deps.filter.assertIssue(k);
    await jiraCall(ctx, (j) =>
      j.agile.sprint.moveIssuesToSprintAndRank({ sprintId: Number(sprint_id), issues: issue_keys }),
    );
    return { success: true as const, sprint_id: Number(sprint_id), issue_keys };
  },
});

export const addIssueToActiveSprint = tool({
  name: 'jira_add_issue_to_active_sprint',
  toolset: 'agile',
  title: 'Add issue to the active sprint',
  description:
    "Adds an issue to its project's active sprint. The board is chosen deterministically: `board_id` when given, else the project's Scrum board with the lowest id that has an active sprint (its earliest active sprint). The answer names the choice and says when there were several boards or sprints to choose from; a project with only Kanban boards, or no active sprint, is a clear error.",
  input: z.object({
    issue_key: issueKeyField(),
    project_key: projectKeyField()
      .optional()
      .describe("Project key (default: the issue key's project, else JIRA_PROJECT_KEY)"),
    board_id: numericId('Use this board').optional(),
  }),
  output: z.object({
    success: z.literal(true),
    sprint_id: z.number().int(),
    sprint_name: z.string(),
    board_id: z.number().int(),
    board_name: z.string(),
    note: z.string().optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ issue_key, project_key, board_id }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    const project = projectFor(ctx, project_key ?? /^([A-Z][A-Z0-9_]*)-/.exec(issue_key)?.[1]);
    const boards = (await boardsOf(ctx, project)).sort((a, b) => a.id - b.id);
    const candidates = board_id ? boards.filter((b) => b.id === Number(board_id)) : boards;
    if (board_id && candidates.length === 0)
      throw ToolError.notFound(
        `Board ${board_id} is not a board of ${project}`,
        `Boards: ${boards.map((b) => `${b.id} ${b.name}`).join(', ') || 'none'}`,
      );
    if (candidates.length === 0) throw ToolError.notFound(`No board found for project ${project}`);
    const kanban: string[] = [];
    for (const board of candidates) {
      const sprints = await activeSprints(ctx, board.id);
      if (!sprints) {
        kanban.push(`${board.id} ${board.name}`);
        continue;
      }
      if (sprints.length === 0) continue;
      const sprint = sprints[0]!;
      await jiraCall(ctx, (j) =>
        j.agile.sprint.moveIssuesToSprintAndRank({ sprintId: sprint.id, issues: [issue_key] }),
      );
      const notes = [];
      if (boards.length > 1)
        notes.push(
          `${project} has ${boards.length} boards (${boards.map((b) => `${b.id} ${b.name}`).join(', ')}); used board ${board.id}, pass board_id to choose another`,
        );
      if (sprints.length > 1)
        notes.push(`board ${board.id} has ${sprints.length} active sprints; used the earliest, ${sprint.id}`);
      return {
        success: true as const,
        sprint_id: sprint.id,
        sprint_name: sprint.name,
        board_id: board.id,
        board_name: board.name,
        ...(notes.length ? { note: notes.join('; ') } : {}),
      };
    }
    if (kanban.length === candidates.length) {
      throw ToolError.validation(
        `Project ${project} has only Kanban boards (${kanban.join(', ')}), which have no sprints`,
      );
    }
    throw ToolError.notFound(
      `No active sprint found for project ${project}`,
      `Boards checked: ${candidates.map((b) => `${b.id} ${b.name}`).join(', ')}`,
    );
  },
});

export const moveToBacklog = tool({
  name: 'jira_move_to_backlog',
  toolset: 'agile',
  title: 'Move issues to backlog',
  description: 'Takes up to 50 issues out of their sprints, back to the backlog.',
  input: z.object({ issue_keys: issueKeys }),
  output: z.object({ success: z.literal(true), issue_keys: z.array(z.string()) }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ issue_keys }, ctx) {
    for (const k of issue_keys) ctx.deps.filter.assertIssue(k);
    await jiraCall(ctx, (j) => j.agile.backlog.moveIssuesToBacklog({ issues: issue_keys }));
    return { success: true as const, issue_keys };
  },
});
