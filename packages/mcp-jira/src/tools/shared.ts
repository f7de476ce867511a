import { ToolError, jsonish, z, type ToolContext } from '@org/mcp-core';
import { jiraCall, type Deps } from '../deps.js';
import { adfToMarkdown, isAdfDoc, markdownToAdf, type AdfDoc } from '../jira/adf.js';

/** A list of names given as an array, a JSON array string or a comma-separated string. */
export const nameList = (what: string) =>
  jsonish(z.union([z.array(z.string().trim().min(1)).max(200), z.string()]))
    .transform((v) =>
      Array.isArray(v)
        ? v
        : v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    )
    .describe(what);

/** The original's `rich_text` flag: still accepted, no longer needed (text is Markdown). */
export const richText = z
  .boolean()
  .optional()
  .describe('Accepted for compatibility; text is always read as Markdown');

/** A user as the tools show it. */
export const UserRef = z.object({
  account_id: z.string(),
  display_name: z.string().optional(),
  email: z.string().optional(),
  active: z.boolean().optional(),
});
export type UserRef = z.infer<typeof UserRef>;

export function toUser(u: unknown): UserRef | null {
  if (!u || typeof u !== 'object') return null;
  const o = u as { accountId?: string; displayName?: string; emailAddress?: string; active?: boolean };
  if (!o.accountId) return null;
  return {
    account_id: o.accountId,
    ...(o.displayName !== undefined ? { display_name: o.displayName } : {}),
    ...(o.emailAddress ? { email: o.emailAddress } : {}),
    ...(o.active !== undefined ? { active: o.active } : {}),
  };
}

/** An issue, lean: what a person reads first. */
export const IssueSummary = z.object({
  key: z.string(),
  id: z.string(),
  url: z.string().describe('The issue in the browser'),
  summary: z.string().optional(),
  status: z.string().optional(),
  type: z.string().optional(),
  priority: z.string().nullable().optional(),
  assignee: UserRef.nullable().optional(),
  parent: z.string().nullable().optional().describe('Key of the parent (epic or parent task)'),
  labels: z.array(z.string()).optional(),
  updated: z.string().optional(),
  created: z.string().optional(),
  description: z.string().nullable().optional().describe('The description as Markdown'),
  description_truncated: z.boolean().optional().describe('True when the description was cut to the budget'),
  fields: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Fields asked for with `fields` beyond the lean set (ADF rendered as Markdown)'),
});
export type IssueSummary = z.infer<typeof IssueSummary>;

/** The fields the lean issue shape reads. */
export const LEAN_FIELDS = [
  'summary',
  'status',
  'issuetype',
  'priority',
  'assignee',
  'parent',
  'labels',
  'updated',
  'created',
  'project',
];

const named = (v: unknown): string | undefined =>
  v && typeof v === 'object' ? ((v as { name?: string }).name ?? undefined) : undefined;

/** Renders ADF values inside a field value as Markdown (descriptions, text custom fields). */
export function renderField(value: unknown): unknown {
  if (isAdfDoc(value)) return adfToMarkdown(value);
  return value;
}

/** The lean shape of a Jira issue; `descriptionBudget` chars of description at most (0: none). */
export function toIssueSummary(
  issue: { id?: string; key?: string; fields?: Record<string, unknown> },
  base: string,
  options: { descriptionBudget?: number; extraFields?: readonly string[] } = {},
): IssueSummary {
  const f = (issue.fields ?? {}) as Record<string, unknown>;
  const out: IssueSummary = {
    key: issue.key ?? '',
    id: String(issue.id ?? ''),
    url: `${base}/browse/${issue.key ?? issue.id}`,
  };
  if (typeof f['summary'] === 'string') out.summary = f['summary'];
  if (f['status']) out.status = named(f['status'])!;
  if (f['issuetype']) out.type = named(f['issuetype'])!;
  if ('priority' in f) out.priority = named(f['priority']) ?? null;
  if ('assignee' in f) out.assignee = toUser(f['assignee']);
  if ('parent' in f) out.parent = (f['parent'] as { key?: string } | null)?.key ?? null;
  if (Array.isArray(f['labels'])) out.labels = f['labels'] as string[];
  if (typeof f['updated'] === 'string') out.updated = f['updated'];
  if (typeof f['created'] === 'string') out.created = f['created'];
  if (options.descriptionBudget && 'description' in f) {
    const md = f['description'] === null ? null : adfToMarkdown(f['description']);
    if (md !== null && md.length > options.descriptionBudget) {
      out.description = `${md.slice(0, options.descriptionBudget)}…`;
      out.description_truncated = true;
    } else out.description = md;
  }
  const extra = (options.extraFields ?? []).filter(
    (k) => !LEAN_FIELDS.includes(k) && k !== 'description' && k in f,
  );
  if (extra.length) out.fields = Object.fromEntries(extra.map((k) => [k, renderField(f[k])]));
  return out;
}

