import { jsonish, pageInfoShape, z, pageFields } from '@org/mcp-core';
import { repoRef } from '../github.js';
import { Cursor, githubPage, labelNames, Limit, RepoName, requireSomeChange } from './shared.js';
import { tool } from './tool.js';

const Names = jsonish(z.array(z.string().min(1).max(100)).max(100));

const IssueSummary = z.object({
  number: z.number(),
  title: z.string(),
  state: z.string(),
  url: z.string(),
  user: z.string().nullable(),
  assignees: z.array(z.string()),
  labels: z.array(z.string()),
  comments: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
  body: z.string().nullable().describe('Cut to 500 characters in lists; whole in get_issue'),
});

interface RawIssue {
  number: number;
  title: string;
  state: string;
  html_url: string;
  user?: { login: string } | null;
  assignees?: { login: string }[] | null;
  labels: (string | { name?: string })[];
  comments: number;
  created_at: string;
  updated_at: string;
  body?: string | null;
  pull_request?: unknown;
}

const summarize = (i: RawIssue, bodyChars: number): z.infer<typeof IssueSummary> => ({
  number: i.number,
  title: i.title,
  state: i.state,
  url: i.html_url,
  user: i.user?.login ?? null,
  assignees: (i.assignees ?? []).map((a) => a.login),
  labels: labelNames(i.labels),
  comments: i.comments,
  created_at: i.created_at,
  updated_at: i.updated_at,
  body: i.body == null ? null : i.body.length > bodyChars ? `${i.body.slice(0, bodyChars)}…` : i.body,
});

export const listIssues = tool({
  name: 'list_issues',
  toolset: 'issues',
  title: 'List issues',
  description:
    'Issues of a repository (pull requests left out), newest first, filtered by state and labels; paged. Bodies are cut to 500 characters.',
  input: z.object({
    repo_name: RepoName,
    state: z.enum(['open', 'closed', 'all']).default('open'),
    labels: Names.nullable().optional().describe('Only issues with all these labels (array or JSON string)'),
    limit: Limit(10),
    cursor: Cursor,
  }),
  output: z.object({ issues: z.array(IssueSummary), ...pageInfoShape }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ repo_name, state, labels, limit, cursor }, { deps, outputBudget, signal }) {
    const ref = repoRef(repo_name, deps.config);
    const page = await githubPage(
      (p, perPage) =>
        deps.github.request('GET /repos/{owner}/{repo}/issues', {
          ...ref,
          state,
          per_page: perPage,
          page: p,
          ...(labels?.length ? { labels: labels.join(',') } : {}),
          request: { signal },
        }),
      {
        limit,
        cursor,
        budget: outputBudget,
        map: (i) => ((i as RawIssue).pull_request ? undefined : summarize(i as RawIssue, 500)),
      },
    );
    return {
      issues: page.items,
      ...pageFields(page),
    };
  },
});

export const getIssue = tool({
  name: 'get_issue',
  toolset: 'issues',
  title: 'Get issue',
  description: 'One issue with its whole body, labels, assignees and comment count.',
  input: z.object({ repo_name: RepoName, issue_number: z.number().int().positive() }),
  output: IssueSummary.extend({ is_pull_request: z.boolean() }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ repo_name, issue_number }, { deps, signal }) {
    const ref = repoRef(repo_name, deps.config);
    const { data } = await deps.github.request('GET /repos/{owner}/{repo}/issues/{issue_number}', {
      ...ref,
      issue_number,
      request: { signal },
    });
    return {
      ...summarize(data as RawIssue, Infinity),
      is_pull_request: Boolean((data as RawIssue).pull_request),
    };
  },
});

const Created = z.object({
  number: z.number(),
  title: z.string(),
  url: z.string(),
  state: z.string(),
  created_at: z.string(),
});

export const createIssue = tool({
  name: 'create_issue',
  toolset: 'issues',
  title: 'Create issue',
  description: 'Opens an issue with optional labels and assignees.',
  input: z.object({
    repo_name: RepoName,
    title: z.string().min(1).max(256),
    body: z.string().max(65_536).default(''),
    labels: Names.nullable().optional(),
    assignees: Names.nullable().optional(),
  }),
  output: Created,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ repo_name, title, body, labels, assignees }, { deps, signal }) {
    const ref = repoRef(repo_name, deps.config);
    const { data } = await deps.github.request('POST /repos/{owner}/{repo}/issues', {
      ...ref,
      title,
      body,
      ...(labels?.length ? { labels } : {}),
      ...(assignees?.length ? { assignees } : {}),
      request: { signal },
    });
    return {
      number: data.number,
      title: data.title,
      url: data.html_url,
      state: data.state,
      created_at: data.created_at,
    };
  },
});

export const addIssueComment = tool({
  name: 'add_issue_comment',
  toolset: 'issues',
  title: 'Comment on issue',
  description: 'Adds a comment to an issue or pull request.',
  input: z.object({
    repo_name: RepoName,
    issue_number: z.number().int().positive(),
    body: z.string().min(1).max(65_536),
  }),
  output: z.object({ id: z.number(), url: z.string(), created_at: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ repo_name, issue_number, body }, { deps, signal }) {
    const ref = repoRef(repo_name, deps.config);
    const { data } = await deps.github.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      ...ref,
      issue_number,
      body,
      request: { signal },
    });
    return { id: Number(data.id), url: data.html_url, created_at: data.created_at };
  },
});

export const updateIssue = tool({
  name: 'update_issue',
  toolset: 'issues',
  title: 'Update issue',
  description:
    'Changes an issue: title, body, state (open/closed, with a reason), labels or assignees (each list replaces the current one).',
  input: z.object({
    repo_name: RepoName,
    issue_number: z.number().int().positive(),
    title: z.string().min(1).max(256).optional(),
    body: z.string().max(65_536).optional(),
    state: z.enum(['open', 'closed']).optional(),
    state_reason: z.enum(['completed', 'not_planned', 'reopened']).optional(),
    labels: Names.optional(),
    assignees: Names.optional(),
  }),
  output: z.object({
    number: z.number(),
    title: z.string(),
    state: z.string(),
    url: z.string(),
    labels: z.array(z.string()),
    assignees: z.array(z.string()),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ repo_name, issue_number, ...patch }, { deps, signal }) {
    const ref = repoRef(repo_name, deps.config);
    requireSomeChange(patch);
    const { data } = await deps.github.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      ...ref,
      issue_number,
      ...patch,
      request: { signal },
    });
    return {
      number: data.number,
      title: data.title,
      state: data.state,
      url: data.html_url,
      labels: labelNames(data.labels),
      assignees: (data.assignees ?? []).map((a) => a.login),
    };
  },
});

export const issueTools = [listIssues, getIssue, createIssue, addIssueComment, updateIssue];
