// The platform REST API v3 routes of the fake Jira.
import { sendJson } from '@org/mcp-core/testing';
import { compileJql, JqlError, type JqlIssue } from './jql.js';
import { createIssueInState, jiraError, type RouteContext } from './index.js';
import { FIELDS, PRIORITIES, STATUSES, TRANSITIONS, type Issue, type State, type User } from './state.js';

const NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';

export function userJson(u: User, base: string) {
  return {
    self: `${base}/rest/api/3/user?accountId=${u.accountId}`,
    accountId: u.accountId,
    accountType: 'atlassian',
    emailAddress: u.emailAddress,
    displayName: u.displayName,
    active: u.active,
    timeZone: 'Europe/Berlin',
  };
}

/** Plain text of an ADF document, for `text ~` searches. */
function adfText(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const n = node as { text?: string; content?: unknown[] };
  return (n.text ?? '') + (n.content ?? []).map(adfText).join(' ');
}

function sprintsOf(state: State, issue: Issue) {
  const ids = (issue.fields['customfield_10020'] as { id: number }[] | null) ?? [];
  return ids.map((s) => state.sprints.find((x) => x.id === s.id)!).filter(Boolean);
}

function issueLinksOf(state: State, issue: Issue, base: string) {
  return state.links
    .filter((l) => l.inward === issue.key || l.outward === issue.key)
    .map((l) => {
      const other = state.issues.get(l.inward === issue.key ? l.outward : l.inward)!;
      const ref = {
        id: other.id,
        key: other.key,
        self: `${base}/rest/api/3/issue/${other.id}`,
        fields: { summary: other.fields['summary'], status: other.fields['status'] },
      };
      // Seen from the inward issue, the other one is the outward issue, and the reverse.
      return l.inward === issue.key
        ? { id: l.id, type: l.type, outwardIssue: ref }
        : { id: l.id, type: l.type, inwardIssue: ref };
    });
}

/** The issue as Jira returns it, limited to `fields` (comma list; `*all` by default). */
export function issueJson(
  state: State,
  issue: Issue,
  base: string,
  fieldsParam: string[] | undefined,
  expand: string[] = [],
) {
  const all: Record<string, unknown> = {
    ...issue.fields,
    customfield_10020: sprintsOf(state, issue).length
      ? sprintsOf(state, issue).map((s) => ({ id: s.id, name: s.name, state: s.state, boardId: s.boardId }))
      : null,
    issuelinks: issueLinksOf(state, issue, base),
    comment: {
      comments: issue.comments.map((c) => commentJson(c, base)),
      maxResults: issue.comments.length,
      total: issue.comments.length,
      startAt: 0,
    },
    attachment: issue.attachments.map((a) => attachmentJson(a, base)),
    subtasks: [...state.issues.values()]
      .filter(
        (i) =>
          (i.fields['parent'] as { key?: string } | undefined)?.key === issue.key &&
          (i.fields['issuetype'] as { subtask: boolean }).subtask,
      )
      .map((i) => ({ id: i.id, key: i.key })),
  };
  const wanted = fieldsParam ?? ['*all'];
  const fields: Record<string, unknown> = {};
  const includeAll = wanted.includes('*all') || wanted.includes('*navigable');
  for (const [k, v] of Object.entries(all)) {
    if ((includeAll || wanted.includes(k)) && !wanted.includes(`-${k}`)) fields[k] = v;
  }
  const out: Record<string, unknown> = {
    id: issue.id,
    key: issue.key,
    self: `${base}/rest/api/3/issue/${issue.id}`,
  };
  if (!(wanted.length === 1 && wanted[0] === 'id')) out['fields'] = fields;
  if (expand.includes('changelog')) {
    out['changelog'] = {
      startAt: 0,
      maxResults: issue.changelog.length,
      total: issue.changelog.length,
      histories: issue.changelog.map((h) => ({ ...h, author: userJson(h.author, base) })),
    };
  }
  if (expand.includes('names')) out['names'] = Object.fromEntries(FIELDS.map((f) => [f.id, f.name]));
  if (expand.includes('renderedFields'))
    out['renderedFields'] = { description: `<p>${adfText(issue.fields['description'])}</p>` };
  return out;
}

