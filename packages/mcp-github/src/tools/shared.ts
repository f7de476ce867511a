import { decodeCursor, encodeCursor, fitToBudget, ToolError, z } from '@org/mcp-core';
import type { Deps } from '../deps.js';
import { repoRef, type RepoRef } from '../github.js';

export const RepoName = z.string().min(3).max(200).describe('Repository as owner/repo');
export const Limit = (fallback: number) =>
  z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(fallback)
    .describe(`At most this many (default ${fallback}, max 100)`);
export const Cursor = z.string().optional().describe('next_cursor of a previous call');

/** Resolves owner/repo (allowlist enforced) and the branch: given, GITHUB_DEFAULT_BRANCH, or the repository default. */
export async function repoAndBranch(
  deps: Deps,
  repoName: string,
  branch: string | null | undefined,
): Promise<RepoRef & { branch: string }> {
  const ref = repoRef(repoName, deps.config);
  if (branch) return { ...ref, branch };
  if (deps.config.GITHUB_DEFAULT_BRANCH) return { ...ref, branch: deps.config.GITHUB_DEFAULT_BRANCH };
  const { data } = await deps.github.request('GET /repos/{owner}/{repo}', ref);
  return { ...ref, branch: data.default_branch };
}

/** A path inside a repository: no leading slash, no `..` or empty segments. */
export const RepoPath = z
  .string()
  .min(1)
  .max(4096)
  .refine(
    (p) => !p.startsWith('/') && p.split('/').every((s) => s !== '' && s !== '..' && s !== '.'),
    'must be a relative path like src/index.ts',
  )
  .describe('Path in the repository, e.g. src/index.ts');

const PageCursor = z.object({ page: z.number().int().min(1), skip: z.number().int().min(0) });

/**
 * One page of a GitHub list endpoint (page/per_page with Link headers), mapped and kept within the
 * output budget; when the budget cuts a page, the cursor resumes inside it.
 */
export async function githubPage<T, U>(
  fetchPage: (
    page: number,
    perPage: number,
  ) => Promise<{ data: T[]; headers: { link?: string | undefined } }>,
  options: { limit: number; cursor: string | undefined; budget: number; map: (item: T) => U | undefined },
): Promise<{ items: U[]; truncated: boolean; next_cursor?: string }> {
  const { page, skip } = options.cursor ? decodeCursor(options.cursor, PageCursor) : { page: 1, skip: 0 };
  const { data, headers } = await fetchPage(page, options.limit);
  // Map each item once, remembering its raw position so a budget cut resumes at the right item.
  const kept: { at: number; item: U }[] = [];
  data.forEach((raw, at) => {
    if (at < skip) return;
    const item = options.map(raw);
    if (item !== undefined) kept.push({ at, item });
  });
  const mapped = kept.map((k) => k.item);
  const fit = fitToBudget(mapped, options.budget - 300);
  if (fit < mapped.length) {
    return {
      items: mapped.slice(0, fit),
      truncated: true,
      next_cursor: encodeCursor({ page, skip: kept[fit]!.at }),
    };
  }
  const hasNext = /rel="next"/.test(headers.link ?? '');
  return hasNext
    ? { items: mapped, truncated: true, next_cursor: encodeCursor({ page: page + 1, skip: 0 }) }
    : { items: mapped, truncated: false };
}

/** Branch names git accepts (a practical subset of git check-ref-format). */
export const BranchName = z
  .string()
  .min(1)
  .max(250)
  .refine(
    (b) => !/(^[./-])|([./]$)|\.\.|[\s~^:?*[\\]|@\{|\.lock$|\/\//.test(b),
    'is not a valid branch name',
  );

export function decodeText(base64: string): { text: string } | { binary: true } {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.includes(0)) return { binary: true };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.includes('\uFFFD') ? { binary: true } : { text };
}

/** Label names from GitHub's label list, whose items are names or label objects. */
export const labelNames = (labels: readonly (string | { name?: string })[]): string[] =>
  labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean);

/** Refuses a PATCH that would change nothing. */
export function requireSomeChange(fields: Record<string, unknown>): void {
  if (Object.values(fields).every((v) => v === undefined))
    throw ToolError.validation('Give at least one field to change');
}

export const notAFile = (path: string) =>
  ToolError.validation(`${path} is a directory`, 'Use get_directory_tree to list it.');

/** The HTTP status of an Octokit error, or undefined for any other failure. */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  return typeof error.status === 'number' ? error.status : undefined;
}
