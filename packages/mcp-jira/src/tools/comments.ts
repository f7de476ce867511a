import { decodeCursor, encodeCursor, fitToBudget, pageInfoShape, z } from '@org/mcp-core';
import { jiraCall } from '../deps.js';
import { adfToMarkdown } from '../jira/adf.js';
import { issueKeyField, numericId, seg } from '../jira/keys.js';
import { Success, UserRef, richText, toAdf, toUser } from './shared.js';
import { tool } from './tool.js';

const Comment = z.object({
  id: z.string(),
  author: UserRef.nullable(),
  body: z.string().describe('Markdown'),
  created: z.string().optional(),
  updated: z.string().optional(),
});

function toComment(c: { id?: string; author?: unknown; body?: unknown; created?: string; updated?: string }) {
  return {
    id: String(c.id),
    author: toUser(c.author),
    body: adfToMarkdown(c.body),
    ...(c.created ? { created: String(c.created) } : {}),
    ...(c.updated ? { updated: String(c.updated) } : {}),
  };
}

export const addComment = tool({
  name: 'jira_add_comment',
  toolset: 'comments',
  title: 'Add comment',
  description:
    'Adds a comment to an issue. The text is Markdown (sent as ADF). Not retried: never posted twice.',
  input: z.object({
    issue_key: issueKeyField(),
    comment: z.string().trim().min(1).max(100_000).describe('Markdown'),
    rich_text: richText,
  }),
  output: Comment,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ issue_key, comment }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    const c = await jiraCall(ctx, (j) =>
      j.v3.issueComments.addComment({ issueIdOrKey: seg(issue_key), comment: toAdf(comment) } as never),
    );
    return toComment(c as never);
  },
});

export const getComments = tool({
  name: 'jira_get_comments',
  toolset: 'comments',
  title: 'Get comments',
  description:
    'Comments of an issue as Markdown, oldest first (or newest first with newest_first), up to `limit` (default 20) per call with a cursor.',
  input: z.object({
    issue_key: issueKeyField(),
    limit: z.number().int().min(1).max(100).default(20).describe('Comments per call (default 20)'),
    newest_first: z.boolean().default(false).describe('Newest first (default oldest first)'),
    cursor: z.string().optional().describe('next_cursor of the previous call'),
  }),
  output: z.object({ comments: z.array(Comment), total: z.number().int().optional(), ...pageInfoShape }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ issue_key, limit, newest_first, cursor }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    const startAt = cursor ? decodeCursor(cursor, z.object({ o: z.number().int().nonnegative() })).o : 0;
    const page = await jiraCall(ctx, (j) =>
      j.v3.issueComments.getComments({
        issueIdOrKey: seg(issue_key),
        startAt,
        maxResults: limit,
        orderBy: newest_first ? '-created' : 'created',
      }),
    );
    const comments = (page.comments ?? []).map((c) => toComment(c as never));
    const count = fitToBudget(comments, ctx.outputBudget - 200);
    const next = startAt + count;
    const more = next < (page.total ?? 0);
    return {
      comments: comments.slice(0, count),
      ...(page.total !== undefined ? { total: page.total } : {}),
      truncated: more,
      ...(more ? { next_cursor: encodeCursor({ o: next }) } : {}),
    };
  },
});

export const editComment = tool({
  name: 'jira_edit_comment',
  toolset: 'comments',
  title: 'Edit comment',
  description: 'Replaces the text of a comment (Markdown).',
  input: z.object({
    issue_key: issueKeyField(),
    comment_id: numericId('Comment id'),
    comment: z.string().trim().min(1).max(100_000).describe('The new text, Markdown'),
  }),
  output: Comment,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler({ issue_key, comment_id, comment }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    const c = await jiraCall(ctx, (j) =>
      j.v3.issueComments.updateComment({
        issueIdOrKey: seg(issue_key),
        id: seg(comment_id),
        body: toAdf(comment),
      } as never),
    );
    return toComment(c as never);
  },
});

export const deleteComment = tool({
  name: 'jira_delete_comment',
  toolset: 'comments',
  title: 'Delete comment',
  description: 'Deletes a comment of an issue permanently (it cannot be restored).',
  input: z.object({ issue_key: issueKeyField(), comment_id: numericId('Comment id') }),
  output: Success,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler({ issue_key, comment_id }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    await jiraCall(ctx, (j) =>
      j.v3.issueComments.deleteComment({ issueIdOrKey: seg(issue_key), id: seg(comment_id) }),
    );
    return { success: true as const };
  },
});
