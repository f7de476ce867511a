import { defineTool, jsonish, pageInfoShape, ToolError, z, pageFields } from '@org/mcp-core';
import type { Deps } from '../deps.js';
import { allowedBy, repoRef } from '../github.js';
import { Cursor, githubPage, labelNames, Limit, RepoName, requireSomeChange } from './shared.js';

const tool = defineTool<Deps>();
const Names = jsonish(z.array(z.string().min(1).max(100)).max(100));
const status = (error: unknown) => (error as { status?: number }).status;

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
      if (status(error) === 405)
        throw ToolError.conflict(
          `Pull request #${pull_number} cannot be merged (closed, already merged, or conflicting)`,
        );
      if (status(error) === 409)
        throw ToolError.conflict(
          `The head of #${pull_number} moved since ${options.sha}`,
          'Review the new commits, then merge with the new sha.',
        );
      throw error;
    }
  },
});

const searchTool = <K extends 'code' | 'issues' | 'repositories'>(kind: K, description: string) =>
  tool({
    name: `search_${kind}`,
    toolset: 'search',
    title: `Search ${kind}`,
    description: `${description} Uses GitHub search syntax in query; results outside GITHUB_ALLOWED_REPOS are dropped. Paged.`,
    input: z.object({ query: z.string().min(1).max(256), limit: Limit(20), cursor: Cursor }),
    output: z.object({
      total_count: z.number(),
      items: z.array(
        z.object({
          repository: z.string(),
          title: z.string(),
          url: z.string(),
          path: z.string().optional(),
          number: z.number().optional(),
          state: z.string().optional(),
        }),
      ),
      ...pageInfoShape,
    }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async handler({ query, limit, cursor }, { deps, outputBudget, signal }) {
      let total = 0;
      const p = await githubPage(
        async (n, perPage) => {
          const res = await deps.github.request(`GET /search/${kind}` as 'GET /search/code', {
            q: query,
            per_page: perPage,
            page: n,
            request: { signal },
          });
          total = res.data.total_count;
          return { data: res.data.items as unknown[], headers: res.headers };
        },
        {
          limit,
          cursor,
          budget: outputBudget - 200,
          map: (raw) => {
            const x = raw as Record<string, unknown> & { html_url: string };
            const repository =
              kind === 'repositories'
                ? String(x['full_name'])
                : kind === 'code'
                  ? String((x['repository'] as { full_name: string }).full_name)
                  : (String(x['repository_url']).split('/repos/')[1] ?? '');
            if (!allowedBy(deps.config.GITHUB_ALLOWED_REPOS, repository)) return undefined;
            if (kind === 'code')
              return { repository, title: String(x['name']), url: x.html_url, path: String(x['path']) };
            if (kind === 'issues')
              return {
                repository,
                title: String(x['title']),
                url: x.html_url,
                number: Number(x['number']),
                state: String(x['state']),
              };
            return { repository, title: String(x['full_name']), url: x.html_url };
          },
        },
      );
      return { total_count: total, items: p.items, ...pageFields(p) };
    },
  });

export const searchCode = searchTool(
  'code',
  'Code search across repositories (e.g. "useState repo:org/app").',
);
export const searchIssues = searchTool(
  'issues',
  'Issue and pull request search (e.g. "is:open label:bug repo:org/app").',
);
export const searchRepositories = searchTool(
  'repositories',
  'Repository search (e.g. "mcp language:typescript").',
);

export const listCommits = tool({
  name: 'list_commits',
  toolset: 'repos',
  title: 'List commits',
  description: 'Commits of a branch (default: the default branch), newest first; paged.',
  input: z.object({
    repo_name: RepoName,
    branch: z.string().min(1).max(250).optional(),
    limit: Limit(20),
    cursor: Cursor,
  }),
  output: z.object({
    commits: z.array(
      z.object({
        sha: z.string(),
        message: z.string(),
        author: z.string().nullable(),
        date: z.string().nullable(),
        url: z.string(),
      }),
    ),
    ...pageInfoShape,
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ repo_name, branch, limit, cursor }, { deps, outputBudget, signal }) {
    const ref = repoRef(repo_name, deps.config);
    const p = await githubPage(
      (n, perPage) =>
        deps.github.request('GET /repos/{owner}/{repo}/commits', {
          ...ref,
          ...(branch ? { sha: branch } : {}),
          per_page: perPage,
          page: n,
          request: { signal },
        }),
      {
        limit,
        cursor,
        budget: outputBudget,
        map: (c) => ({
          sha: c.sha,
          message: c.commit.message,
          author: c.commit.author?.name ?? null,
          date: c.commit.author?.date ?? null,
          url: c.html_url,
        }),
      },
    );
    return { commits: p.items, ...pageFields(p) };
  },
});

export const getCommit = tool({
  name: 'get_commit',
  toolset: 'repos',
  title: 'Get commit',
  description:
    'One commit (SHA, branch or tag) with its message, stats and changed files (at most 100, patches cut to 2,000 characters).',
  input: z.object({ repo_name: RepoName, ref: z.string().min(1).max(250) }),
  output: z.object({
    sha: z.string(),
    message: z.string(),
    author: z.string().nullable(),
    date: z.string().nullable(),
    url: z.string(),
    parents: z.array(z.string()),
    stats: z.object({ additions: z.number(), deletions: z.number(), total: z.number() }).nullable(),
    files: z.array(
      z.object({
        filename: z.string(),
        status: z.string(),
        additions: z.number(),
        deletions: z.number(),
        patch: z.string().nullable(),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ repo_name, ref: commitRef }, { deps, signal }) {
    const ref = repoRef(repo_name, deps.config);
    const { data } = await deps.github.request('GET /repos/{owner}/{repo}/commits/{ref}', {
      ...ref,
      ref: commitRef,
      request: { signal },
    });
    return {
      sha: data.sha,
      message: data.commit.message,
      author: data.commit.author?.name ?? null,
      date: data.commit.author?.date ?? null,
      url: data.html_url,
      parents: data.parents.map((x) => x.sha),
      stats: data.stats
        ? {
            additions: data.stats.additions ?? 0,
            deletions: data.stats.deletions ?? 0,
            total: data.stats.total ?? 0,
          }
        : null,
      files: (data.files ?? []).slice(0, 100).map((f) => ({
        filename: f.filename,
        status: f.status,
        additions: f.additions,
        deletions: f.deletions,
        patch: f.patch === undefined ? null : f.patch.slice(0, 2000),
      })),
    };
  },
});

const Release = z.object({
  id: z.number(),
  tag_name: z.string(),
  name: z.string().nullable(),
  body: z.string().nullable(),
  draft: z.boolean(),
  prerelease: z.boolean(),
  url: z.string(),
  created_at: z.string(),
  published_at: z.string().nullable(),
});
interface RawRelease {
  id: number | bigint;
  tag_name: string;
  name: string | null;
  body?: string | null;
  draft: boolean;
  prerelease: boolean;
  html_url: string;
  created_at: string;
  published_at: string | null;
}
const toRelease = (r: RawRelease): z.infer<typeof Release> => ({
  id: Number(r.id),
  tag_name: r.tag_name,
  name: r.name,
  body: r.body ?? null,
  draft: r.draft,
  prerelease: r.prerelease,
  url: r.html_url,
  created_at: r.created_at,
  published_at: r.published_at,
});

export const listReleases = tool({
  name: 'list_releases',
  toolset: 'releases',
  title: 'List releases',
  description: 'Releases of a repository, newest first (drafts included for users who can push); paged.',
  input: z.object({ repo_name: RepoName, limit: Limit(20), cursor: Cursor }),
  output: z.object({ releases: z.array(Release), ...pageInfoShape }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ repo_name, limit, cursor }, { deps, outputBudget, signal }) {
    const ref = repoRef(repo_name, deps.config);
    const p = await githubPage(
      (n, perPage) =>
        deps.github.request('GET /repos/{owner}/{repo}/releases', {
          ...ref,
          per_page: perPage,
          page: n,
          request: { signal },
        }),
      {
        limit,
        cursor,
        budget: outputBudget,
        map: (r) => toRelease(r as RawRelease),
      },
    );
    return { releases: p.items, ...pageFields(p) };
  },
});

export const getRelease = tool({
  name: 'get_release',
  toolset: 'releases',
  title: 'Get release',
  description: 'One release by tag, or the latest published one when tag is omitted.',
  input: z.object({ repo_name: RepoName, tag: z.string().min(1).max(250).optional() }),
  output: Release,
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ repo_name, tag }, { deps, signal }) {
    const ref = repoRef(repo_name, deps.config);
    const { data } = tag
      ? await deps.github.request('GET /repos/{owner}/{repo}/releases/tags/{tag}', {
          ...ref,
          tag,
          request: { signal },
        })
      : await deps.github.request('GET /repos/{owner}/{repo}/releases/latest', {
          ...ref,
          request: { signal },
        });
    return toRelease(data as RawRelease);
  },
});

const ReleaseFields = {
  name: z.string().max(256).optional(),
  body: z.string().max(125_000).optional(),
  draft: z.boolean().optional(),
  prerelease: z.boolean().optional(),
  target_commitish: z
    .string()
    .max(250)
    .optional()
    .describe('Branch or SHA the tag is created from, when the tag does not exist yet'),
};

export const createRelease = tool({
  name: 'create_release',
  toolset: 'releases',
  title: 'Create release',
  description:
    'Creates a release for a tag (the tag is created from target_commitish when missing). An existing release for the tag is a validation error.',
  input: z.object({
    repo_name: RepoName,
    tag_name: z.string().min(1).max(250),
    ...ReleaseFields,
    generate_release_notes: z.boolean().default(false),
  }),
  output: Release,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ repo_name, ...fields }, { deps, signal }) {
    const ref = repoRef(repo_name, deps.config);
    const { data } = await deps.github.request('POST /repos/{owner}/{repo}/releases', {
      ...ref,
      ...fields,
      request: { signal },
    });
    return toRelease(data as RawRelease);
  },
});

export const updateRelease = tool({
  name: 'update_release',
  toolset: 'releases',
  title: 'Update release',
  description:
    'Changes a release (by id): name, notes, tag, draft or prerelease state; publishing a draft is draft: false.',
  input: z.object({
    repo_name: RepoName,
    release_id: z.number().int().positive(),
    tag_name: z.string().min(1).max(250).optional(),
    ...ReleaseFields,
  }),
  output: Release,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ repo_name, release_id, ...fields }, { deps, signal }) {
    const ref = repoRef(repo_name, deps.config);
    requireSomeChange(fields);
    const { data } = await deps.github.request('PATCH /repos/{owner}/{repo}/releases/{release_id}', {
      ...ref,
      release_id,
      ...fields,
      request: { signal },
    });
    return toRelease(data as RawRelease);
  },
});

export const moreTools = [
  updateIssue,
  listPullRequests,
  getPullRequest,
  mergePullRequest,
  searchCode,
  searchIssues,
  searchRepositories,
  listCommits,
  getCommit,
  listReleases,
  getRelease,
  createRelease,
  updateRelease,
];
