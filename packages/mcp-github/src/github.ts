import type { Octokit } from '@octokit/core';
import { ToolError, isNetworkError, serverWaitMs, type Logger, type PacerRedis } from '@org/mcp-core';
import type { Config } from './config.js';

/** What the tools use of Octokit: `request`, with Octokit's route types. */
export interface GitHubClient {
  request: Octokit['request'];
}

export interface ClientOptions {
  /** Scale of retry waits in ms (tests shrink it). @default 500 */
  retryBaseMs?: number;
  /**
   * Pause between two writes (default 1 s), two writes that notify people such as a new issue
   * (default 3 s) and two searches (default 2 s), as GitHub asks of integrations; tests set 0.
   */
  writeIntervalMs?: number;
  /**
   * Keep those pauses through Redis, per token, across every instance that shares it (instead of
   * per process, by the throttling plugin).
   */
  sharedPacing?: { redis: PacerRedis | PromiseLike<PacerRedis>; onUnavailable?(error: unknown): void };
}

type Headers = Record<string, string | number | undefined>;

/** The response of an Octokit RequestError, when GitHub answered (a guard, not a cast). */
export const httpResponse = (error: unknown): { status: number; headers: Headers } | undefined => {
  const response =
    typeof error === 'object' && error !== null ? (error as { response?: unknown }).response : undefined;
  if (typeof response !== 'object' || response === null) return undefined;
  const { status, headers } = response as { status?: unknown; headers?: unknown };
  return typeof status === 'number' && typeof headers === 'object' && headers !== null
    ? { status, headers: headers as Headers }
    : undefined;
};

/** GitHub answers a spent quota or a secondary rate limit with 403 as well as 429. */
export const isRateLimit = (status: number | undefined, headers: Headers) =>
  status === 429 ||
  (status === 403 &&
    (String(headers['x-ratelimit-remaining']) === '0' || headers['retry-after'] !== undefined));

/**
 * The GitHub client of the tools: Octokit paced and retried as octokit.ts builds it, imported and
 * built at the first request, so that a start answers initialize and tools/list without
 * evaluating Octokit. Only `request` is offered (all the tools use).
 */
export function createGitHubClient(
  config: Config,
  logger: Logger,
  options: ClientOptions = {},
): GitHubClient {
  let octokit: Promise<{ request: Octokit['request'] }> | undefined;
  const load = () =>
    (octokit ??= import('./octokit.js').then(({ createOctokit }) => createOctokit(config, logger, options)));
  const request = (async (route: string, parameters?: Record<string, unknown>) =>
    (await load()).request(route, parameters)) as Octokit['request'];
  return { request };
}

/** A parsed `owner/repo`, checked against GITHUB_ALLOWED_REPOS. */
// A type alias (not an interface) so it spreads into Octokit's indexed request parameters.
export type RepoRef = { owner: string; repo: string };

/** Matches owner/repo against globs (`*` within a segment), case-insensitively as GitHub does. */
export function allowedBy(globs: readonly string[] | undefined, fullName: string): boolean {
  if (!globs || globs.length === 0) return true;
  return globs.some((glob) => {
    const pattern = glob
      .toLowerCase()
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*');
    return new RegExp(`^${pattern}$`).test(fullName.toLowerCase());
  });
}

/** Parses "owner/repo" and enforces the allowlist before any request is made. */
export function repoRef(fullName: string, config: Config): RepoRef {
  const match = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(fullName.trim());
  if (!match) throw ToolError.validation(`"${fullName}" is not a repository name like owner/repo`);
  if (!allowedBy(config.GITHUB_ALLOWED_REPOS, `${match[1]}/${match[2]}`)) {
    throw new ToolError('forbidden', `${match[1]}/${match[2]} is not in GITHUB_ALLOWED_REPOS`, {
      hint: `Allowed: ${config.GITHUB_ALLOWED_REPOS!.join(', ')}`,
    });
  }
  return { owner: match[1]!, repo: match[2]! };
}

interface RequestErrorLike {
  name: string;
  status: number;
  message: string;
  response?: { headers: Record<string, string | number | undefined>; data?: unknown };
}

const isRequestError = (error: unknown): error is RequestErrorLike =>
  error instanceof Error &&
  error.name === 'HttpError' &&
  typeof (error as { status?: unknown }).status === 'number';

/** The envelope for a GitHub API failure; undefined for anything that is not one. */
export function toToolError(error: unknown): ToolError | undefined {
  // Octokit reports a failed fetch as a RequestError with status 500 and no response.
  if (!isRequestError(error) || !error.response) {
    if (isNetworkError(error) || isNetworkError((error as { cause?: unknown })?.cause)) {
      return new ToolError('connection', 'Could not reach the GitHub API', {
        hint: 'Check GITHUB_API_URL and the network.',
      });
    }
    if (error instanceof Error && /timeout|ETIMEDOUT|aborted/i.test(error.message)) {
      return new ToolError('timeout', 'GitHub did not answer in time', {
        hint: 'Retry, or raise GITHUB_TIMEOUT_SECONDS.',
      });
    }
    if (
      error instanceof Error &&
      /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|fetch failed/i.test(error.message)
    ) {
      return new ToolError('connection', 'Could not reach the GitHub API', {
        hint: 'Check GITHUB_API_URL and the network.',
      });
    }
    return undefined;
  }
  const data = error.response?.data as
    | { message?: string; errors?: { message?: string; code?: string; field?: string }[] }
    | undefined;
  const details = (data?.errors ?? [])
    .map((e) => e.message ?? [e.field, e.code].filter(Boolean).join(' '))
    .filter(Boolean)
    .join('; ');
  const message = `GitHub: ${data?.message ?? error.message}${details ? ` (${details})` : ''}`;
  const headers = error.response?.headers ?? {};
  const status = error.status;
  if (status === 401)
    return new ToolError('unauthorized', message, {
      statusCode: 401,
      hint: 'Check GITHUB_PERSONAL_ACCESS_TOKEN.',
    });
  if (isRateLimit(status, headers)) {
    const waitMs = serverWaitMs(headers);
    const retryAfterS = waitMs === undefined ? undefined : Math.ceil(waitMs / 1000);
    return new ToolError('rate_limited', message, {
      statusCode: status,
      retryable: true,
      ...(retryAfterS === undefined ? {} : { retryAfterS }),
      hint: `GitHub rate limit; retry ${retryAfterS === undefined ? 'later' : `in ${retryAfterS} s`}.`,
    });
  }
  if (status === 403)
    return new ToolError('forbidden', message, {
      statusCode: 403,
      hint: 'The token lacks access or a scope for this.',
    });
  if (status === 404) return new ToolError('not_found', message, { statusCode: 404 });
  if (status === 409) return new ToolError('conflict', message, { statusCode: 409 });
  if (status === 422) return new ToolError('validation', message, { statusCode: 422 });
  return new ToolError('http_error', message, { statusCode: status });
}