function commentJson(c: Issue['comments'][number], base: string) {
  return {
    id: c.id,
    self: `${base}/rest/api/3/comment/${c.id}`,
    author: userJson(c.author, base),
    updateAuthor: userJson(c.author, base),
    body: c.body,
    created: c.created,
    updated: c.updated,
    jsdPublic: true,
  };
}
function attachmentJson(a: Issue['attachments'][number], base: string) {
  return {
    id: a.id,
    self: `${base}/rest/api/3/attachment/${a.id}`,
    filename: a.filename,
    author: userJson(a.author, base),
    created: a.created,
    size: a.size,
    mimeType: a.mimeType,
    content: `${base}/rest/api/3/attachment/content/${a.id}`,
  };
}

const list = (v: string | null) =>
  v === null
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
const now = () => new Date().toISOString().replace('Z', '+0000');

function findIssue(ctx: RouteContext): Issue | undefined {
  const idOrKey = ctx.params['issueIdOrKey']!;
  const issue =
    ctx.state.issues.get(idOrKey.toUpperCase()) ??
    [...ctx.state.issues.values()].find((i) => i.id === idOrKey);
  if (!issue) {
    jiraError(ctx.res, 404, [NOT_FOUND]);
    return undefined;
  }
  const project = ctx.state.projects.find((p) => p.key === (issue.fields['project'] as { key: string }).key);
  if (project?.forbidden) {
    jiraError(ctx.res, 404, [NOT_FOUND]);
    return undefined;
  }
  return issue;
}

function findProject(ctx: RouteContext, idOrKey: string) {
  const p = ctx.state.projects.find((x) => x.key === idOrKey.toUpperCase() || x.id === idOrKey);
  if (!p) {
    jiraError(ctx.res, 404, [`No project could be found with key '${idOrKey}'.`]);
    return undefined;
  }
  if (p.forbidden) {
    jiraError(ctx.res, 403, ['You do not have permission to view this project.']);
    return undefined;
  }
  return p;
}

function page<T>(items: T[], q: URLSearchParams, def = 50) {
  const startAt = Number(q.get('startAt') ?? 0);
  const maxResults = Number(q.get('maxResults') ?? def);
  const values = items.slice(startAt, startAt + maxResults);
  return {
    startAt,
    maxResults,
    total: items.length,
    isLast: startAt + values.length >= items.length,
    values,
  };
}

function toJqlIssue(state: State, issue: Issue): JqlIssue {
  const f = issue.fields as Record<
    string,
    { name?: string; key?: string; accountId?: string } | string | string[] | null
  >;
  return {
    key: issue.key,
    project: (f['project'] as { key: string }).key,
    summary: String(f['summary'] ?? ''),
    description: adfText(f['description']),
    status: (f['status'] as { name: string }).name,
    issuetype: (f['issuetype'] as { name: string }).name,
    assignee: (f['assignee'] as { accountId?: string } | null)?.accountId,
    priority: (f['priority'] as { name?: string } | null)?.name,
    labels: (f['labels'] as string[]) ?? [],
    parent: (f['parent'] as { key?: string } | null)?.key,
    sprints: sprintsOf(state, issue).map((s) => s.id),
    created: String(f['created']),
  };
}

interface CreateResult {
  ok: boolean;
  key?: string;
  id?: string;
  errors?: Record<string, string>;
  messages?: string[];
}

