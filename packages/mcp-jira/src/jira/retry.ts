// The retry policy and request pacing under the Jira clients: mcp-core's one retry policy
// (retryDecision), with what only Jira needs on top: its read-only POSTs (search) count as
// repeatable, and a request that never reached Jira (refused, DNS) may be repeated whatever it is.
import { DEFAULT_RETRY_POLICY, retryDecision, serverWaitMs } from '@org/mcp-core';

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
  const network = failure.status === undefined;
  const notSent = network && failure.code !== undefined && NOT_SENT.has(failure.code);
  const dropped = network && failure.code !== undefined && DROPPED.has(failure.code);
  if (network && !notSent && !dropped) return undefined;
  // A read-only POST, or a request that never reached Jira, is as safe to repeat as a GET.
  const method = notSent || isRepeatable(request.method, request.path) ? 'GET' : request.method;
  const decision = retryDecision(
    {
      method,
      attempt: attempt + 1,
      ...(network ? { networkError: true } : { status: failure.status! }),
      headers: failure.retryAfter ? { 'retry-after': failure.retryAfter } : {},
    },
    { ...DEFAULT_RETRY_POLICY, retries: policy.retries, baseMs: policy.baseMs, maxWaitMs: policy.maxWaitMs },
    Date.now(),
    random,
  );
  return decision.retry ? decision.waitMs : undefined;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A pacer: each call resolves no sooner than `minIntervalMs` after the previous call resolved, in
 * call order, on the monotonic clock (the original used the wall clock and no lock).
 */
export function createPacer(minIntervalMs: number): (signal?: AbortSignal) => Promise<void> {
  let next = 0;
  return async (signal) => {
    if (minIntervalMs <= 0) return;
    const now = performance.now();
    const at = Math.max(now, next);
    next = at + minIntervalMs;
    if (at > now) await sleep(at - now, signal);
  };
}
