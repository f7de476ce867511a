import { pageInfoShape, ToolError, z, pageFields } from '@org/mcp-core';
import { repoRef } from '../github.js';
import { Cursor, githubPage, httpStatus, Limit, RepoName } from './shared.js';
import { tool } from './tool.js';

const PullSummary = z.object({
  number: z.number(),
  title: z.string(),
  state: z.string(),
  draft: z.boolean(),
  merged: z.boolean(),
  url: z.string(),
  user: z.string().nullable(),
  head: z.string(),
  base: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});

interface RawPull {
  number: number;
  title: string;
  state: string;
  draft?: boolean;
  merged_at: string | null;
  merged?: boolean;
  html_url: string;
  user: { login: string } | null;
  head: { ref: string; sha: string };
  base: { ref: string };
  created_at: string;
  updated_at: string;
  body?: string | null;
  mergeable?: boolean | null;
}

const summarizePull = (p: RawPull): z.infer<typeof PullSummary> => ({
  number: p.number,
  title: p.title,
  state: p.state,
  draft: p.draft ?? false,
  merged: p.merged ?? p.merged_at !== null,
  url: p.html_url,
  user: p.user?.login ?? null,
  head: p.head.ref,
  base: p.base.ref,
  created_at: p.created_at,
  updated_at: p.updated_at,
});

const Created = z.object({
  number: z.number(),
  title: z.string(),
  url: z.string(),
  state: z.string(),
  created_at: z.string(),
});

export const createPullRequest = tool({
  name: 'create_pull_request',
  toolset: 'pull_requests',
  title: 'Create pull request',
  description: 'Opens a pull request from head (a branch, or owner:branch for a fork) into base.',
  input: z.object({
    repo_name: RepoName,
    title: z.string().min(1).max(256),
    head: z.string().min(1).max(300),
    base: z.string().min(1).max(250),
    body: z.string().max(65_536).default(''),
    draft: z.boolean().default(false),
  }),
  output: Created,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ repo_name, title, head, base, body, draft }, { deps, signal }) {
    const ref = repoRef(repo_name, deps.config);
    const { data } = await deps.github.request('POST /repos/{owner}/{repo}/pulls', {
      ...ref,
      title,
      head,
      base,
      body,
      draft,
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

export const listPullRequests = tool({
  name: 'list_pull_requests',
  toolset: 'pull_requests',
  title: 'List pull requests',
  description: 'Pull requests of a repository by state (and optionally base branch), newest first; paged.',
  input: z.object({
    repo_name: RepoName,
    state: z.enum(['open', 'closed', 'all']).default('open'),
    base: z.string().max(250).optional(),
    limit: Limit(20),
    cursor: Cursor,
  }),
  output: z.object({ pull_requests: z.array(PullSummary), ...pageInfoShape }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ repo_name, state, base, limit, cursor }, { deps, outputBudget, signal }) {
    const ref = repoRef(repo_name, deps.config);
    const p = await githubPage(
      (n, perPage) =>
        deps.github.request('GET /repos/{owner}/{repo}/pulls', {
          ...ref,
          state,
          ...(base ? { base } : {}),
          per_page: perPage,
          page: n,
          request: { signal },
        }),
      { limit, cursor, budget: outputBudget, map: (x) => summarizePull(x as unknown as RawPull) },
    );
    return { pull_requests: p.items, ...pageFields(p) };
  },
});

export const getPullRequest = tool({
  name: 'get_pull_request',
  toolset: 'pull_requests',
  title: 'Get pull request',
  description:
    'One pull request with its body and mergeability; include "files" for the changed files (paged, with patches cut to 2,000 characters) or "diff" for the raw unified diff (at most max_chars characters).',
  input: z.object({
    repo_name: RepoName,
    pull_number: z.number().int().positive(),
    include: z.enum(['none', 'files', 'diff']).default('none'),
    max_chars: z
      .number()
      .int()
      .min(100)
      .max(1_000_000)
      .optional()
      .describe('Limit of the diff (default: the output budget)'),
    limit: Limit(30),
    cursor: Cursor,
  }),
  output: PullSummary.extend({
    body: z.string().nullable(),
    mergeable: z.boolean().nullable(),
    head_sha: z.string(),
    files: z
      .array(
        z.object({
          filename: z.string(),
          status: z.string(),
          additions: z.number(),
          deletions: z.number(),
          patch: z.string().nullable(),
        }),
      )
      .optional(),
    diff: z.string().optional(),
    ...pageInfoShape,
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler(
    { repo_name, pull_number, include, max_chars, limit, cursor },
    { deps, outputBudget, signal },
  ) {
    const ref = repoRef(repo_name, deps.config);
    const { data } = await deps.github.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      ...ref,
      pull_number,
      request: { signal },
    });
    const raw = data as unknown as RawPull;
    const out = {
      ...summarizePull(raw),
      body: raw.body ?? null,
      mergeable: raw.mergeable ?? null,
      head_sha: raw.head.sha,
      truncated: false,
    };
    if (include === 'diff') {
      const diff = await deps.github.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
        ...ref,
        pull_number,
        mediaType: { format: 'diff' },
        request: { signal },
      });
      const text = String(diff.data);
      const cap = max_chars ?? Math.max(1000, outputBudget - 2000);
      return { ...out, diff: text.slice(0, cap), truncated: text.length > cap };
    }
    if (include === 'files') {
      const p = await githubPage(
        (n, perPage) =>
          deps.github.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
            ...ref,
            pull_number,
            per_page: perPage,
            page: n,
            request: { signal },
          }),
        {
          limit,
          cursor,
          budget: outputBudget - 2000,
          map: (f) => ({
            filename: f.filename,
            status: f.status,
            additions: f.additions,
            deletions: f.deletions,
            patch:
              f.patch === undefined ? null : f.patch.length > 2000 ? `${f.patch.slice(0, 2000)}…` : f.patch,
          }),
        },
      );
      return { ...out, files: p.items, ...pageFields(p) };
    }
    return out;
  },
});

export const mergePullRequest = tool({
  name: 'merge_pull_request',
  toolset: 'pull_requests',
  title: 'Merge pull request',
  description:
    'Merges a pull request by merge, squash or rebase. Give sha (the head you reviewed) to refuse the merge if the branch moved since.',
  input: z.object({
    repo_name: RepoName,
    pull_number: z.number().int().positive(),
    merge_method: z.enum(['merge', 'squash', 'rebase']).default('merge'),
    sha: z
      .string()
      .regex(/^[0-9a-f]{40}$/)
      .optional(),
    commit_title: z.string().max(256).optional(),
    commit_message: z.string().max(65_536).optional(),
  }),
  output: z.object({ merged: z.boolean(), sha: z.string(), message: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async handler({ repo_name, pull_number, ...options }, { deps, signal }) {
    const ref = repoRef(repo_name, deps.config);
    try {
      const { data } = await deps.github.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
        ...ref,
        pull_number,
        ...options,
        request: { signal, retries: 0 },
      });
      return { merged: data.merged, sha: data.sha, message: data.message };
    } catch (error) {
      if (httpStatus(error) === 405)
        throw ToolError.conflict(
          `Pull request #${pull_number} cannot be merged (closed, already merged, or conflicting)`,
        );
      if (httpStatus(error) === 409)
        throw ToolError.conflict(
          `The head of #${pull_number} moved since ${options.sha}`,
          'Review the new commits, then merge with the new sha.',
        );
      throw error;
    }
  },
});

export const pullRequestTools = [createPullRequest, listPullRequests, getPullRequest, mergePullRequest];
