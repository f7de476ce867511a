import {
  ToolError,
  decodeCursor,
  encodeCursor,
  fitToBudget,
  jsonish,
  pageInfoShape,
  z,
  type ToolContext,
} from '@org/mcp-core';
import { jiraCall, type Deps } from '../deps.js';
import { httpStatus, jiraErrorBody, type JiraErrorBody } from '../jira/errors.js';
import { issueKeyField, jqlString, jqlValue, projectKeyField, seg } from '../jira/keys.js';
import {
  IssueSummary,
  LEAN_FIELDS,
  Success,
  nameList,
  resolveFields,
  resolveUser,
  richText,
  toAdf,
  toIssueSummary,
} from './shared.js';
import { tool } from './tool.js';

const fieldsParam = nameList(
  'Extra fields to return beyond the lean set (ids or *all), e.g. ["customfield_10016","components"]',
).optional();

/** The project a create goes to: the argument, else JIRA_PROJECT_KEY; checked against the filter. */
export function projectFor(ctx: ToolContext<Deps>, given: string | undefined): string {
  const key = given ?? ctx.deps.config.JIRA_PROJECT_KEY;
  if (!key)
    throw ToolError.validation(
      'No project given',
      'Pass project_key, or set JIRA_PROJECT_KEY for a default project.',
    );
  ctx.deps.filter.assertProject(key);
  return key;
}

// ---------- reading ----------

export const getIssue = tool({
  name: 'jira_get_issue',
  toolset: 'issues',
  title: 'Get issue',
  description:
    'One issue, lean by default: key, summary, status, type, priority, assignee, parent, labels, created/updated and the description as Markdown (cut to the output budget). `fields` adds more fields (e.g. customfield_10016, components, or *all); `expand` adds Jira expansions (changelog, renderedFields, names, transitions).',
  input: z.object({
    issue_key: issueKeyField(),
    fields: fieldsParam,
    expand: nameList('Jira expansions, e.g. ["changelog"]').optional(),
  }),
  output: IssueSummary.extend({
    changelog: z
      .array(
        z.object({
          created: z.string().optional(),
          author: z.string().optional(),
          items: z.array(z.string()),
        }),
      )
      .optional(),
    rendered_fields: z.record(z.string(), z.unknown()).optional(),
    transitions: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ issue_key, fields, expand }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    const wanted = [...LEAN_FIELDS, 'description', ...(fields ?? [])];
    const issue = await jiraCall(ctx, (j) =>
      j.v3.issues.getIssue({
        issueIdOrKey: seg(issue_key),
        fields: wanted,
        ...(expand?.length ? { expand: expand.join(',') } : {}),
      }),
    );
    const project = (issue.fields as { project?: { key?: string } } | undefined)?.project?.key;
    if (!ctx.deps.filter.allows(project))
      throw ToolError.notFound(`Issue ${issue_key} is outside JIRA_PROJECTS_FILTER`);
    const base = ctx.deps.config.JIRA_BASE_URL;
    const extra = fields?.includes('*all') ? Object.keys(issue.fields ?? {}) : (fields ?? []);
    const out: Record<string, unknown> = {
      ...toIssueSummary(issue as never, base, {
        descriptionBudget: Math.max(1000, ctx.outputBudget - 2000),
        extraFields: extra,
      }),
    };
    const raw = issue as unknown as {
      changelog?: {
        histories?: {
          created?: string;
          author?: { displayName?: string };
          items?: { field?: string; fromString?: string | null; toString?: string | null }[];
        }[];
      };
      renderedFields?: Record<string, unknown>;
      transitions?: { id?: string; name?: string }[];
    };
    if (raw.changelog?.histories) {
      out['changelog'] = raw.changelog.histories.slice(0, 50).map((h) => ({
        ...(h.created ? { created: h.created } : {}),
        ...(h.author?.displayName ? { author: h.author.displayName } : {}),
        items: (h.items ?? []).map((i) => `${i.field ?? '?'}: ${i.fromString ?? '∅'} → ${i.toString ?? '∅'}`),
      }));
    }
    if (raw.renderedFields)
      out['rendered_fields'] = Object.fromEntries(
        Object.entries(raw.renderedFields).filter(([, v]) => v !== null),
      );
    if (raw.transitions)
      out['transitions'] = raw.transitions.map((t) => ({ id: String(t.id), name: String(t.name) }));
    return out as never;
  },
});

