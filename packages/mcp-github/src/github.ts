import { Octokit } from '@octokit/core';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';
import {
  DEFAULT_RETRY_POLICY,
  ToolError,
  createPacer,
  isNetworkError,
  pacingKey,
  serverWaitMs,
  withRetry,
  type Logger,
  type Pacer,
  type PacerRedis,
  type RetryPolicy,
} from '@org/mcp-core';
import type { Config } from './config.js';

const GitHub = Octokit.plugin(throttling);
export type GitHubClient = InstanceType<typeof GitHub>;

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
const httpResponse = (error: unknown): { status: number; headers: Headers } | undefined => {
  const response =
    typeof error === 'object' && error !== null ? (error as { response?: unknown }).response : undefined;
  if (typeof response !== 'object' || response === null) return undefined;
  const { status, headers } = response as { status?: unknown; headers?: unknown };
  return typeof status === 'number' && typeof headers === 'object' && headers !== null
    ? { status, headers: headers as Headers }
    : undefined;
};

/** A throttling-plugin group that does not pause (the shared pacers do instead). */
const unpaced = (name: string) =>
  new Bottleneck.Group({ id: `org-mcp-github-${name}`, maxConcurrent: null, minTime: 0 });

/**
 * The pauses GitHub asks of integrations, per token and shared through Redis: 1 s between
 * writes (GraphQL counts as one), 3 s between writes that notify people, 2 s between searches.
 * Answers the pacers a request passes, in order.
 */
function sharedPacers(config: Config, options: ClientOptions): (method: string, url: string) => Pacer[] {
  const shared = options.sharedPacing!;
  const token = config.GITHUB_PERSONAL_ACCESS_TOKEN;
  const pacer = (kind: string, ms: number) =>
    createPacer(ms, {
      shared: {
        redis: shared.redis,
        key: pacingKey(`github:${kind}`, token),
        ...(shared.onUnavailable ? { onUnavailable: shared.onUnavailable } : {}),
      },
    });
  const write = pacer('write', options.writeIntervalMs ?? 1000);
  const notify = pacer('notify', options.writeIntervalMs ?? 3000);
  const search = pacer('search', 2000);
  return (method, url) => {
    const path = new URL(url, 'http://github.test').pathname;
    const isWrite = method !== 'GET' && method !== 'HEAD';
    if (method === 'GET' && path.startsWith('/search/')) return [search];
    if (!isWrite && !path.startsWith('/graphql')) return [];
    return isWrite && throttling.triggersNotification(path) ? [write, notify] : [write];
  };
}

/** GitHub answers a spent quota or a secondary rate limit with 403 as well as 429. */
const isRateLimit = (status: number | undefined, headers: Headers) =>
  status === 429 ||
  (status === 403 &&
    (String(headers['x-ratelimit-remaining']) === '0' || headers['retry-after'] !== undefined));

/**
 * Octokit paced by the throttling plugin (writes, notifications and searches spaced as GitHub
 * asks) and retried by mcp-core's one retry policy: only idempotent requests, on connection
 * failures and 408/429/5xx (and GitHub's 403 rate limits), never sooner than GitHub asks and not
 * at all when it asks for more than 60 s; a POST or PATCH is never sent twice. The token never
 * reaches the log.
 */
export function createGitHubClient(
  config: Config,
  logger: Logger,
  options: ClientOptions = {},
): GitHubClient {
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    baseMs: options.retryBaseMs ?? DEFAULT_RETRY_POLICY.baseMs,
  };
  const shared = options.sharedPacing ? sharedPacers(config, options) : undefined;
  const octokit = new GitHub({
    auth: config.GITHUB_PERSONAL_ACCESS_TOKEN,
    baseUrl: config.GITHUB_API_URL.replace(/\/+$/, ''),
    userAgent: 'org-mcp-github',
    throttle: {
      // With shared pacers the plugin's own pauses are off (they would add a second wait).
      ...(shared
        ? { write: unpaced('write'), notifications: unpaced('notify'), search: unpaced('search') }
        : {}),
      ...(shared || options.writeIntervalMs === undefined
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
      // Rate limits are retried below, by the shared policy, not by the plugin.
      onRateLimit: () => false,
      onSecondaryRateLimit: () => false,
    },
  });
  const timeoutMs = config.GITHUB_TIMEOUT_SECONDS * 1000;
  octokit.hook.wrap('request', async (request, requestOptions) => {
    const method = String(requestOptions.method).toUpperCase();
    const caller = requestOptions.request?.signal as AbortSignal | undefined;
    const pace = shared?.(method, String(requestOptions.url));
    let timeout: AbortSignal | undefined; // the current attempt's
    return withRetry(
      async () => {
        if (pace) for (const p of pace) await p(caller);
        // Octokit has no timeout of its own (`request.timeout` is ignored): one signal per attempt.
        // It is set on requestOptions itself, the object inner hooks (auth) are bound to; an
        // object passed to `request` instead would be ignored by them.
        timeout = AbortSignal.timeout(timeoutMs);
        requestOptions.request = {
          ...requestOptions.request,
          signal: caller ? AbortSignal.any([caller, timeout]) : timeout,
        };
        return request(requestOptions);
      },
      (error) => {
        const timedOut = timeout?.aborted === true;
        const response = timedOut ? undefined : httpResponse(error);
        const headers = response?.headers ?? {};
        const status = response?.status;
        return {
          method,
          ...(status === undefined ? { networkError: timedOut || isNetworkError(error) } : {}),
          ...(status !== undefined ? { status: isRateLimit(status, headers) ? 429 : status } : {}),
          headers,
        };
      },
      policy,
      caller,
      {
        onRetry: ({ error, waitMs }) =>
          logger.warn(
            {
              method,
              url: requestOptions.url,
              status: httpResponse(error)?.status,
              timedOut: timeout?.aborted === true,
              waitMs,
            },
            'GitHub request retried',
          ),
        giveUp: (error) =>
          timeout?.aborted === true
            ? new ToolError('timeout', `GitHub did not answer within ${config.GITHUB_TIMEOUT_SECONDS} s`, {
                hint: 'Retry, or raise GITHUB_TIMEOUT_SECONDS.',
              })
            : error,
      },
    );
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