/** A description or comment given as Markdown (or already as ADF) as an ADF document. */
export function toAdf(value: string | AdfDoc): AdfDoc {
  return typeof value === 'string' ? markdownToAdf(value) : value;
}

const SYSTEM_FIELDS = new Set([
  'summary',
  'description',
  'issuetype',
  'project',
  'priority',
  'labels',
  'assignee',
  'reporter',
  'parent',
  'components',
  'fixVersions',
  'versions',
  'duedate',
  'environment',
  'timetracking',
  'security',
  'resolution',
]);

async function fieldIndex(ctx: ToolContext<Deps>): Promise<Map<string, { id: string; name: string }[]>> {
  ctx.deps.fieldIds ??= jiraCall(ctx, (j) => j.v3.issueFields.getFields()).then((fields) => {
    const map = new Map<string, { id: string; name: string }[]>();
    for (const f of fields) {
      if (!f.id || !f.name) continue;
      const k = f.name.toLowerCase();
      map.set(k, [...(map.get(k) ?? []), { id: f.id, name: f.name }]);
    }
    return map;
  });
  try {
    return await ctx.deps.fieldIds;
  } catch (error) {
    delete ctx.deps.fieldIds;
    throw error;
  }
}

/**
 * Field values keyed by id or by display name ("Story Points") keyed by id; a Markdown string for
 * `description` becomes ADF. An unknown or ambiguous name is a validation error listing candidates.
 */
export async function resolveFields(
  ctx: ToolContext<Deps>,
  fields: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const byName = Object.keys(fields).some((k) => !SYSTEM_FIELDS.has(k) && !/^customfield_\d+$/.test(k))
    ? await fieldIndex(ctx)
    : undefined;
  for (const [key, value] of Object.entries(fields)) {
    let id = key;
    if (byName && !SYSTEM_FIELDS.has(key) && !/^customfield_\d+$/.test(key)) {
      const hits = byName.get(key.toLowerCase()) ?? [];
      if (hits.length === 0)
        throw ToolError.validation(
          `Unknown field "${key}"`,
          'Use jira_search_fields to find a field id by name.',
        );
      if (hits.length > 1) {
        throw ToolError.validation(
          `Field name "${key}" is ambiguous: ${hits.map((h) => h.id).join(', ')}`,
          'Pass the field id instead.',
        );
      }
      id = hits[0]!.id;
    }
    out[id] = id === 'description' && typeof value === 'string' ? markdownToAdf(value) : value;
  }
  return out;
}

/** Resolves an account id, email or display name to one account id; ambiguity is an error naming the candidates. */
export async function resolveUser(
  ctx: ToolContext<Deps>,
  who: string,
  scope?: { project?: string; issueKey?: string },
): Promise<string> {
  const value = who.trim();
  // Cloud account ids: 24 hex chars, or "<number>:<uuid>".
  if (/^[0-9a-f]{24}$/i.test(value) || /^\d+:[0-9a-f-]{36}$/i.test(value)) return value;
  if (value.toLowerCase() === 'me' || value === 'currentUser()') {
    const me = await jiraCall(ctx, (j) => j.v3.myself.getCurrentUser());
    return me.accountId!;
  }
  const users = await jiraCall(ctx, (j) =>
    scope?.project || scope?.issueKey
      ? j.v3.userSearch.findAssignableUsers({
          query: value,
          maxResults: 20,
          ...(scope.issueKey ? { issueKey: scope.issueKey } : { project: scope.project! }),
        })
      : j.v3.userSearch.findUsers({ query: value, maxResults: 20 }),
  );
  const active = users.filter((u) => u.active !== false && u.accountId);
  const exact = active.filter(
    (u) =>
      u.emailAddress?.toLowerCase() === value.toLowerCase() ||
      u.displayName?.toLowerCase() === value.toLowerCase(),
  );
  const pick = exact.length ? exact : active;
  if (pick.length === 1) return pick[0]!.accountId!;
  if (pick.length === 0)
    throw ToolError.notFound(
      `No ${scope ? 'assignable ' : ''}user matches "${value}"`,
      'Use jira_search_users to find the account id.',
    );
  throw ToolError.validation(
    `"${value}" matches ${pick.length} users: ${pick
      .slice(0, 10)
      .map((u) => `${u.displayName ?? '?'} (${u.accountId})`)
      .join(', ')}`,
    'Pass the account id of the one you mean.',
  );
}

/** `{ success: true }` output. */
export const Success = z.object({ success: z.literal(true) });