const SearchCursor = z.object({ t: z.string().optional(), s: z.number().int().nonnegative() });

export const searchIssues = tool({
  name: 'jira_search_issues',
  toolset: 'issues',
  title: 'Search issues (JQL)',
  description:
    'Issues matching a JQL query, lean (key, summary, status, type, priority, assignee, parent, labels, updated; no description unless asked in `fields`). Up to `max_results` (default 50, max 100) per call, bounded by the output budget; pass `next_cursor` back as `cursor` for more. The JQL must restrict the search (Jira refuses an unbounded query such as a bare ORDER BY). With JIRA_PROJECTS_FILTER the query is confined to those projects.',
  input: z.object({
    jql: z
      .string()
      .trim()
      .min(1)
      .max(10_000)
      .describe('JQL, e.g. project = ENG AND status = "In Progress" ORDER BY updated DESC'),
    max_results: z.number().int().min(1).max(100).default(50).describe('Issues per call (1-100, default 50)'),
    fields: fieldsParam,
    start_at: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(0)
      .describe('Skip this many issues first (kept for compatibility; prefer cursor)'),
    cursor: z.string().optional().describe('next_cursor of the previous call'),
  }),
  output: z.object({
    issues: z.array(IssueSummary),
    jql: z.string().describe('The JQL as sent'),
    ...pageInfoShape,
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ jql, max_results, fields, start_at, cursor }, ctx) {
    const confined = ctx.deps.filter.confine(jql);
    const position = cursor ? decodeCursor(cursor, SearchCursor) : { s: start_at };
    const wanted = [...LEAN_FIELDS, ...(fields ?? [])];
    const page = await jiraCall(ctx, (j) =>
      j.v3.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({
        jql: confined,
        maxResults: position.s + max_results,
        fields: wanted,
        ...(position.t ? { nextPageToken: position.t } : {}),
      }),
    );
    const base = ctx.deps.config.JIRA_BASE_URL;
    const all = ctx.deps.filter.keep((page.issues ?? []) as never[]) as {
      key?: string;
      id?: string;
      fields?: Record<string, unknown>;
    }[];
    const window = all.slice(position.s, position.s + max_results);
    const issues = window.map((i) =>
      toIssueSummary(i, base, {
        descriptionBudget: fields?.includes('description') ? 2000 : 0,
        extraFields: fields ?? [],
      }),
    );
    const count = fitToBudget(issues, ctx.outputBudget - 500);
    const kept = issues.slice(0, count);
    let next: string | undefined;
    if (position.s + count < all.length)
      next = encodeCursor({ ...(position.t ? { t: position.t } : {}), s: position.s + count });
    else if (page.nextPageToken) next = encodeCursor({ t: page.nextPageToken, s: 0 });
    return {
      issues: kept,
      jql: confined,
      truncated: next !== undefined,
      ...(next ? { next_cursor: next } : {}),
    };
  },
});

