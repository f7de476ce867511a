import { isRepeatable, parseRetryAfter, retryDelay, type RetryPolicy } from './retry.js';

const policy: RetryPolicy = { retries: 3, baseMs: 100, maxWaitMs: 10_000, minIntervalMs: 0 };
const get = { method: 'GET', path: '/rest/api/3/issue/ENG-1' };
const create = { method: 'POST', path: '/rest/api/3/issue' };
const search = { method: 'POST', path: '/rest/api/3/search/jql' };
const half = () => 0.5;

describe('retryDelay', () => {
  it.each([
    // mcp-core's backoff: step = base * 2^(attempt), jittered in [step/2, step]; half → 0.75 step.
    ['a read on 503', get, { status: 503 }, 0, 75],
    ['a read on 429 with Retry-After 2', get, { status: 429, retryAfter: '2' }, 0, 2000],
    ['Retry-After 0 still waits a little', get, { status: 429, retryAfter: '0' }, 0, 75],
    ['backoff doubles', get, { status: 502 }, 2, 300],
    ['a search POST on 503 (it only reads)', search, { status: 503 }, 0, 75],
    ['a create whose connection was refused (never sent)', create, { code: 'ECONNREFUSED' }, 0, 75],
    ['a read whose connection dropped', get, { code: 'ECONNRESET' }, 0, 75],
  ])('retries %s', (_name, request, failure, attempt, expected) => {
    expect(retryDelay(policy, attempt, request, failure, half)).toBe(expected);
  });

  it.each([
    ['a create on 503', create, { status: 503 }, 0],
    ['a create whose connection dropped (it may have been applied)', create, { code: 'ECONNRESET' }, 0],
    ['a create that timed out', create, { code: 'ECONNABORTED' }, 0],
    ['a read on 400', get, { status: 400 }, 0],
    ['a read on 404', get, { status: 404 }, 0],
    ['attempts used up', get, { status: 503 }, 3],
    ['a Retry-After beyond the cap', get, { status: 429, retryAfter: '11' }, 0],
    ['an unknown error code', get, { code: 'ERR_BAD_REQUEST' }, 0],
  ])('does not retry %s', (_name, request, failure, attempt) => {
    expect(retryDelay(policy, attempt, request, failure, half)).toBeUndefined();
  });

  it('isRepeatable: idempotent methods and read-only POSTs', () => {
    expect(['GET', 'PUT', 'DELETE'].every((m) => isRepeatable(m, '/x'))).toBe(true);
    expect(isRepeatable('POST', '/rest/api/3/issue')).toBe(false);
    expect(isRepeatable('post', '/rest/api/3/search/jql')).toBe(true);
  });

  it('parseRetryAfter reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
