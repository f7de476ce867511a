import { jsonish, pageInfoShape, paginate, ToolError, z, pageFields } from '@org/mcp-core';
import { commitFiles, FileChange } from '../commit-files.js';
import { tool } from './tool.js';
import { allowedBy, repoRef } from '../github.js';
import {
  BranchName,
  Cursor,
  decodeText,
  githubPage,
  httpStatus,
  Limit,
  notAFile,
  RepoName,
  RepoPath,
  repoAndBranch,
} from './shared.js';

interface RawRepo {
  name: string;
  full_name: string;
  html_url: string;
  description?: string | null;
  private: boolean;
  language?: string | null;
  stargazers_count?: number;
  forks_count?: number;
  open_issues_count?: number;
  default_branch?: string;
  created_at?: string | null;
  updated_at?: string | null;
}

const Repository = z.object({
  name: z.string(),
  full_name: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  private: z.boolean(),
  language: z.string().nullable(),
  stars: z.number(),
  forks: z.number(),
  open_issues: z.number(),
  default_branch: z.string(),
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
});

export const listRepositories = tool({
  name: 'list_repositories',
  toolset: 'repos',
  title: 'List repositories',
  description:
    "Repositories of the authenticated user (private ones included), or a user's public repositories; only those GITHUB_ALLOWED_REPOS permits. Paged with limit and cursor.",
  input: z.object({
    username: z
      .string()
      .min(1)
      .max(100)
      .nullable()
      .optional()
      .describe('Another user; omit for your own repositories'),
    sort: z.enum(['created', 'updated', 'pushed', 'full_name']).default('updated'),
    limit: Limit(20),
    cursor: Cursor,
  }),
  output: z.object({ repositories: z.array(Repository), ...pageInfoShape }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ username, sort, limit, cursor }, { deps, outputBudget, signal }) {
    const page = await githubPage(
      (p, perPage) =>
        (username
          ? deps.github.request('GET /users/{username}/repos', {
              username,
              sort,
              per_page: perPage,
              page: p,
              request: { signal },
            })
          : deps.github.request('GET /user/repos', {
              sort,
              per_page: perPage,
              page: p,
              request: { signal },
            })) as Promise<{
          data: RawRepo[];
          headers: { link?: string };
        }>,
      {
        limit,
        cursor,
        budget: outputBudget,
        map: (r: RawRepo) =>
          allowedBy(deps.config.GITHUB_ALLOWED_REPOS, r.full_name)
            ? {
                name: r.name,
                full_name: r.full_name,
                url: r.html_url,
                description: r.description ?? null,
                private: r.private,
                language: r.language ?? null,
                stars: r.stargazers_count ?? 0,
                forks: r.forks_count ?? 0,
                open_issues: r.open_issues_count ?? 0,
                default_branch: r.default_branch ?? 'main',
                created_at: r.created_at ?? null,
                updated_at: r.updated_at ?? null,
              }
            : undefined,
      },
    );
    return {
      repositories: page.items,
      ...pageFields(page),
    };
  },
});

export const getFileContent = tool({
  name: 'get_file_content',
  toolset: 'repos',
  title: 'Get file content',
  description:
    'A file of a repository at a branch, tag or commit (default: the default branch). Text comes back decoded, from offset, at most max_chars characters (truncated says if more remain); a binary file comes back as binary: true with its size and download URL, never as garbage.',
  input: z.object({
    repo_name: RepoName,
    file_path: RepoPath,
    branch: z.string().min(1).max(250).nullable().optional().describe('Branch, tag or commit SHA'),
    offset: z.number().int().min(0).default(0).describe('First character to return'),
    max_chars: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe('At most this many characters (default: the output budget)'),
  }),
  output: z.object({
    path: z.string(),
    ref: z.string(),
    sha: z.string(),
    size: z.number(),
    url: z.string().nullable(),
    binary: z.boolean(),
    content: z.string().optional(),
    offset: z.number().optional(),
    truncated: z.boolean(),
    download_url: z.string().nullable(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ repo_name, file_path, branch, offset, max_chars }, { deps, outputBudget, signal }) {
    const ref = await repoAndBranch(deps, repo_name, branch);
    const { data } = await deps.github.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: ref.owner,
      repo: ref.repo,
      path: file_path,
      ref: ref.branch,
      request: { signal },
    });
    if (Array.isArray(data) || data.type !== 'file') throw notAFile(file_path);
    let base64 = 'content' in data && typeof data.content === 'string' ? data.content : '';
    if (data.size > 0 && base64.replace(/\s/g, '') === '') {
      // Files over 1 MB come without content from the contents API; the blob API has them.
      const blob = await deps.github.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
        owner: ref.owner,
        repo: ref.repo,
        file_sha: data.sha,
        request: { signal },
      });
      base64 = blob.data.content;
    }
    const common = {
      path: data.path,
      ref: ref.branch,
      sha: data.sha,
      size: data.size,
      url: data.html_url ?? null,
      download_url: data.download_url ?? null,
    };
    const decoded = decodeText(base64);
    if ('binary' in decoded) return { ...common, binary: true, truncated: false };
    const limit = max_chars ?? Math.max(1000, outputBudget - 1000);
    const content = decoded.text.slice(offset, offset + limit);
    return { ...common, binary: false, content, offset, truncated: offset + limit < decoded.text.length };
  },
  render(out) {
    return out.binary
      ? JSON.stringify(out)
      : `${out.path}@${out.ref} (${out.size} bytes${out.truncated ? ', truncated' : ''}):\n${out.content}`;
  },
});