export const buildJql = tool({
  name: 'jira_build_jql',
  toolset: 'issues',
  title: 'Build JQL',
  description:
    'A JQL query from simple filters, with every value quoted and escaped. `assignee` takes an account id, a name, currentUser() or EMPTY. Without `project`, JIRA_PROJECT_KEY is used when set. Sends no request.',
  input: z.object({
    project: z.string().trim().min(1).optional().describe('Project key'),
    status: z.string().trim().min(1).optional().describe('Status name, e.g. In Progress'),
    assignee: z.string().trim().min(1).optional().describe('Account id, currentUser() or EMPTY'),
    issue_type: z.string().trim().min(1).optional().describe('Issue type name, e.g. Bug'),
    text: z.string().trim().min(1).optional().describe('Words to find in summary, description and comments'),
    order_by: z
      .string()
      .trim()
      .regex(/^[A-Za-z_0-9]+( (ASC|DESC|asc|desc))?$/)
      .default('created DESC')
      .describe('e.g. "updated DESC" (default created DESC)'),
  }),
  output: z.object({ jql: z.string() }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler({ project, status, assignee, issue_type, text, order_by }, { deps }) {
    const clauses: string[] = [];
    const p = project ?? deps.config.JIRA_PROJECT_KEY;
    if (p) clauses.push(`project = ${jqlString(p)}`);
    if (status) clauses.push(`status = ${jqlString(status)}`);
    if (assignee)
      clauses.push(
        /^(empty|null)$/i.test(assignee) ? 'assignee is EMPTY' : `assignee = ${jqlValue(assignee)}`,
      );
    if (issue_type) clauses.push(`issuetype = ${jqlString(issue_type)}`);
    if (text) clauses.push(`text ~ ${jqlString(text)}`);
    return { jql: [clauses.join(' AND '), `ORDER BY ${order_by}`].filter(Boolean).join(' ') };
  },
});

export const getChangelog = tool({
  name: 'jira_get_changelog',
  toolset: 'issues',
  title: 'Get issue history',
  description:
    'The change history of an issue, oldest first: who changed which field from what to what, and when. Up to `limit` entries (default 50), with a cursor.',
  input: z.object({
    issue_key: issueKeyField(),
    limit: z.number().int().min(1).max(100).default(50).describe('Entries per call (default 50)'),
    cursor: z.string().optional().describe('next_cursor of the previous call'),
  }),
  output: z.object({
    changes: z.array(
      z.object({
        id: z.string(),
        created: z.string().optional(),
        author: z.string().optional(),
        items: z.array(
          z.object({ field: z.string(), from: z.string().nullable(), to: z.string().nullable() }),
        ),
      }),
    ),
    ...pageInfoShape,
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ issue_key, limit, cursor }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    const startAt = cursor ? decodeCursor(cursor, z.object({ o: z.number().int().nonnegative() })).o : 0;
    const page = await jiraCall(ctx, (j) =>
      j.v3.issues.getChangeLogs({ issueIdOrKey: seg(issue_key), startAt, maxResults: limit }),
    );
    const changes = (page.values ?? []).map((h) => ({
      id: String(h.id),
      ...(h.created ? { created: String(h.created) } : {}),
      ...(h.author?.displayName ? { author: h.author.displayName } : {}),
      items: (h.items ?? []).map((i) => ({
        field: String(i.field),
        from: i.fromString ?? null,
        to: i.toString ?? null,
      })),
    }));
    const count = fitToBudget(changes, ctx.outputBudget - 200);
    const next = startAt + count;
    const more = count < changes.length || page.isLast === false;
    return {
      changes: changes.slice(0, count),
      truncated: more,
      ...(more ? { next_cursor: encodeCursor({ o: next }) } : {}),
    };
  },
});

export const getTransitions = tool({
  name: 'jira_get_transitions',
  toolset: 'issues',
  title: 'Get transitions',
  description:
    'The workflow transitions available for an issue now: id, name and target status. Pass an id to jira_transition_issue.',
  input: z.object({ issue_key: issueKeyField() }),
  output: z.object({
    transitions: z.array(z.object({ id: z.string(), name: z.string(), to_status: z.string().optional() })),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ issue_key }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    const r = await jiraCall(ctx, (j) => j.v3.issues.getTransitions({ issueIdOrKey: seg(issue_key) }));
    return {
      transitions: (r.transitions ?? []).map((t) => ({
        id: String(t.id),
        name: String(t.name),
        ...(t.to?.name ? { to_status: t.to.name } : {}),
      })),
    };
  },
});

// ---------- writing ----------

/** Turns Jira's bare 400 on a create into a message naming each field with its allowed values (from createmeta). */
async function explainCreateError(
  ctx: ToolContext<Deps>,
  project: string,
  issueType: string,
  body: JiraErrorBody,
): Promise<ToolError> {
  const problems = Object.entries(body.fields);
  let detail =
    [...body.messages, ...problems.map(([k, v]) => `${k}: ${v}`)].join(' | ') || 'Jira refused the issue';
  try {
    const types = await jiraCall(ctx, (j) =>
      j.v3.issues.getCreateIssueMetaIssueTypes({ projectIdOrKey: seg(project), maxResults: 100 }),
    );
    const list = (types.issueTypes ??
      (types as { createMetaIssueType?: unknown[] }).createMetaIssueType ??
      []) as { id?: string; name?: string }[];
    const type = list.find((t) => t.name?.toLowerCase() === issueType.toLowerCase() || t.id === issueType);
    if (!type) {
      return ToolError.validation(
        `Jira: issue type "${issueType}" does not exist in ${project}`,
        `Issue types of ${project}: ${list.map((t) => t.name).join(', ')}`,
      );
    }
    const meta = await jiraCall(ctx, (j) =>
      j.v3.issues.getCreateIssueMetaIssueTypeId({
        projectIdOrKey: seg(project),
        issueTypeId: seg(String(type.id)),
        maxResults: 200,
      }),
    );
    const fields = ((meta as { fields?: unknown[]; results?: unknown[] }).fields ??
      (meta as { results?: unknown[] }).results ??
      []) as {
      fieldId?: string;
      key?: string;
      name?: string;
      required?: boolean;
      allowedValues?: { name?: string; value?: string; id?: string }[];
    }[];
    const describe = (id: string) => {
      const f = fields.find((x) => x.fieldId === id || x.key === id);
      if (!f) return id;
      const allowed = (f.allowedValues ?? []).map((v) => v.name ?? v.value ?? v.id).filter(Boolean);
      return `${f.name ?? id} (${id})${f.required ? ' is required' : ''}${allowed.length ? `; allowed values: ${allowed.slice(0, 30).join(', ')}` : ''}`;
    };
    if (problems.length) detail = problems.map(([k, v]) => `${describe(k)}: ${v}`).join(' | ');
    const missing = fields
      .filter((f) => f.required && !['project', 'issuetype', 'summary'].includes(String(f.fieldId)))
      .map((f) => describe(String(f.fieldId)));
    return ToolError.validation(
      `Jira refused the issue: ${detail}`,
      missing.length
        ? `Required fields of ${type.name} in ${project}: ${missing.join(' | ')}`
        : 'Pass the missing fields in additional_fields (by id or name).',
    );
  } catch {
    return ToolError.validation(`Jira refused the issue: ${detail}`);
  }
}

const IssueCreated = z.object({
  success: z.literal(true),
  key: z.string(),
  id: z.string(),
  self: z.string().optional(),
  url: z.string(),
});

async function createOne(
  ctx: ToolContext<Deps>,
  input: {
    project: string;
    summary: string;
    description?: string | undefined;
    issue_type: string;
    priority?: string | undefined;
    assignee?: string | undefined;
    labels?: string[] | undefined;
    parent?: string | undefined;
    additional_fields?: Record<string, unknown> | undefined;
  },
) {
  const fields: Record<string, unknown> = {
    project: { key: input.project },
    summary: input.summary,
    issuetype: { name: input.issue_type },
    ...(input.description ? { description: toAdf(input.description) } : {}),
    ...(input.priority ? { priority: { name: input.priority } } : {}),
    ...(input.labels?.length ? { labels: input.labels } : {}),
    ...(input.parent ? { parent: { key: input.parent } } : {}),
  };
  if (input.assignee)
    fields['assignee'] = { accountId: await resolveUser(ctx, input.assignee, { project: input.project }) };
  Object.assign(fields, await resolveFields(ctx, input.additional_fields ?? {}));
  try {
    const r = await jiraCall(ctx, (j) => j.v3.issues.createIssue({ fields } as never));
    return {
      success: true as const,
      key: r.key,
      id: r.id,
      self: r.self,
      url: `${ctx.deps.config.JIRA_BASE_URL}/browse/${r.key}`,
    };
  } catch (error) {
    if (httpStatus(error) !== 400) throw error;
    throw await explainCreateError(
      ctx,
      input.project,
      input.issue_type,
      jiraErrorBody(error) ?? { messages: [], fields: {} },
    );
  }
}

export const createIssue = tool({
  name: 'jira_create_issue',
  toolset: 'issues',
  title: 'Create issue',
  description:
    'Creates one issue. The description is Markdown (headings, lists, tables, code, links) and is sent as Atlassian Document Format. `assignee` takes an account id, an email or a display name (resolved among assignable users; ambiguity is an error listing the candidates). `additional_fields` sets any other field by id or by name, e.g. {"Story Points": 3}. A missing required field fails naming the field and its allowed values. Not retried: a create is never sent twice.',
  input: z.object({
    project_key: projectKeyField().optional().describe('Project key, e.g. ENG (default: JIRA_PROJECT_KEY)'),
    summary: z.string().trim().min(1).max(255).describe('One-line title (at most 255 characters)'),
    description: z.string().max(100_000).default('').describe('Markdown'),
    issue_type: z
      .string()
      .trim()
      .min(1)
      .default('Task')
      .describe('Issue type name (default Task), e.g. Bug, Story, Epic, Subtask'),
    priority: z.string().trim().min(1).optional().describe('Priority name, e.g. High'),
    assignee: z.string().trim().min(1).optional().describe('Account id, email or display name'),
    labels: nameList('Labels, e.g. ["backend","api"]').optional(),
    parent_key: issueKeyField('Parent issue (epic, or the parent of a subtask)').optional(),
    additional_fields: jsonish(z.record(z.string(), z.unknown()))
      .optional()
      .describe('Other fields by id or name, e.g. {"customfield_10016": 3}'),
    rich_text: richText,
  }),
  output: IssueCreated,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(input, ctx) {
    const project = projectFor(ctx, input.project_key);
    if (input.parent_key) ctx.deps.filter.assertIssue(input.parent_key);
    return createOne(ctx, {
      project,
      summary: input.summary,
      description: input.description,
      issue_type: input.issue_type,
      priority: input.priority,
      assignee: input.assignee,
      labels: input.labels,
      parent: input.parent_key,
      additional_fields: input.additional_fields,
    });
  },
});

const BulkItem = z.object({
  project_key: projectKeyField().optional(),
  summary: z.string().trim().min(1).max(255),
  description: z.string().max(100_000).optional(),
  issue_type: z.string().trim().min(1).default('Task'),
  priority: z.string().trim().min(1).optional(),
  labels: z.array(z.string()).optional(),
  assignee: z.string().trim().min(1).optional().describe('Account id'),
  parent_key: issueKeyField('Parent issue').optional(),
  additional_fields: z.record(z.string(), z.unknown()).optional(),
});

export const createIssuesBulk = tool({
  name: 'jira_create_issues_bulk',
  toolset: 'bulk',
  title: 'Create issues in bulk',
  description:
    'Creates up to 500 issues, sent to Jira in requests of 50 (its limit). Each item: project_key (default JIRA_PROJECT_KEY), summary, optional description (Markdown), issue_type (default Task), priority, labels, assignee (account id), parent_key, additional_fields (by id or name). Returns one result per input item, in order: its key, or the error Jira gave for it. Not retried: nothing is created twice.',
  input: z.object({
    issues: jsonish(z.array(BulkItem).min(1).max(500)).describe(
      'The issues to create (an array, or the same as a JSON string)',
    ),
  }),
  output: z.object({
    created: z.number().int(),
    failed: z.number().int(),
    results: z.array(
      z.object({
        index: z.number().int(),
        key: z.string().optional(),
        id: z.string().optional(),
        url: z.string().optional(),
        error: z.string().optional(),
      }),
    ),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ issues }, ctx) {
    // Everything is checked before the first request, so a bad item sends nothing.
    const projects = issues.map((i, index) => {
      const p = i.project_key ?? ctx.deps.config.JIRA_PROJECT_KEY;
      if (!p)
        throw ToolError.validation(
          `issues[${index}]: no project_key`,
          'Pass project_key in each item, or set JIRA_PROJECT_KEY.',
        );
      ctx.deps.filter.assertProject(p);
      if (i.parent_key) ctx.deps.filter.assertIssue(i.parent_key);
      return p;
    });
    const updates = [];
    for (const [index, i] of issues.entries()) {
      updates.push({
        fields: {
          project: { key: projects[index] },
          summary: i.summary,
          issuetype: { name: i.issue_type },
          ...(i.description ? { description: toAdf(i.description) } : {}),
          ...(i.priority ? { priority: { name: i.priority } } : {}),
          ...(i.labels?.length ? { labels: i.labels } : {}),
          ...(i.assignee ? { assignee: { accountId: i.assignee } } : {}),
          ...(i.parent_key ? { parent: { key: i.parent_key } } : {}),
          ...(await resolveFields(ctx, i.additional_fields ?? {})),
        },
      });
    }
    const results: { index: number; key?: string; id?: string; url?: string; error?: string }[] = [];
    const base = ctx.deps.config.JIRA_BASE_URL;
    for (let start = 0; start < updates.length; start += 50) {
      const chunk = updates.slice(start, start + 50);
      let r;
      try {
        r = await jiraCall(ctx, (j) => j.v3.issues.createIssues({ issueUpdates: chunk } as never));
      } catch (error) {
        // A chunk that failed whole: report it per item and stop (later chunks are not sent).
        const body = jiraErrorBody(error);
        const why = body
          ? [...body.messages, ...Object.entries(body.fields).map(([k, v]) => `${k}: ${v}`)].join(' | ')
          : String((error as Error).message);
        for (let k = start; k < updates.length; k++)
          results.push({
            index: k,
            error:
              k < start + chunk.length
                ? `Jira refused the request: ${why}`
                : 'not sent: an earlier request failed',
          });
        break;
      }
      const failed = new Map<number, string>();
      for (const e of r.errors ?? []) {
        const el = e.elementErrors as
          | { errorMessages?: string[]; errors?: Record<string, string> }
          | undefined;
        failed.set(
          Number(e.failedElementNumber),
          [
            ...(el?.errorMessages ?? []),
            ...Object.entries(el?.errors ?? {}).map(([k, v]) => `${k}: ${v}`),
          ].join(' | ') || 'refused',
        );
      }
      const ok = [...(r.issues ?? [])];
      chunk.forEach((_u, i) => {
        const index = start + i;
        if (failed.has(i)) results.push({ index, error: failed.get(i)! });
        else {
          const c = ok.shift();
          results.push(
            c?.key
              ? { index, key: c.key, id: String(c.id), url: `${base}/browse/${c.key}` }
              : { index, error: 'no result from Jira' },
          );
        }
      });
    }
    return {
      created: results.filter((r) => r.key).length,
      failed: results.filter((r) => r.error).length,
      results,
    };
  },
});

export const updateIssue = tool({
  name: 'jira_update_issue',
  toolset: 'issues',
  title: 'Update issue',
  description:
    'Sets fields of an issue: {"summary": "...", "description": "Markdown", "priority": {"name": "High"}, "labels": [...], "Story Points": 5}. Fields may be given by id or by name; a Markdown description is converted to ADF. Returns the fields changed.',
  input: z.object({
    issue_key: issueKeyField(),
    fields: jsonish(
      z.record(z.string(), z.unknown()).refine((f) => Object.keys(f).length > 0, 'give at least one field'),
    ).describe('Fields to set, as an object or a JSON string'),
    notify_users: z.boolean().default(true).describe('Send Jira notifications (default true)'),
  }),
  output: z.object({ success: z.literal(true), key: z.string(), updated_fields: z.array(z.string()) }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ issue_key, fields, notify_users }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    if ('project' in fields)
      throw ToolError.validation('The project of an issue cannot be changed with jira_update_issue');
    const resolved = await resolveFields(ctx, fields);
    if (resolved['parent'] !== undefined && typeof resolved['parent'] === 'string')
      resolved['parent'] = { key: resolved['parent'] };
    await jiraCall(ctx, (j) =>
      j.v3.issues.editIssue({
        issueIdOrKey: seg(issue_key),
        fields: resolved,
        notifyUsers: notify_users,
      } as never),
    );
    return { success: true as const, key: issue_key, updated_fields: Object.keys(resolved) };
  },
});