/** Validates and stores one create, as POST /issue and each element of POST /issue/bulk do. */
function createOne(
  ctx: RouteContext,
  input: { fields?: Record<string, unknown> },
  where: string,
): CreateResult {
  const fields = { ...(input.fields ?? {}) };
  const projectRef = fields['project'] as { key?: string; id?: string } | undefined;
  const project = ctx.state.projects.find((p) => p.key === projectRef?.key || p.id === projectRef?.id);
  if (!project) return { ok: false, errors: { project: 'Specify a valid project ID or key' } };
  if (project.forbidden)
    return { ok: false, messages: ['You do not have permission to create issues in this project.'] };
  const typeRef = fields['issuetype'] as { name?: string; id?: string } | undefined;
  const type = project.issueTypes.find((t) => t.name === typeRef?.name || t.id === typeRef?.id);
  if (!type) return { ok: false, errors: { issuetype: 'Specify an issue type' } };
  const errors: Record<string, string> = {};
  for (const meta of type.fields) {
    if (
      meta.required &&
      (fields[meta.fieldId] === undefined || fields[meta.fieldId] === null || fields[meta.fieldId] === '')
    ) {
      errors[meta.fieldId] =
        meta.fieldId === 'summary' ? 'You must specify a summary of the issue.' : `${meta.name} is required.`;
    }
  }
  const known = new Set(type.fields.map((f) => f.fieldId));
  for (const k of Object.keys(fields)) {
    if (!known.has(k))
      errors[k] = `Field '${k}' cannot be set. It is not on the appropriate screen, or unknown.`;
  }
  if (fields['description'] !== undefined && fields['description'] !== null) {
    if (typeof fields['description'] !== 'object')
      errors['description'] =
        'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
    else ctx.checkAdf(fields['description'], `${where}.fields.description`);
  }
  if (typeof fields['summary'] === 'string' && fields['summary'].length > 255)
    errors['summary'] = 'Summary must be less than 255 characters.';
  const priority = fields['priority'] as { name?: string; id?: string } | undefined;
  if (priority && !PRIORITIES.some((p) => p.name === priority.name || p.id === priority.id))
    errors['priority'] = 'Specify a valid priority';
  const assignee = fields['assignee'] as { accountId?: string } | undefined;
  if (assignee && !ctx.state.users.some((u) => u.accountId === assignee.accountId))
    errors['assignee'] = `User '${assignee.accountId}' does not exist.`;
  const parent = fields['parent'] as { key?: string } | undefined;
  if (parent && !ctx.state.issues.has(parent.key ?? ''))
    errors['parent'] = 'Could not find issue by id or key.';
  const severity = fields['customfield_10030'] as { value?: string } | undefined;
  const sevMeta = type.fields.find((f) => f.fieldId === 'customfield_10030');
  if (severity && sevMeta && !sevMeta.allowedValues!.some((v) => v.value === severity.value)) {
    errors['customfield_10030'] = `Option value '${severity.value}' is not valid`;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const stored: Record<string, unknown> = { ...fields };
  if (priority) stored['priority'] = PRIORITIES.find((p) => p.name === priority.name || p.id === priority.id);
  if (assignee)
    stored['assignee'] = userJson(ctx.state.users.find((u) => u.accountId === assignee.accountId)!, ctx.base);
  if (parent) {
    const p = ctx.state.issues.get(parent.key!)!;
    stored['parent'] = {
      id: p.id,
      key: p.key,
      fields: { summary: p.fields['summary'], issuetype: p.fields['issuetype'] },
    };
  }
  const key = createIssueInState(ctx.state, project.key, stored);
  return { ok: true, key, id: ctx.state.issues.get(key)!.id };
}

function userQuery(state: State, query: string | null) {
  const q = (query ?? '').toLowerCase();
  return state.users.filter(
    (u) =>
      u.active &&
      (!q || u.displayName.toLowerCase().includes(q) || u.emailAddress.toLowerCase().startsWith(q)),
  );
}

/** Handles one platform route; false when the fake does not implement it. */
export async function handlePlatform(route: string, ctx: RouteContext): Promise<boolean> {
  const { state, req, res, base } = ctx;
  const q = req.url.searchParams;
  const body = ctx.body as Record<string, unknown> | undefined;
  switch (route) {
    case 'GET /rest/api/3/myself':
      sendJson(res, 200, userJson(state.me, base));
      return true;
    case 'GET /rest/api/3/serverInfo':
      sendJson(res, 200, {
        baseUrl: base,
        version: '1001.0.0-SNAPSHOT',
        deploymentType: 'Cloud',
        serverTitle: 'Jira',
      });
      return true;
    case 'GET /rest/api/3/project/search': {
      const keys = list(q.get('keys'));
      const visible = state.projects.filter((p) => !p.forbidden && (!keys || keys.includes(p.key)));
      const pg = page(
        visible.map((p) => ({
          id: p.id,
          key: p.key,
          name: p.name,
          self: `${base}/rest/api/3/project/${p.id}`,
          projectTypeKey: 'software',
          style: 'classic',
        })),
        q,
      );
      sendJson(res, 200, { self: `${base}${req.path}`, ...pg });
      return true;
    }
    case 'GET /rest/api/3/project/{projectIdOrKey}': {
      const p = findProject(ctx, ctx.params['projectIdOrKey']!);
      if (p)
        sendJson(res, 200, {
          id: p.id,
          key: p.key,
          name: p.name,
          issueTypes: p.issueTypes.map((t) => ({ id: t.id, name: t.name, subtask: t.subtask })),
        });
      return true;
    }
    case 'GET /rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes': {
      const p = findProject(ctx, ctx.params['projectIdOrKey']!);
      if (p) {
        const pg = page(
          p.issueTypes.map((t) => ({
            id: t.id,
            name: t.name,
            description: `A ${t.name.toLowerCase()}`,
            subtask: t.subtask,
            hierarchyLevel: t.hierarchyLevel,
            self: `${base}/rest/api/3/issuetype/${t.id}`,
          })),
          q,
        );
        sendJson(res, 200, {
          issueTypes: pg.values,
          maxResults: pg.maxResults,
          startAt: pg.startAt,
          total: pg.total,
        });
      }
      return true;
    }
    case 'GET /rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}': {
      const p = findProject(ctx, ctx.params['projectIdOrKey']!);
      if (!p) return true;
      const t = p.issueTypes.find((x) => x.id === ctx.params['issueTypeId']);
      if (!t) {
        jiraError(res, 404, ['The issue type could not be found.']);
        return true;
      }
      const pg = page(
        t.fields.map((f) => ({ ...f, key: f.fieldId, hasDefaultValue: false, operations: ['set'] })),
        q,
      );
      sendJson(res, 200, {
        fields: pg.values,
        results: pg.values,
        maxResults: pg.maxResults,
        startAt: pg.startAt,
        total: pg.total,
      });
      return true;
    }
    case 'GET /rest/api/3/field':
      sendJson(
        res,
        200,
        FIELDS.map((f) => ({
          ...f,
          navigable: true,
          searchable: true,
          orderable: true,
          clauseNames: [f.custom ? `cf[${f.id.split('_')[1]}]` : f.id, f.name],
        })),
      );
      return true;
    case 'GET /rest/api/3/issueLinkType':
      sendJson(res, 200, {
        issueLinkTypes: state.linkTypes.map((t) => ({
          ...t,
          self: `${base}/rest/api/3/issueLinkType/${t.id}`,
        })),
      });
      return true;
    case 'GET /rest/api/3/user/search':
      sendJson(
        res,
        200,
        userQuery(state, q.get('query'))
          .slice(0, Number(q.get('maxResults') ?? 50))
          .map((u) => userJson(u, base)),
      );
      return true;
    case 'GET /rest/api/3/user/assignable/search': {
      const project = q.get('project');
      const issueKey = q.get('issueKey');
      if (!project && !issueKey) {
        jiraError(res, 400, ['The project, issue key or issue ID is required.']);
        return true;
      }
      if (project && !findProject(ctx, project)) return true;
      sendJson(
        res,
        200,
        userQuery(state, q.get('query'))
          .slice(0, Number(q.get('maxResults') ?? 50))
          .map((u) => userJson(u, base)),
      );
      return true;
    }
    case 'GET /rest/api/3/project/{projectIdOrKey}/version': {
      const p = findProject(ctx, ctx.params['projectIdOrKey']!);
      if (p)
        sendJson(res, 200, {
          self: `${base}${req.path}`,
          ...page(
            p.versions.map((v) => ({
              ...v,
              projectId: Number(p.id),
              self: `${base}/rest/api/3/version/${v.id}`,
            })),
            q,
          ),
        });
      return true;
    }
    case 'GET /rest/api/3/project/{projectIdOrKey}/component': {
      const p = findProject(ctx, ctx.params['projectIdOrKey']!);
      if (p)
        sendJson(res, 200, {
          self: `${base}${req.path}`,
          ...page(
            p.components.map((c) => ({ ...c, project: p.key, self: `${base}/rest/api/3/component/${c.id}` })),
            q,
          ),
        });
      return true;
    }
    case 'POST /rest/api/3/search/jql': {
      const jql = String(body?.['jql'] ?? '');
      let compiled;
      try {
        compiled = compileJql(jql);
      } catch (error) {
        if (error instanceof JqlError) {
          jiraError(res, 400, [error.message]);
          return true;
        }
        throw error;
      }
      if (!/\S/.test(jql.replace(/order\s+by.*$/is, ''))) {
        jiraError(res, 400, [
          'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
        ]);
        return true;
      }
      const ctxJ = {
        currentAccountId: state.me.accountId,
        openSprintIds: state.sprints.filter((s) => s.state !== 'closed').map((s) => s.id),
      };
      const visible = [...state.issues.values()].filter(
        (i) => !state.projects.find((p) => p.key === (i.fields['project'] as { key: string }).key)?.forbidden,
      );
      let hits = visible.filter((i) => compiled.where(toJqlIssue(state, i), ctxJ));
      const order = compiled.orderBy[0] ?? { field: 'created', desc: true };
      hits = hits.sort((a, b) => {
        const av = order.field === 'key' ? Number(a.id) : String(a.fields[order.field] ?? a.id);
        const bv = order.field === 'key' ? Number(b.id) : String(b.fields[order.field] ?? b.id);
        const c = av < bv ? -1 : av > bv ? 1 : Number(a.id) - Number(b.id);
        return order.desc ? -c : c;
      });
      const token = body?.['nextPageToken'];
      let start = 0;
      if (typeof token === 'string') {
        const m = /^tok-(\d+)$/.exec(token);
        if (!m) {
          jiraError(res, 400, ['The provided next page token is invalid or expired.']);
          return true;
        }
        start = Number(m[1]);
      }
      const max = Math.min(Number(body?.['maxResults'] ?? 50), 5000);
      const slice = hits.slice(start, start + max);
      const fields = body?.['fields'] as string[] | undefined;
      const expand = list((body?.['expand'] as string | undefined) ?? null) ?? [];
      const out: Record<string, unknown> = {
        issues: slice.map((i) => issueJson(state, i, base, fields ?? ['id'], expand)),
        isLast: start + max >= hits.length,
      };
      if (start + max < hits.length) out['nextPageToken'] = `tok-${start + max}`;
      sendJson(res, 200, out);
      return true;
    }
    case 'POST /rest/api/3/search/approximate-count': {
      try {
        const compiled = compileJql(String(body?.['jql'] ?? ''));
        const ctxJ = { currentAccountId: state.me.accountId, openSprintIds: [] };
        sendJson(res, 200, {
          count: [...state.issues.values()].filter((i) => compiled.where(toJqlIssue(state, i), ctxJ)).length,
        });
      } catch (error) {
        if (!(error instanceof JqlError)) throw error;
        jiraError(res, 400, [error.message]);
      }
      return true;
    }
    case 'GET /rest/api/3/issue/{issueIdOrKey}': {
      const issue = findIssue(ctx);
      if (issue)
        sendJson(res, 200, issueJson(state, issue, base, list(q.get('fields')), list(q.get('expand'))));
      return true;
    }
    case 'POST /rest/api/3/issue': {
      const r = createOne(ctx, (body ?? {}) as { fields?: Record<string, unknown> }, 'body');
      if (r.ok) sendJson(res, 201, { id: r.id, key: r.key, self: `${base}/rest/api/3/issue/${r.id}` });
      else jiraError(res, r.messages ? 403 : 400, r.messages ?? [], r.errors ?? {});
      return true;
    }
    case 'POST /rest/api/3/issue/bulk': {
      const updates = (body?.['issueUpdates'] as { fields?: Record<string, unknown> }[]) ?? [];
      if (updates.length > 50) {
        jiraError(res, 400, ['The number of issues to be created cannot exceed 50.']);
        return true;
      }
      const issues: unknown[] = [];
      const errors: unknown[] = [];
      updates.forEach((u, i) => {
        const r = createOne(ctx, u, `body.issueUpdates[${i}]`);
        if (r.ok) issues.push({ id: r.id, key: r.key, self: `${base}/rest/api/3/issue/${r.id}` });
        else
          errors.push({
            status: 400,
            elementErrors: { errorMessages: r.messages ?? [], errors: r.errors ?? {} },
            failedElementNumber: i,
          });
      });
      sendJson(res, 201, { issues, errors });
      return true;
    }
    case 'PUT /rest/api/3/issue/{issueIdOrKey}': {
      const issue = findIssue(ctx);
      if (!issue) return true;
      const fields = (body?.['fields'] ?? {}) as Record<string, unknown>;
      const errors: Record<string, string> = {};
      const editable = new Set([
        'summary',
        'description',
        'priority',
        'labels',
        'assignee',
        'parent',
        'customfield_10016',
        'customfield_10030',
        'components',
      ]);
      for (const [k, v] of Object.entries(fields)) {
        if (!editable.has(k))
          errors[k] = `Field '${k}' cannot be set. It is not on the appropriate screen, or unknown.`;
        if (k === 'description' && v !== null && typeof v !== 'object')
          errors[k] = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
        if (k === 'description' && v && typeof v === 'object') ctx.checkAdf(v, 'body.fields.description');
        if (k === 'parent' && !state.issues.has(String((v as { key?: string }).key ?? '')))
          errors[k] = 'Could not find issue by id or key.';
      }
      if (Object.keys(errors).length) {
        jiraError(res, 400, [], errors);
        return true;
      }
      const items: { field: string; fromString: string | null; toString: string | null }[] = [];
      for (const [k, v] of Object.entries(fields)) {
        let value = v;
        if (k === 'priority') value = PRIORITIES.find((p) => p.name === (v as { name: string }).name);
        if (k === 'parent') {
          const p = state.issues.get((v as { key: string }).key)!;
          value = { id: p.id, key: p.key, fields: { summary: p.fields['summary'] } };
        }
        items.push({
          field: k,
          fromString: typeof issue.fields[k] === 'string' ? (issue.fields[k] as string) : null,
          toString: typeof v === 'string' ? v : null,
        });
        issue.fields[k] = value;
      }
      issue.fields['updated'] = now();
      issue.changelog.push({ id: String(state.nextId++), author: state.me, created: now(), items });
      res.writeHead(204).end();
      return true;
    }
    case 'DELETE /rest/api/3/issue/{issueIdOrKey}': {
      const issue = findIssue(ctx);
      if (!issue) return true;
      const subtasks = [...state.issues.values()].filter(
        (i) =>
          (i.fields['parent'] as { key?: string } | undefined)?.key === issue.key &&
          (i.fields['issuetype'] as { subtask: boolean }).subtask,
      );
      if (subtasks.length && q.get('deleteSubtasks') !== 'true') {
        jiraError(res, 400, ['The issue has subtasks. To delete, you must specify deleteSubtasks=true.']);
        return true;
      }
      for (const s of subtasks) state.issues.delete(s.key);
      state.issues.delete(issue.key);
      res.writeHead(204).end();
      return true;
    }
    case 'GET /rest/api/3/issue/{issueIdOrKey}/transitions': {
      const issue = findIssue(ctx);
      if (issue)
        sendJson(res, 200, {
          expand: 'transitions',
          transitions: TRANSITIONS.map((t) => ({
            ...t,
            hasScreen: false,
            isGlobal: true,
            isInitial: false,
            isConditional: false,
          })),
        });
      return true;
    }
    case 'POST /rest/api/3/issue/{issueIdOrKey}/transitions': {
      const issue = findIssue(ctx);
      if (!issue) return true;
      const t = TRANSITIONS.find((x) => x.id === (body?.['transition'] as { id?: string } | undefined)?.id);
      if (!t) {
        jiraError(res, 400, [
          "Transition id '" +
            String((body?.['transition'] as { id?: string })?.id) +
            "' is not valid for this issue.",
        ]);
        return true;
      }
      const comment = (body?.['update'] as { comment?: { add?: { body?: unknown } }[] } | undefined)
        ?.comment?.[0]?.add?.body;
      if (comment !== undefined) {
        ctx.checkAdf(comment, 'body.update.comment[0].add.body');
        issue.comments.push({
          id: String(state.nextId++),
          author: state.me,
          body: comment,
          created: now(),
          updated: now(),
        });
      }
      const from = (issue.fields['status'] as { name: string }).name;
      issue.fields['status'] = t.to;
      issue.changelog.push({
        id: String(state.nextId++),
        author: state.me,
        created: now(),
        items: [{ field: 'status', fromString: from, toString: t.to.name }],
      });
      res.writeHead(204).end();
      return true;
    }
    case 'GET /rest/api/3/issue/{issueIdOrKey}/comment': {
      const issue = findIssue(ctx);
      if (!issue) return true;
      const all = issue.comments.map((c) => commentJson(c, base));
      if (q.get('orderBy') === '-created') all.reverse();
      const pg = page(all, q, 5000);
      sendJson(res, 200, {
        comments: pg.values,
        startAt: pg.startAt,
        maxResults: pg.maxResults,
        total: pg.total,
      });
      return true;
    }
    case 'POST /rest/api/3/issue/{issueIdOrKey}/comment': {
      const issue = findIssue(ctx);
      if (!issue) return true;
      if (!body?.['body'] || typeof body['body'] !== 'object') {
        jiraError(res, 400, [], { comment: 'Comment body can not be empty!' });
        return true;
      }
      ctx.checkAdf(body['body'], 'body.body');
      const c = {
        id: String(state.nextId++),
        author: state.me,
        body: body['body'],
        created: now(),
        updated: now(),
      };
      issue.comments.push(c);
      sendJson(res, 201, commentJson(c, base));
      return true;
    }
    case 'PUT /rest/api/3/issue/{issueIdOrKey}/comment/{id}':
    case 'DELETE /rest/api/3/issue/{issueIdOrKey}/comment/{id}':
    case 'GET /rest/api/3/issue/{issueIdOrKey}/comment/{id}': {
      const issue = findIssue(ctx);
      if (!issue) return true;
      const c = issue.comments.find((x) => x.id === ctx.params['id']);
      if (!c) {
        jiraError(res, 404, ['Can not find a comment for the id: ' + ctx.params['id'] + '.']);
        return true;
      }
      if (req.method === 'DELETE') {
        issue.comments.splice(issue.comments.indexOf(c), 1);
        res.writeHead(204).end();
      } else if (req.method === 'PUT') {
        ctx.checkAdf(body?.['body'], 'body.body');
        c.body = body?.['body'];
        c.updated = now();
        sendJson(res, 200, commentJson(c, base));
      } else sendJson(res, 200, commentJson(c, base));
      return true;
    }
    case 'POST /rest/api/3/issueLink': {
      const type = state.linkTypes.find(
        (t) =>
          t.name === (body?.['type'] as { name?: string })?.name ||
          t.id === (body?.['type'] as { id?: string })?.id,
      );
      if (!type) {
        jiraError(res, 404, [
          `No issue link type with name '${String((body?.['type'] as { name?: string })?.name)}' found.`,
        ]);
        return true;
      }
      const inward = (body?.['inwardIssue'] as { key?: string })?.key ?? '';
      const outward = (body?.['outwardIssue'] as { key?: string })?.key ?? '';
      for (const k of [inward, outward]) {
        if (!state.issues.has(k)) {
          jiraError(res, 404, [`Issue Does Not Exist: ${k}`]);
          return true;
        }
      }
      state.links.push({ id: String(state.nextId++), type, inward, outward });
      res.writeHead(201).end();
      return true;
    }
    case 'PUT /rest/api/3/issue/{issueIdOrKey}/assignee': {
      const issue = findIssue(ctx);
      if (!issue) return true;
      const id = body?.['accountId'];
      if (id === null || id === '-1') issue.fields['assignee'] = null;
      else {
        const u = state.users.find((x) => x.accountId === id);
        if (!u) {
          jiraError(res, 400, [], { assignee: `User '${String(id)}' cannot be assigned issues.` });
          return true;
        }
        issue.fields['assignee'] = userJson(u, base);
      }
      res.writeHead(204).end();
      return true;
    }
    case 'GET /rest/api/3/issue/{issueIdOrKey}/watchers': {
      const issue = findIssue(ctx);
      if (issue) {
        sendJson(res, 200, {
          self: `${base}${req.path}`,
          isWatching: issue.watchers.includes(state.me.accountId),
          watchCount: issue.watchers.length,
          watchers: issue.watchers.map((a) => userJson(state.users.find((u) => u.accountId === a)!, base)),
        });
      }
      return true;
    }
    case 'POST /rest/api/3/issue/{issueIdOrKey}/watchers': {
      const issue = findIssue(ctx);
      if (!issue) return true;
      const id = ctx.body as string;
      if (!state.users.some((u) => u.accountId === id)) {
        jiraError(res, 404, [`The user with account ID '${id}' does not exist.`]);
        return true;
      }
      if (!issue.watchers.includes(id)) issue.watchers.push(id);
      res.writeHead(204).end();
      return true;
    }
    case 'GET /rest/api/3/issue/{issueIdOrKey}/worklog': {
      const issue = findIssue(ctx);
      if (!issue) return true;
      const pg = page(
        issue.worklogs.map((w) => ({
          ...w,
          author: userJson(w.author, base),
          issueId: issue.id,
          timeSpent: `${Math.round(w.timeSpentSeconds / 60)}m`,
        })),
        q,
        5000,
      );
      sendJson(res, 200, {
        worklogs: pg.values,
        startAt: pg.startAt,
        maxResults: pg.maxResults,
        total: pg.total,
      });
      return true;
    }
    case 'POST /rest/api/3/issue/{issueIdOrKey}/worklog': {
      const issue = findIssue(ctx);
      if (!issue) return true;
      const seconds = body?.['timeSpentSeconds'] as number | undefined;
      if (!seconds || seconds < 60) {
        jiraError(res, 400, [], { timeLogged: 'You must indicate the time spent working.' });
        return true;
      }
      if (body?.['comment'] !== undefined) ctx.checkAdf(body['comment'], 'body.comment');
      const w = {
        id: String(state.nextId++),
        author: state.me,
        comment: body?.['comment'],
        started: String(body?.['started'] ?? now()),
        timeSpentSeconds: seconds,
        created: now(),
      };
      issue.worklogs.push(w);
      sendJson(res, 201, { ...w, author: userJson(w.author, base), issueId: issue.id });
      return true;
    }
    case 'POST /rest/api/3/issue/{issueIdOrKey}/attachments': {
      const issue = findIssue(ctx);
      if (!issue) return true;
      if (String(req.headers['x-atlassian-token'] ?? '') !== 'no-check') {
        res.writeHead(403, { 'content-type': 'text/plain' }).end('XSRF check failed');
        return true;
      }
      const type = String(req.headers['content-type'] ?? '');
      const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
      if (!boundary) {
        jiraError(res, 400, ['No boundary in multipart request.']);
        return true;
      }
      // The recorded body is UTF-8 text, so binary parts are exact only when they are valid UTF-8.
      const parts = req.body.split(`--${boundary[1] ?? boundary[2]}`).slice(1, -1);
      const created = parts.map((part) => {
        const [head, ...rest] = part.split('\r\n\r\n');
        const content = Buffer.from(rest.join('\r\n\r\n').replace(/\r\n$/, ''), 'utf8');
        const filename = /filename="([^"]*)"/.exec(head ?? '')?.[1] ?? 'file';
        const mimeType = /content-type:\s*([^\r\n]+)/i.exec(head ?? '')?.[1] ?? 'application/octet-stream';
        const a = {
          id: String(state.nextId++),
          filename,
          mimeType,
          size: content.length,
          content,
          created: now(),
          author: state.me,
        };
        issue.attachments.push(a);
        return attachmentJson(a, base);
      });
      sendJson(res, 200, created);
      return true;
    }
    case 'GET /rest/api/3/attachment/{id}':
    case 'GET /rest/api/3/attachment/content/{id}': {
      const all = [...state.issues.values()].flatMap((i) => i.attachments);
      const a = all.find((x) => x.id === ctx.params['id']);
      if (!a) {
        jiraError(res, 404, ['The attachment with id ' + ctx.params['id'] + ' does not exist.']);
        return true;
      }
      if (route.includes('/content/')) {
        res.writeHead(200, { 'content-type': a.mimeType, 'content-length': a.size });
        res.end(a.content);
      } else sendJson(res, 200, attachmentJson(a, base));
      return true;
    }
    case 'GET /rest/api/3/issue/{issueIdOrKey}/remotelink': {
      const issue = findIssue(ctx);
      if (issue)
        sendJson(
          res,
          200,
          issue.remoteLinks.map((l) => ({
            ...l,
            self: `${base}/rest/api/3/issue/${issue.key}/remotelink/${l.id}`,
          })),
        );
      return true;
    }
    case 'POST /rest/api/3/issue/{issueIdOrKey}/remotelink': {
      const issue = findIssue(ctx);
      if (!issue) return true;
      const object = (body?.['object'] ?? {}) as Record<string, unknown>;
      if (!object['url'] || !object['title']) {
        jiraError(res, 400, [], { title: 'Link title is required.', url: 'Link url is required.' });
        return true;
      }
      const globalId = body?.['globalId'] as string | undefined;
      const existing = globalId ? issue.remoteLinks.find((l) => l.globalId === globalId) : undefined;
      if (existing) {
        existing.object = object;
        sendJson(res, 200, {
          id: existing.id,
          self: `${base}/rest/api/3/issue/${issue.key}/remotelink/${existing.id}`,
        });
      } else {
        const id = state.nextId++;
        issue.remoteLinks.push({
          id,
          object,
          ...(globalId ? { globalId } : {}),
          ...(body?.['relationship'] ? { relationship: String(body['relationship']) } : {}),
        });
        sendJson(res, 201, { id, self: `${base}/rest/api/3/issue/${issue.key}/remotelink/${id}` });
      }
      return true;
    }
    case 'GET /rest/api/3/issue/{issueIdOrKey}/changelog': {
      const issue = findIssue(ctx);
      if (issue)
        sendJson(res, 200, {
          self: `${base}${req.path}`,
          ...page(
            issue.changelog.map((h) => ({ ...h, author: userJson(h.author, base) })),
            q,
            100,
          ),
        });
      return true;
    }
    case 'GET /rest/api/3/priority':
      sendJson(res, 200, PRIORITIES);
      return true;
    case 'GET /rest/api/3/status':
      sendJson(res, 200, Object.values(STATUSES));
      return true;
    default:
      return false;
  }
}
