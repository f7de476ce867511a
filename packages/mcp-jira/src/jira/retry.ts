// The retry policy and request pacing under the Jira clients. It stands in for the shared policy of
// @org/mcp-core's HTTP module until that lands; only this file needs to change to adopt it.

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

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
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
  return IDEMPOTENT.has(m) || (m === 'POST' && READ_ONLY_POSTS.some((r) => r.test(path)));
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}

/**
 * The wait in ms before retry number `attempt` (0-based), or undefined when the request must not
 * be retried: attempts used up, a status or error that retrying cannot help, a create that may
 * have reached Jira, or a Retry-After beyond `maxWaitMs`.
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  request: { method: string; path: string },
  failure: { status?: number | undefined; code?: string | undefined; retryAfter?: string | undefined },
  random: () => number = Math.random,
): number | undefined {
  if (attempt >= policy.retries) return undefined;
  const repeatable = isRepeatable(request.method, request.path);
  if (failure.status !== undefined) {
    if (!RETRY_STATUS.has(failure.status) || !repeatable) return undefined;
  } else if (!(failure.code && (NOT_SENT.has(failure.code) || (repeatable && DROPPED.has(failure.code))))) {
    return undefined;
  }
  const backoff = random() * policy.baseMs * 2 ** attempt;
  const after = parseRetryAfter(failure.retryAfter);
  if (after === undefined) return backoff;
  const wait = after * 1000;
  if (wait > policy.maxWaitMs) return undefined;
  // A gateway's Retry-After: 0 must not turn into a tight loop.
  return Math.max(wait, backoff, 50);
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
