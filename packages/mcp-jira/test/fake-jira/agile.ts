// The Agile REST API (1.0) routes of the fake Jira: boards, sprints, backlog.
import { sendJson } from '@org/mcp-core/testing';
import { jiraError, type RouteContext } from './index.js';
import type { Board, Sprint } from './state.js';

function boardJson(b: Board, base: string) {
  return {
    id: b.id,
    self: `${base}/rest/agile/1.0/board/${b.id}`,
    name: b.name,
    type: b.type,
    location: { projectKey: b.projectKey, displayName: b.projectKey, projectTypeKey: 'software' },
  };
}
function sprintJson(s: Sprint, base: string) {
  return {
    id: s.id,
    self: `${base}/rest/agile/1.0/sprint/${s.id}`,
    state: s.state,
    name: s.name,
    originBoardId: s.boardId,
    ...(s.goal ? { goal: s.goal } : {}),
  };
}

/** Handles one Agile route; false when the fake does not implement it. */
export async function handleAgile(route: string, ctx: RouteContext): Promise<boolean> {
  const { state, req, res, base } = ctx;
  const q = req.url.searchParams;
  const body = ctx.body as Record<string, unknown> | undefined;
  const issuesIn = (keys: unknown): string | undefined => {
    if (!Array.isArray(keys) || keys.length === 0) return 'At least one issue must be given.';
    if (keys.length > 50) return 'Cannot move more than 50 issues at once.';
    for (const k of keys)
      if (!state.issues.has(String(k)))
        return `Issue with key ${String(k)} does not exist or you do not have permission to see it.`;
    return undefined;
  };
  switch (route) {
    case 'GET /rest/agile/1.0/board': {
      const project = q.get('projectKeyOrId');
      if (project && !state.projects.some((p) => p.key === project || p.id === project)) {
        jiraError(res, 400, [`No project could be found with key '${project}'.`]);
        return true;
      }
      const type = q.get('type');
      const boards = state.boards.filter(
        (b) =>
          (!project ||
            b.projectKey === project ||
            state.projects.find((p) => p.id === project)?.key === b.projectKey) &&
          (!type || type.split(',').includes(b.type)),
      );
      const startAt = Number(q.get('startAt') ?? 0);
      const maxResults = Number(q.get('maxResults') ?? 50);
      const values = boards.slice(startAt, startAt + maxResults);
      sendJson(res, 200, {
        maxResults,
        startAt,
        total: boards.length,
        isLast: startAt + values.length >= boards.length,
        values: values.map((b) => boardJson(b, base)),
      });
      return true;
    }
    case 'GET /rest/agile/1.0/board/{boardId}': {
      const b = state.boards.find((x) => x.id === Number(ctx.params['boardId']));
      if (!b) jiraError(res, 404, [`Board does not exist or you do not have permission to see it.`]);
      else sendJson(res, 200, boardJson(b, base));
      return true;
    }
    case 'GET /rest/agile/1.0/board/{boardId}/sprint': {
      const b = state.boards.find((x) => x.id === Number(ctx.params['boardId']));
      if (!b) {
        jiraError(res, 404, ['Board does not exist or you do not have permission to see it.']);
        return true;
      }
      if (b.type !== 'scrum') {
        jiraError(res, 400, ['The board does not support sprints']);
        return true;
      }
      const states = (q.get('state') ?? 'active,future,closed').split(',');
      const sprints = state.sprints.filter((s) => s.boardId === b.id && states.includes(s.state));
      const startAt = Number(q.get('startAt') ?? 0);
      const maxResults = Number(q.get('maxResults') ?? 50);
      const values = sprints.slice(startAt, startAt + maxResults);
      sendJson(res, 200, {
        maxResults,
        startAt,
        isLast: startAt + values.length >= sprints.length,
        values: values.map((s) => sprintJson(s, base)),
      });
      return true;
    }
    case 'GET /rest/agile/1.0/sprint/{sprintId}': {
      const s = state.sprints.find((x) => x.id === Number(ctx.params['sprintId']));
      if (!s) jiraError(res, 404, ['Sprint does not exist or you do not have permission to see it.']);
      else sendJson(res, 200, sprintJson(s, base));
      return true;
    }
    case 'POST /rest/agile/1.0/sprint/{sprintId}/issue': {
      const s = state.sprints.find((x) => x.id === Number(ctx.params['sprintId']));
      if (!s) {
        jiraError(res, 404, ['Sprint does not exist or you do not have permission to see it.']);
        return true;
      }
      if (s.state === 'closed') {
        jiraError(res, 400, ['Issues can only be moved to open or active sprints.']);
        return true;
      }
      const problem = issuesIn(body?.['issues']);
      if (problem) {
        jiraError(res, 400, [problem]);
        return true;
      }
      for (const k of body!['issues'] as string[])
        state.issues.get(k)!.fields['customfield_10020'] = [{ id: s.id }];
      res.writeHead(204).end();
      return true;
    }
    case 'POST /rest/agile/1.0/backlog/issue': {
      const problem = issuesIn(body?.['issues']);
      if (problem) {
        jiraError(res, 400, [problem]);
        return true;
      }
      for (const k of body!['issues'] as string[]) state.issues.get(k)!.fields['customfield_10020'] = null;
      res.writeHead(204).end();
      return true;
    }
    default:
      return false;
  }
}
