import { ToolError, z } from '@org/mcp-core';
import { jiraCall } from '../deps.js';
import { adfToMarkdown } from '../jira/adf.js';
import { issueKeyField, seg } from '../jira/keys.js';
import { UserRef, toAdf, toUser } from './shared.js';
import { tool } from './tool.js';

const Worklog = z.object({
  id: z.string(),
  author: UserRef.nullable(),
  started: z.string().optional(),
  time_spent_seconds: z.number().int(),
  comment: z.string().optional().describe('Markdown'),
});

/** "1h 30m", "2d", "45m" or a number of minutes, as seconds. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t) * 60;
  const units: Record<string, number> = { w: 5 * 8 * 3600, d: 8 * 3600, h: 3600, m: 60 };
  let total = 0;
  let rest = t;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)\s*([wdhm])/g)) {
    total += Number(m[1]) * units[m[2]!]!;
    rest = rest.replace(m[0], '');
  }
  return total > 0 && rest.trim() === '' ? Math.round(total) : undefined;
}

export const getWorklogs = tool({
  name: 'jira_get_worklogs',
  toolset: 'worklogs',
  title: 'Get worklogs',
  description:
    'Work logged on an issue: who, when, how long (seconds) and the comment as Markdown; up to `limit` (default 50), newest last.',
  input: z.object({
    issue_key: issueKeyField(),
    limit: z.number().int().min(1).max(100).default(50).describe('At most this many (default 50)'),
  }),
  output: z.object({
    worklogs: z.array(Worklog),
    total: z.number().int(),
    total_seconds: z.number().int().describe('Sum over the worklogs returned'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ issue_key, limit }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    const page = await jiraCall(ctx, (j) =>
      j.v3.issueWorklogs.getIssueWorklog({ issueIdOrKey: seg(issue_key), maxResults: limit }),
    );
    const worklogs = (page.worklogs ?? []).map((w) => ({
      id: String(w.id),
      author: toUser(w.author),
      ...(w.started ? { started: String(w.started) } : {}),
      time_spent_seconds: Number(w.timeSpentSeconds ?? 0),
      ...(w.comment ? { comment: adfToMarkdown(w.comment) } : {}),
    }));
    return {
      worklogs,
      total: page.total ?? worklogs.length,
      total_seconds: worklogs.reduce((s, w) => s + w.time_spent_seconds, 0),
    };
  },
});

export const addWorklog = tool({
  name: 'jira_add_worklog',
  toolset: 'worklogs',
  title: 'Log work',
  description:
    'Logs time on an issue: `time_spent` as "1h 30m", "2d" (8 h days), "45m" or minutes; optional start time (ISO 8601, default now) and comment (Markdown). Not retried: never logged twice.',
  input: z.object({
    issue_key: issueKeyField(),
    time_spent: z.string().trim().min(1).max(50).describe('e.g. "1h 30m" or "90" (minutes)'),
    started: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('When the work started, ISO 8601 (default now)'),
    comment: z.string().max(100_000).optional().describe('Markdown'),
  }),
  output: Worklog,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ issue_key, time_spent, started, comment }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    const seconds = parseDuration(time_spent);
    if (!seconds || seconds < 60)
      throw ToolError.validation(
        `"${time_spent}" is not a duration of at least a minute`,
        'Use e.g. "1h 30m", "2d", "45m" or a number of minutes.',
      );
    // Jira wants "2026-01-17T12:34:00.000+0000".
    const when = new Date(started ?? Date.now()).toISOString().replace('Z', '+0000');
    const w = await jiraCall(ctx, (j) =>
      j.v3.issueWorklogs.addWorklog({
        issueIdOrKey: seg(issue_key),
        timeSpentSeconds: seconds,
        started: when,
        ...(comment ? { comment: toAdf(comment) } : {}),
      } as never),
    );
    return {
      id: String(w.id),
      author: toUser(w.author),
      ...(w.started ? { started: String(w.started) } : {}),
      time_spent_seconds: Number(w.timeSpentSeconds ?? seconds),
      ...(w.comment ? { comment: adfToMarkdown(w.comment) } : {}),
    };
  },
});
