// The retry policy and request pacing under the Jira clients: mcp-core's one retry policy
// (retryDecision), with what only Jira needs on top: its read-only POSTs (search) count as
// repeatable, and a request that never reached Jira (refused, DNS) may be repeated whatever it is.
// The loop itself is mcp-core's withRetry and the pacing its createPacer (see client.ts).
import {
  DEFAULT_RETRY_POLICY,
  retryDecision,
  serverWaitMs,
  type RetryFailure,
  type RetryPolicy as CorePolicy,
} from '@org/mcp-core';

/** How requests are retried and spaced. */
export interface RetryPolicy {
  /** Retries after the first attempt (JIRA_MAX_RETRIES). */
  retries: number;
  /** First backoff step in ms; doubles per attempt, with full jitter. @default 500 */
  baseMs: number;
  /** A Retry-After longer than this is not waited for: the call fails with rate_limited. @default 60000 */
  maxWaitMs: number;
  /** Minimum ms between the starts of two requests (JIRA_RATE_LIMIT_DELAY). */
  minIntervalMs: number;
}

/** Errors raised before a request could reach the server: safe to repeat even for a create. */
const NOT_SENT = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);
const DROPPED = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_SOCKET']);
/** POST endpoints that only read, so repeating them changes nothing. */
const READ_ONLY_POSTS = [
  /\/rest\/api\/3\/search\/jql$/,
  /\/rest\/api\/3\/search\/approximate-count$/,
  /\/rest\/api\/3\/issue\/bulkfetch$/,
];

/** True when repeating this request cannot change anything twice. */
export function isRepeatable(method: string, path: string): boolean {
  const m = method.toUpperCase();
  return (
    ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].includes(m) ||
    (m === 'POST' && READ_ONLY_POSTS.some((r) => r.test(path)))
  );
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const ms = serverWaitMs({ 'retry-after': value }, now);
  return ms === undefined ? undefined : ms / 1000;
}

/** Jira's settings as mcp-core's retry policy. */
export const corePolicy = (policy: RetryPolicy): CorePolicy => ({
  ...DEFAULT_RETRY_POLICY,
  retries: policy.retries,
  baseMs: policy.baseMs,
  maxWaitMs: policy.maxWaitMs,
});

/**
 * A failed request as mcp-core's retry policy reads it, or undefined when it must not be retried
 * (an error retrying cannot help). A read-only POST, or a request that never reached Jira,
 * counts as a GET: as safe to repeat.
 */
export function classifyFailure(
  request: { method: string; path: string },
  failure: { status?: number | undefined; code?: string | undefined; retryAfter?: string | undefined },
): RetryFailure | undefined {
  const network = failure.status === undefined;
  const notSent = network && failure.code !== undefined && NOT_SENT.has(failure.code);
  const dropped = network && failure.code !== undefined && DROPPED.has(failure.code);
  if (network && !notSent && !dropped) return undefined;
  return {
    method: notSent || isRepeatable(request.method, request.path) ? 'GET' : request.method,
    ...(network ? { networkError: true } : { status: failure.status! }),
    headers: failure.retryAfter ? { 'retry-after': failure.retryAfter } : {},
  };
}

/**
 * The wait in ms before retry number `attempt` (0-based), or undefined when the request must not
 * be retried: attempts used up, a status or error that retrying cannot help, a create that may
 * have reached Jira, or a Retry-After beyond `maxWaitMs` (mcp-core's retryDecision decides).
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  request: { method: string; path: string },
  failure: { status?: number | undefined; code?: string | undefined; retryAfter?: string | undefined },
  random: () => number = Math.random,
): number | undefined {
  const classified = classifyFailure(request, failure);
  if (!classified) return undefined;
  const decision = retryDecision(
    { ...classified, attempt: attempt + 1 },
    corePolicy(policy),
    Date.now(),
    random,
  );
  return decision.retry ? decision.waitMs : undefined;
}
