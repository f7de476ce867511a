// Octokit, its throttling plugin and Bottleneck: loaded at the first GitHub request (see
// createGitHubClient), not at start, so that the server answers its first tools/list without them.
import { Octokit } from '@octokit/core';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';
import {
  DEFAULT_RETRY_POLICY,
  ToolError,
  createPacer,
  isNetworkError,
  pacingKey,
  withRetry,
  type Logger,
  type Pacer,
  type RetryPolicy,
} from '@org/mcp-core';
import type { Config } from './config.js';
import { httpResponse, isRateLimit, type ClientOptions } from './github.js';

const GitHub = Octokit.plugin(throttling);

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

/**
 * Octokit paced by the throttling plugin (writes, notifications and searches spaced as GitHub
 * asks) and retried by mcp-core's one retry policy: only idempotent requests, on connection
 * failures and 408/429/5xx (and GitHub's 403 rate limits), never sooner than GitHub asks and not
 * at all when it asks for more than 60 s; a POST or PATCH is never sent twice. The token never
 * reaches the log.
 */
export function createOctokit(config: Config, logger: Logger, options: ClientOptions = {}) {
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