export const deleteIssue = tool({
  name: 'jira_delete_issue',
  toolset: 'issues',
  title: 'Delete issue',
  description:
    'Deletes an issue permanently. An issue with subtasks is refused unless delete_subtasks is true.',
  input: z.object({
    issue_key: issueKeyField(),
    delete_subtasks: z.boolean().default(false).describe('Also delete its subtasks (default false)'),
  }),
  output: Success,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler({ issue_key, delete_subtasks }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    await jiraCall(ctx, (j) =>
      j.v3.issues.deleteIssue({
        issueIdOrKey: seg(issue_key),
        ...(delete_subtasks ? { deleteSubtasks: 'true' } : {}),
      } as never),
    );
    return { success: true as const };
  },
});

export const transitionIssue = tool({
  name: 'jira_transition_issue',
  toolset: 'issues',
  title: 'Transition issue',
  description:
    'Moves an issue through its workflow with a transition id from jira_get_transitions (or a transition or target status name, resolved from them). Optionally adds a comment (Markdown) and sets fields.',
  input: z.object({
    issue_key: issueKeyField(),
    transition_id: z.string().trim().min(1).describe('Transition id, e.g. "31", or its name, e.g. "Done"'),
    comment: z.string().max(100_000).optional().describe('Comment to add (Markdown)'),
    fields: jsonish(z.record(z.string(), z.unknown()))
      .optional()
      .describe('Fields to set during the transition'),
  }),
  output: z.object({ success: z.literal(true), key: z.string(), transition_id: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ issue_key, transition_id, comment, fields }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    let id = transition_id;
    if (!/^\d+$/.test(id)) {
      const r = await jiraCall(ctx, (j) => j.v3.issues.getTransitions({ issueIdOrKey: seg(issue_key) }));
      const t = (r.transitions ?? []).find(
        (x) => x.name?.toLowerCase() === id.toLowerCase() || x.to?.name?.toLowerCase() === id.toLowerCase(),
      );
      if (!t?.id)
        throw ToolError.validation(
          `No transition "${id}" for ${issue_key}`,
          `Available: ${(r.transitions ?? []).map((x) => `${x.id} ${x.name}`).join(', ')}`,
        );
      id = t.id;
    }
    const resolved = fields ? await resolveFields(ctx, fields) : undefined;
    await jiraCall(ctx, (j) =>
      j.v3.issues.doTransition({
        issueIdOrKey: seg(issue_key),
        transition: { id },
        ...(resolved ? { fields: resolved } : {}),
        ...(comment ? { update: { comment: [{ add: { body: toAdf(comment) } }] } } : {}),
      } as never),
    );
    return { success: true as const, key: issue_key, transition_id: id };
  },
});

export const assignIssue = tool({
  name: 'jira_assign_issue',
  toolset: 'issues',
  title: 'Assign issue',
  description:
    'Assigns an issue. `account_id` takes an account id, an email, a display name (resolved among the users assignable to the issue; ambiguity is an error listing them), "me", or "unassigned".',
  input: z.object({
    issue_key: issueKeyField(),
    account_id: z.string().trim().min(1).describe('Account id, email, display name, "me" or "unassigned"'),
  }),
  output: z.object({ success: z.literal(true), key: z.string(), account_id: z.string().nullable() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ issue_key, account_id }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    const id = /^(unassigned|none|null|-1)$/i.test(account_id)
      ? null
      : await resolveUser(ctx, account_id, { issueKey: issue_key });
    await jiraCall(ctx, (j) =>
      j.v3.issues.assignIssue({ issueIdOrKey: seg(issue_key), accountId: id } as never),
    );
    return { success: true as const, key: issue_key, account_id: id };
  },
});
