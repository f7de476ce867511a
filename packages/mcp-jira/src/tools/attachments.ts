import { ToolError, z } from '@org/mcp-core';
import { jiraCall } from '../deps.js';
import { issueKeyField, numericId, seg } from '../jira/keys.js';
import { tool } from './tool.js';

/** The largest upload accepted, decoded. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** The largest attachment jira_read_attachment reads. */
export const MAX_READ_BYTES = 1024 * 1024;

const Attachment = z.object({
  id: z.string(),
  filename: z.string(),
  mime_type: z.string().optional(),
  size: z.number().int().optional(),
  created: z.string().optional(),
  author: z.string().optional(),
});

type RawAttachment = {
  id?: string | number;
  filename?: string;
  mimeType?: string;
  size?: number;
  created?: string;
  author?: { displayName?: string };
};
const toAttachment = (a: RawAttachment) => ({
  id: String(a.id),
  filename: String(a.filename),
  ...(a.mimeType ? { mime_type: a.mimeType } : {}),
  ...(a.size !== undefined ? { size: a.size } : {}),
  ...(a.created ? { created: String(a.created) } : {}),
  ...(a.author?.displayName ? { author: a.author.displayName } : {}),
});

export const addAttachment = tool({
  name: 'jira_add_attachment',
  toolset: 'attachments',
  title: 'Attach a file',
  description: `Uploads a file to an issue from text (encoding "utf8", the default) or base64 content, at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB decoded. Not retried: never attached twice.`,
  input: z.object({
    issue_key: issueKeyField(),
    filename: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .regex(/^[^/\\\0]+$/, 'must be a file name without a path')
      .describe('File name, e.g. notes.md'),
    content: z
      .string()
      .max(Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 4)
      .describe('The file content: text, or base64 with encoding "base64"'),
    encoding: z.enum(['utf8', 'base64']).default('utf8').describe('How `content` is given (default utf8)'),
    mime_type: z
      .string()
      .trim()
      .regex(/^[\w.+-]+\/[\w.+-]+$/)
      .optional()
      .describe('e.g. text/markdown (default from the file name)'),
  }),
  output: z.object({ attachments: z.array(Attachment) }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ issue_key, filename, content, encoding, mime_type }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    if (encoding === 'base64' && !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(content))
      throw ToolError.validation('content is not valid base64');
    const file = Buffer.from(content, encoding);
    if (file.length > MAX_UPLOAD_BYTES)
      throw ToolError.validation(
        `The file is ${file.length} bytes; at most ${MAX_UPLOAD_BYTES} are accepted`,
      );
    const r = await jiraCall(ctx, (j) =>
      j.v3.issueAttachments.addAttachment({
        issueIdOrKey: seg(issue_key),
        attachment: { filename, file, ...(mime_type ? { mimeType: mime_type } : {}) },
      }),
    );
    return { attachments: (Array.isArray(r) ? r : [r]).map((a) => toAttachment(a as RawAttachment)) };
  },
});

export const getAttachments = tool({
  name: 'jira_get_attachments',
  toolset: 'attachments',
  title: 'List attachments',
  description: 'The attachments of an issue: id, file name, type, size in bytes, date, author.',
  input: z.object({ issue_key: issueKeyField() }),
  output: z.object({ attachments: z.array(Attachment) }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ issue_key }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    const issue = await jiraCall(ctx, (j) =>
      j.v3.issues.getIssue({ issueIdOrKey: seg(issue_key), fields: ['attachment', 'project'] }),
    );
    const list = ((issue.fields as { attachment?: RawAttachment[] } | undefined)?.attachment ?? []).slice(
      0,
      200,
    );
    return { attachments: list.map(toAttachment) };
  },
});

const TEXTUAL =
  /^(text\/|application\/(json|xml|yaml|x-yaml|javascript|x-sh|csv|markdown|x-ndjson)|image\/svg\+xml)/;

export const readAttachment = tool({
  name: 'jira_read_attachment',
  toolset: 'attachments',
  title: 'Read a text attachment',
  description: `The content of a text attachment (text/*, JSON, XML, YAML, CSV…) of at most ${MAX_READ_BYTES / 1024} KB, cut to the output budget. Binary files are refused.`,
  input: z.object({ attachment_id: numericId('Attachment id (from jira_get_attachments)') }),
  output: z.object({
    id: z.string(),
    filename: z.string(),
    mime_type: z.string().optional(),
    content: z.string(),
    truncated: z.boolean(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ attachment_id }, ctx) {
    if (ctx.deps.filter.active) {
      // The attachment's issue is not in its metadata on every site: refuse rather than guess.
      throw ToolError.validation(
        'jira_read_attachment is not available with JIRA_PROJECTS_FILTER set',
        'Read the issue instead; its attachments are listed by jira_get_attachments.',
      );
    }
    const meta = await jiraCall(ctx, (j) => j.v3.issueAttachments.getAttachment({ id: seg(attachment_id) }));
    const a = toAttachment(meta as RawAttachment);
    if (a.mime_type && !TEXTUAL.test(a.mime_type))
      throw ToolError.validation(`${a.filename} is ${a.mime_type}, not text`);
    if ((a.size ?? 0) > MAX_READ_BYTES)
      throw ToolError.validation(`${a.filename} is ${a.size} bytes; at most ${MAX_READ_BYTES} are read`);
    const data = await jiraCall(ctx, (j) => j.v3.issueAttachments.getAttachmentContent(seg(attachment_id)));
    const text = Buffer.from(data as unknown as ArrayBuffer).toString('utf8');
    if (text.includes('\u0000')) throw ToolError.validation(`${a.filename} is binary, not text`);
    const budget = Math.max(1000, ctx.outputBudget - 500);
    return {
      id: a.id,
      filename: a.filename,
      ...(a.mime_type ? { mime_type: a.mime_type } : {}),
      content: text.slice(0, budget),
      truncated: text.length > budget,
    };
  },
});
