import { Octokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';
import { ToolError, type Logger } from '@org/mcp-core';
import type { Config } from './config.js';

const GitHub = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof GitHub>;

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

export interface ClientOptions {
  /** Scale of retry waits in ms (tests shrink it). @default 1000 */
  retryBaseMs?: number;
  /**
   * Pause between two writes (default 1 s), two writes that notify people such as a new issue
   * (default 3 s) and two searches (default 2 s), as GitHub asks of integrations; tests set 0.
   */
  writeIntervalMs?: number;
}

/**
 * Octokit with the official retry and throttling plugins. Only idempotent requests (GET, HEAD,
 * PUT, DELETE) are retried, on 5xx and on rate limits whose wait is at most 60 s, once; a POST or
 * PATCH is never sent twice. The token never reaches the log.
 */
export function createGitHubClient(
  config: Config,
  logger: Logger,
  options: ClientOptions = {},
): GitHubClient {
  const base = options.retryBaseMs ?? 1000;
  const octokit = new GitHub({
    auth: config.GITHUB_PERSONAL_ACCESS_TOKEN,
    baseUrl: config.GITHUB_API_URL.replace(/\/+$/, ''),
    userAgent: 'org-mcp-github',
    request: { timeout: config.GITHUB_TIMEOUT_SECONDS * 1000 },
    retry: { retries: 2, retryAfterBaseValue: base },
    throttle: {
      retryAfterBaseValue: base,
      ...(options.writeIntervalMs === undefined
        ? {}
        : {
            write: new Bottleneck.Group({
              id: 'org-mcp-github-write',
              maxConcurrent: 1,
              minTime: options.writeIntervalMs,
            }),
            notifications: new Bottleneck.Group({
              id: 'org-mcp-github-notify',
              maxConcurrent: 1,
              minTime: options.writeIntervalMs,
            }),
          }),
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: (
        retryAfter: number,
        opts: { method: string; url: string },
        _o: unknown,
        retryCount: number,
      ) => {
        logger.warn({ retryAfter, method: opts.method, url: opts.url }, 'GitHub primary rate limit reached');
        return retryCount < 1 && retryAfter <= 60 && IDEMPOTENT.has(opts.method);
      },
      onSecondaryRateLimit: (
        retryAfter: number,
        opts: { method: string; url: string },
        _o: unknown,
        retryCount: number,
      ) => {
        logger.warn(
          { retryAfter, method: opts.method, url: opts.url },
          'GitHub secondary rate limit reached',
        );
        return retryCount < 1 && retryAfter <= 60 && IDEMPOTENT.has(opts.method);
      },
    },
  });
  octokit.hook.before('request', (req) => {
    if (!IDEMPOTENT.has(req.method)) req.request = { ...req.request, retries: 0 } as typeof req.request;
  });
  return octokit;
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
  if (!isRequestError(error)) {
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
  if (
    status === 429 ||
    (status === 403 &&
      (String(headers['x-ratelimit-remaining']) === '0' || headers['retry-after'] !== undefined))
  ) {
    const reset = Number(headers['x-ratelimit-reset']);
    const retryAfter = Number(headers['retry-after']);
    const when =
      retryAfter > 0
        ? `in ${retryAfter} s`
        : reset > 0
          ? `at ${new Date(reset * 1000).toISOString()}`
          : 'later';
    return new ToolError('rate_limited', message, {
      statusCode: status,
      retryable: true,
      hint: `GitHub rate limit; retry ${when}.`,
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