export const getDirectoryTree = tool({
  name: 'get_directory_tree',
  toolset: 'repos',
  title: 'Get directory tree',
  description:
    'Files and directories under a path, in one request (the git trees API), at most max_depth levels deep (default 1; recursive true means unlimited) and at most limit entries per call, with a cursor. GitHub itself stops at 100,000 entries (github_truncated).',
  input: z.object({
    repo_name: RepoName,
    path: z.string().max(4096).default('').describe('Directory to list; empty for the root'),
    branch: z.string().min(1).max(250).nullable().optional(),
    recursive: z.boolean().default(false).describe('All levels below path (same as a large max_depth)'),
    max_depth: z.number().int().min(1).max(100).optional(),
    limit: z.number().int().min(1).max(5000).default(500),
    cursor: Cursor,
  }),
  output: z.object({
    entries: z.array(
      z.object({
        path: z.string(),
        name: z.string(),
        type: z.enum(['file', 'dir', 'submodule', 'symlink']),
        size: z.number().nullable(),
        sha: z.string(),
      }),
    ),
    total: z.number(),
    github_truncated: z.boolean(),
    ...pageInfoShape,
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler(
    { repo_name, path, branch, recursive, max_depth, limit, cursor },
    { deps, outputBudget, signal },
  ) {
    const ref = await repoAndBranch(deps, repo_name, branch);
    const { data } = await deps.github.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
      owner: ref.owner,
      repo: ref.repo,
      tree_sha: ref.branch,
      recursive: '1',
      request: { signal },
    });
    const prefix = path.replace(/^\/+|\/+$/g, '');
    const depth = recursive ? Infinity : (max_depth ?? 1);
    const all = data.tree
      .filter((e) => e.path !== undefined && (prefix === '' || e.path.startsWith(`${prefix}/`)))
      .map((e) => ({ e, rel: prefix === '' ? e.path! : e.path!.slice(prefix.length + 1) }))
      .filter(({ rel }) => rel.split('/').length <= depth)
      .map(({ e }) => ({
        path: e.path!,
        name: e.path!.split('/').pop()!,
        type:
          e.type === 'tree'
            ? ('dir' as const)
            : e.type === 'commit'
              ? ('submodule' as const)
              : e.mode === '120000'
                ? ('symlink' as const)
                : ('file' as const),
        size: e.size ?? null,
        sha: e.sha!,
      }));
    if (prefix !== '' && all.length === 0 && !data.tree.some((e) => e.path === prefix && e.type === 'tree')) {
      throw ToolError.notFound(`${prefix} is not a directory on ${ref.branch}`);
    }
    const page = paginate(all, { cursor, limit, budget: outputBudget - 300 });
    return {
      entries: page.items,
      total: all.length,
      github_truncated: data.truncated,
      ...pageFields(page),
    };
  },
});

export const listBranches = tool({
  name: 'list_branches',
  toolset: 'repos',
  title: 'List branches',
  description: 'Branches of a repository with their head commit and protection; paged.',
  input: z.object({ repo_name: RepoName, limit: Limit(30), cursor: Cursor }),
  output: z.object({
    branches: z.array(z.object({ name: z.string(), protected: z.boolean(), commit_sha: z.string() })),
    ...pageInfoShape,
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ repo_name, limit, cursor }, { deps, outputBudget, signal }) {
    const ref = repoRef(repo_name, deps.config);
    const page = await githubPage(
      (p, perPage) =>
        deps.github.request('GET /repos/{owner}/{repo}/branches', {
          ...ref,
          per_page: perPage,
          page: p,
          request: { signal },
        }),
      {
        limit,
        cursor,
        budget: outputBudget,
        map: (b) => ({ name: b.name, protected: b.protected, commit_sha: b.commit.sha }),
      },
    );
    return {
      branches: page.items,
      ...pageFields(page),
    };
  },
});

