import { ToolError, z } from '@org/mcp-core';
import type { Deps } from './deps.js';
import { repoRef } from './github.js';
import { httpStatus, RepoPath, repoAndBranch } from './tools/shared.js';

/** One change of a multi-file commit. */
export const FileChange = z
  .object({
    path: RepoPath,
    content: z.string().max(50_000_000).optional().describe('New content (omit with delete)'),
    encoding: z.enum(['utf-8', 'base64']).default('utf-8'),
    mode: z
      .enum(['100644', '100755'])
      .optional()
      .describe('100755 makes the file executable (default: keep the current mode, else 100644)'),
    delete: z.boolean().default(false),
  })
  .refine((f) => f.delete !== (f.content !== undefined), 'give content, or delete: true, not both');
export type FileChange = z.output<typeof FileChange>;

/** What the branch's tree holds, as far as validation needs it. */
export interface TreeIndex {
  files: ReadonlyMap<string, { mode?: string | undefined }>;
  dirs: ReadonlySet<string>;
  /** GitHub cut the tree listing short: a file to delete may exist unlisted. */
  truncated: boolean;
}

/**
 * Every reason the changes cannot be committed on `branch`, checked before anything is written
 * (pure): a path listed twice, a deletion of a file that does not exist, a path that is a
 * directory, base64 content that is not base64.
 */
export function validateFileChanges(files: readonly FileChange[], tree: TreeIndex, branch: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) problems.push(`${f.path} is listed twice`);
    seen.add(f.path);
    if (f.delete && !tree.files.has(f.path) && !tree.truncated) {
      problems.push(`${f.path} does not exist on ${branch}, so it cannot be deleted`);
    }
    if (tree.dirs.has(f.path)) problems.push(`${f.path} is a directory`);
    if (
      f.encoding === 'base64' &&
      f.content !== undefined &&
      !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(f.content)
    ) {
      problems.push(`${f.path}: content is not base64`);
    }
  }
  return problems;
}

export interface CommitRequest {
  repoName: string;
  branch: string;
  files: readonly FileChange[];
  message: string;
  /** Where a missing branch starts (default: the default branch). */
  baseBranch?: string | null | undefined;
  signal: AbortSignal;
  /** Told after each step: 3 reads, one per prepared file, then tree, commit and ref. */
  progress?: (done: number, total: number, message?: string) => void;
}

/**
 * One atomic commit of several changes through the git data API: reads only (head, commit, tree)
 * until validateFileChanges passes, then blobs for binary content only (text travels inside the
 * one tree request), one tree, one commit, and the branch ref (created, or moved without force:
 * a branch that moved meanwhile is a conflict and is left as it was).
 */
export async function commitFiles(deps: Deps, request: CommitRequest) {
  const { branch, files, signal } = request;
  const total = files.length + 6;
  let done = 0;
  const step = (message: string) => request.progress?.(++done, total, message);
  const ref = repoRef(request.repoName, deps.config);
  const gh = deps.github;
  const paths = files.map((f) => f.path);
  const dup = paths.find((p, i) => paths.indexOf(p) !== i);
  if (dup) throw ToolError.validation(`${dup} is listed twice`);
  const headOf = async (name: string) =>
    (
      await gh.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
        ...ref,
        ref: `heads/${name}`,
        request: { signal },
      })
    ).data.object.sha;

  let head: string;
  let created = false;
  try {
    head = await headOf(branch);
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
    head = await headOf((await repoAndBranch(deps, request.repoName, request.baseBranch)).branch);
    created = true;
  }
  step('read the branch head');
  const { data: commit } = await gh.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', {
    ...ref,
    commit_sha: head,
    request: { signal },
  });
  step('read the head commit');
  const { data: tree } = await gh.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
    ...ref,
    tree_sha: commit.tree.sha,
    recursive: '1',
    request: { signal },
  });
  step('read the tree');
  const existing = new Map(tree.tree.filter((e) => e.type === 'blob').map((e) => [e.path!, e]));
  const index: TreeIndex = {
    files: existing,
    dirs: new Set(tree.tree.filter((e) => e.type === 'tree').map((e) => e.path!)),
    truncated: tree.truncated,
  };
  const problems = validateFileChanges(files, index, branch);
  if (problems.length > 0) throw ToolError.validation(`Nothing was committed: ${problems.join('; ')}`);

  const entries = [];
  for (const f of files) {
    const mode = f.mode ?? (existing.get(f.path)?.mode === '100755' ? '100755' : '100644');
    if (f.delete) entries.push({ path: f.path, mode: '100644' as const, type: 'blob' as const, sha: null });
    else if (f.encoding === 'base64') {
      const { data: blob } = await gh.request('POST /repos/{owner}/{repo}/git/blobs', {
        ...ref,
        content: f.content!.replace(/\s/g, ''),
        encoding: 'base64',
        request: { signal },
      });
      entries.push({ path: f.path, mode, type: 'blob' as const, sha: blob.sha });
    } else entries.push({ path: f.path, mode, type: 'blob' as const, content: f.content! });
    step(f.path);
  }
  const { data: newTree } = await gh.request('POST /repos/{owner}/{repo}/git/trees', {
    ...ref,
    base_tree: commit.tree.sha,
    tree: entries,
    request: { signal },
  });
  step('created the tree');
  const { data: newCommit } = await gh.request('POST /repos/{owner}/{repo}/git/commits', {
    ...ref,
    message: request.message,
    tree: newTree.sha,
    parents: [head],
    request: { signal },
  });
  step('created the commit');
  if (created) {
    await gh.request('POST /repos/{owner}/{repo}/git/refs', {
      ...ref,
      ref: `refs/heads/${branch}`,
      sha: newCommit.sha,
      request: { signal },
    });
  } else {
    try {
      await gh.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
        ...ref,
        ref: `heads/${branch}`,
        sha: newCommit.sha,
        force: false,
        request: { signal },
      });
    } catch (error) {
      if (httpStatus(error) !== 422) throw error;
      throw ToolError.conflict(
        `${branch} moved while committing; nothing was changed on it`,
        'Retry: the commit is rebuilt on the new head.',
      );
    }
  }
  step(created ? 'created the branch' : 'moved the branch');
  return {
    success: true as const,
    branch,
    branch_created: created,
    files_count: files.length,
    commit: { sha: newCommit.sha, message: newCommit.message, url: newCommit.html_url, parent: head },
  };
}
