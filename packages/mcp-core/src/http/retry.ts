// The one retry policy of every server that talks HTTP (ky here; Octokit and jira.js through
// these pieces): which requests may be repeated, after how long, and when to stop waiting.
import { sleep } from './sleep.js';

/** Methods that are safe to send twice; a POST or PATCH is never retried (a create must not happen twice). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
/** Statuses worth another try: request timeout, rate limits, and the transient server errors. */
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** True for GET, HEAD, PUT, DELETE and OPTIONS. */
export const isIdempotentMethod = (method: string): boolean => IDEMPOTENT.has(method.toUpperCase());

/** True for 408, 429, 500, 502, 503 and 504. */
export const isRetryableStatus = (status: number): boolean => RETRYABLE_STATUS.has(status);

/** The retry settings of one client. */
export interface RetryPolicy {
  /** Retries after the first attempt. @default 2 */
  retries: number;
  /** First backoff step. @default 500 */
  baseMs: number;
  /** Largest backoff step (before a server-named wait). @default 10000 */
  capMs: number;
  /** A server-named wait longer than this is not waited for: the call answers rate_limited. @default 60000 */
  maxWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 2,
  baseMs: 500,
  capMs: 10_000,
  maxWaitMs: 60_000,
};

type HeaderSource = Headers | Record<string, string | number | undefined | null>;
const header = (headers: HeaderSource, name: string): string | undefined => {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const found = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
  return found?.[1] === undefined || found[1] === null ? undefined : String(found[1]);
};

/**
 * How long the server asked us to wait, in ms, from `Retry-After` (seconds or an HTTP date),
 * `RateLimit-Reset` (seconds from now, unless `RateLimit-Remaining` says quota is left) or
 * `x-ratelimit-reset` (epoch seconds, when the quota is spent: `x-ratelimit-remaining: 0`);
 * undefined when it named no wait. Never negative.
 */
export function serverWaitMs(headers: HeaderSource, now = Date.now()): number | undefined {
  const retryAfter = header(headers, 'retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.max(0, Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  // IETF RateLimit-* headers come on every answer: the reset is a wait only once the quota is
  // spent (or when no remaining count is given), not on a 503 with requests left.
  const reset = header(headers, 'ratelimit-reset')?.trim();
  const remaining = header(headers, 'ratelimit-remaining')?.trim();
  if (reset && /^\d+$/.test(reset) && (remaining === undefined || remaining === '0'))
    return Number(reset) * 1000;
  const epoch = header(headers, 'x-ratelimit-reset')?.trim();
  if (epoch && /^\d+$/.test(epoch) && header(headers, 'x-ratelimit-remaining')?.trim() === '0') {
    return Math.max(0, Number(epoch) * 1000 - now);
  }
  return undefined;
}

/** Exponential backoff with full jitter for retry `attempt` (1-based), capped. */
export function backoffMs(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseMs' | 'capMs'>,
  random = Math.random,
): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * The decision after a failed attempt: wait this long and retry, give up (`retry: false`), or
 * answer at once because the server asks for a wait beyond `maxWaitMs` (`tooLong`, with the
 * wait). A server-named wait is a floor (never retry sooner), and at least one backoff step so
 * that `Retry-After: 0` cannot become a tight loop.
 */
export function retryDecision(
  input: { method: string; attempt: number; status?: number; headers?: HeaderSource; networkError?: boolean },
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  now = Date.now(),
  random = Math.random,
): { retry: true; waitMs: number } | { retry: false; tooLong?: { waitMs: number } } {
  const named = input.headers ? serverWaitMs(input.headers, now) : undefined;
  if (named !== undefined && named > policy.maxWaitMs) return { retry: false, tooLong: { waitMs: named } };
  const retryable =
    input.networkError === true || (input.status !== undefined && isRetryableStatus(input.status));
  if (!retryable || !isIdempotentMethod(input.method) || input.attempt > policy.retries)
    return { retry: false };
  return { retry: true, waitMs: Math.max(named ?? 0, backoffMs(input.attempt, policy, random)) };
}

/** What a failed attempt was, as the retry policy reads it; undefined from `classify`: do not retry. */
export interface RetryFailure {
  method: string;
  status?: number;
  headers?: HeaderSource;
  /** The server was not reached or did not answer (refused, reset, timed out). */
  networkError?: boolean;
}

/** Optional hooks of withRetry. */
export interface RetryHooks {
  /** Called before each wait (for a log line). */
  onRetry?(info: { error: unknown; attempt: number; waitMs: number }): void;
  /**
   * Turns the last failure into what is thrown; `tooLong` when the server asked for a wait
   * beyond `maxWaitMs`. @default the failure itself
   */
  giveUp?(error: unknown, info: { attempt: number; tooLong?: { waitMs: number } }): unknown;
}

/**
 * Runs `attempt(1)`, `attempt(2)`, … until one resolves, under the retry policy: after a failure,
 * `classify` says what it was (or undefined: not retryable) and retryDecision whether and when to
 * try again (idempotent methods only, never sooner than the server asked, never a wait beyond
 * `maxWaitMs`). A failure after `signal` aborted is thrown as it is; the waits end with the signal.
 */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  classify: (error: unknown, n: number) => RetryFailure | undefined,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  signal?: AbortSignal,
  hooks: RetryHooks = {},
): Promise<T> {
  for (let n = 1; ; n++) {
    signal?.throwIfAborted();
    try {
      return await attempt(n);
    } catch (error) {
      if (signal?.aborted) throw error;
      const failure = classify(error, n);
      const decision = failure
        ? retryDecision({ ...failure, attempt: n }, policy)
        : { retry: false as const };
      if (!decision.retry) {
        if (!hooks.giveUp) throw error;
        throw hooks.giveUp(error, { attempt: n, ...(decision.tooLong ? { tooLong: decision.tooLong } : {}) });
      }
      hooks.onRetry?.({ error, attempt: n, waitMs: decision.waitMs });
      await sleep(decision.waitMs, signal);
    }
  }
}