export const getBranchInfo = tool({
  name: 'get_branch_info',
  toolset: 'repos',
  title: 'Get branch info',
  description:
    'A branch: protection and its head commit (sha, message, author, date). Says whether the repository or the branch is missing.',
  input: z.object({ repo_name: RepoName, branch_name: z.string().min(1).max(250) }),
  output: z.object({
    name: z.string(),
    protected: z.boolean(),
    commit: z.object({
      sha: z.string(),
      url: z.string(),
      message: z.string(),
      author: z.string().nullable(),
      date: z.string().nullable(),
    }),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ repo_name, branch_name }, { deps, signal }) {
    const ref = repoRef(repo_name, deps.config);
    try {
      const { data } = await deps.github.request('GET /repos/{owner}/{repo}/branches/{branch}', {
        ...ref,
        branch: branch_name,
        request: { signal },
      });
      return {
        name: data.name,
        protected: data.protected,
        commit: {
          sha: data.commit.sha,
          url: data.commit.html_url,
          message: data.commit.commit.message,
          author: data.commit.commit.author?.name ?? null,
          date: data.commit.commit.author?.date ?? null,
        },
      };
    } catch (error) {
      if (httpStatus(error) !== 404) throw error;
      // Tell a missing branch from a missing (or invisible) repository.
      try {
        await deps.github.request('GET /repos/{owner}/{repo}', { ...ref, request: { signal } });
      } catch (repoError) {
        if (httpStatus(repoError) !== 404) throw repoError;
        throw ToolError.notFound(
          `Repository ${ref.owner}/${ref.repo} not found (or the token cannot see it)`,
          'list_repositories shows the repositories the token can reach.',
        );
      }
      throw ToolError.notFound(
        `Branch "${branch_name}" not found in ${ref.owner}/${ref.repo}`,
        'list_branches shows the branches.',
      );
    }
  },
});

export const createBranch = tool({
  name: 'create_branch',
  toolset: 'repos',
  title: 'Create branch',
  description:
    'Creates a branch from the head of source_branch (default: the default branch). An existing branch is a conflict error.',
  input: z.object({
    repo_name: RepoName,
    branch_name: BranchName,
    source_branch: z.string().min(1).max(250).nullable().optional(),
  }),
  output: z.object({
    success: z.literal(true),
    branch_name: z.string(),
    source_branch: z.string(),
    sha: z.string(),
    ref: z.string(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ repo_name, branch_name, source_branch }, { deps, signal }) {
    const ref = await repoAndBranch(deps, repo_name, source_branch);
    const { data: source } = await deps.github.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
      owner: ref.owner,
      repo: ref.repo,
      ref: `heads/${ref.branch}`,
      request: { signal },
    });
    try {
      const { data } = await deps.github.request('POST /repos/{owner}/{repo}/git/refs', {
        owner: ref.owner,
        repo: ref.repo,
        ref: `refs/heads/${branch_name}`,
        sha: source.object.sha,
        request: { signal },
      });
      return {
        success: true as const,
        branch_name,
        source_branch: ref.branch,
        sha: data.object.sha,
        ref: data.ref,
      };
    } catch (error) {
      if (
        httpStatus(error) === 422 &&
        /already exists/i.test(
          JSON.stringify((error as { response?: { data?: unknown } }).response?.data ?? ''),
        )
      ) {
        throw ToolError.conflict(`Branch "${branch_name}" already exists in ${ref.owner}/${ref.repo}`);
      }
      throw error;
    }
  },
});

const FileCommit = z.object({ sha: z.string(), message: z.string(), url: z.string() });

export const createOrUpdateFile = tool({
  name: 'create_or_update_file',
  toolset: 'repos',
  title: 'Create or update file',
  description:
    'Writes one file in one commit on a branch (default: GITHUB_DEFAULT_BRANCH or the default branch). Text content by default; encoding base64 for binary. sha of the current file is looked up when omitted; give it to refuse overwriting a newer version.',
  input: z.object({
    repo_name: RepoName,
    file_path: RepoPath,
    content: z.string().max(50_000_000),
    commit_message: z.string().min(1).max(10_000),
    branch: z.string().min(1).max(250).nullable().optional(),
    sha: z
      .string()
      .regex(/^[0-9a-f]{40}$/)
      .nullable()
      .optional()
      .describe('Blob SHA of the file being replaced'),
    encoding: z.enum(['utf-8', 'base64']).default('utf-8'),
  }),
  output: z.object({
    success: z.literal(true),
    action: z.enum(['created', 'updated']),
    file_path: z.string(),
    branch: z.string(),
    commit: FileCommit,
    content: z.object({ sha: z.string(), url: z.string().nullable() }),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async handler({ repo_name, file_path, content, commit_message, branch, sha, encoding }, { deps, signal }) {
    const ref = await repoAndBranch(deps, repo_name, branch);
    let current = sha ?? undefined;
    if (!current) {
      try {
        const { data } = await deps.github.request('GET /repos/{owner}/{repo}/contents/{path}', {
          owner: ref.owner,
          repo: ref.repo,
          path: file_path,
          ref: ref.branch,
          request: { signal },
        });
        if (Array.isArray(data) || data.type !== 'file') throw notAFile(file_path);
        current = data.sha;
      } catch (error) {
        if (httpStatus(error) !== 404) throw error;
      }
    }
    const { data } = await deps.github.request('PUT /repos/{owner}/{repo}/contents/{path}', {
      owner: ref.owner,
      repo: ref.repo,
      path: file_path,
      message: commit_message,
      content: encoding === 'base64' ? content : Buffer.from(content, 'utf8').toString('base64'),
      branch: ref.branch,
      ...(current ? { sha: current } : {}),
      request: { signal },
    });
    return {
      success: true as const,
      action: current ? ('updated' as const) : ('created' as const),
      file_path,
      branch: ref.branch,
      commit: {
        sha: data.commit.sha ?? '',
        message: data.commit.message ?? commit_message,
        url: data.commit.html_url ?? '',
      },
      content: { sha: data.content?.sha ?? '', url: data.content?.html_url ?? null },
    };
  },
});

export const deleteFile = tool({
  name: 'delete_file',
  toolset: 'repos',
  title: 'Delete file',
  description:
    'Deletes one file in one commit on a branch (default: GITHUB_DEFAULT_BRANCH or the default branch).',
  input: z.object({
    repo_name: RepoName,
    file_path: RepoPath,
    commit_message: z.string().min(1).max(10_000),
    branch: z.string().min(1).max(250).nullable().optional(),
    sha: z
      .string()
      .regex(/^[0-9a-f]{40}$/)
      .nullable()
      .optional(),
  }),
  output: z.object({
    success: z.literal(true),
    action: z.literal('deleted'),
    file_path: z.string(),
    branch: z.string(),
    commit: FileCommit,
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler({ repo_name, file_path, commit_message, branch, sha }, { deps, signal }) {
    const ref = await repoAndBranch(deps, repo_name, branch);
    let current = sha ?? undefined;
    if (!current) {
      const { data } = await deps.github.request('GET /repos/{owner}/{repo}/contents/{path}', {
        owner: ref.owner,
        repo: ref.repo,
        path: file_path,
        ref: ref.branch,
        request: { signal },
      });
      if (Array.isArray(data) || data.type !== 'file') throw notAFile(file_path);
      current = data.sha;
    }
    const { data } = await deps.github.request('DELETE /repos/{owner}/{repo}/contents/{path}', {
      owner: ref.owner,
      repo: ref.repo,
      path: file_path,
      message: commit_message,
      sha: current,
      branch: ref.branch,
      request: { signal },
    });
    return {
      success: true as const,
      action: 'deleted' as const,
      file_path,
      branch: ref.branch,
      commit: {
        sha: data.commit.sha ?? '',
        message: data.commit.message ?? commit_message,
        url: data.commit.html_url ?? '',
      },
    };
  },
});

export const commitMultipleFiles = tool({
  name: 'commit_multiple_files',
  toolset: 'repos',
  title: 'Commit several files',
  description:
    'One atomic commit of several changes (additions, updates, deletions, executable bit) through the git data API. A missing branch is created from base_branch (default: the default branch). Everything is checked before the first write (paths, duplicates, files to delete exist), so a bad request leaves nothing behind.',
  input: z.object({
    repo_name: RepoName,
    branch: BranchName,
    files: jsonish(z.array(FileChange).min(1).max(1000)).describe(
      '[{path, content?, encoding?, mode?, delete?}], as an array or a JSON string of one',
    ),
    commit_message: z.string().min(1).max(10_000),
    base_branch: z.string().min(1).max(250).nullable().optional(),
  }),
  output: z.object({
    success: z.literal(true),
    branch: z.string(),
    branch_created: z.boolean(),
    files_count: z.number(),
    commit: z.object({ sha: z.string(), message: z.string(), url: z.string(), parent: z.string() }),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  handler: ({ repo_name, branch, files, commit_message, base_branch }, { deps, signal, progress }) =>
    commitFiles(deps, {
      repoName: repo_name,
      branch,
      files,
      message: commit_message,
      baseBranch: base_branch,
      signal,
      progress,
    }),
});

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

export const repoTools = [
  listRepositories,
  getFileContent,
  getDirectoryTree,
  listBranches,
  getBranchInfo,
  createBranch,
  createOrUpdateFile,
  deleteFile,
  commitMultipleFiles,
  listCommits,
  getCommit,
];
