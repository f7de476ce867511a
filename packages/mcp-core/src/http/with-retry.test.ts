import { startFakeHttpServer, sendJson, type FakeHttpServer } from '../testing/http.js';
import { ToolError } from '../errors.js';
import { createHttpClient } from './client.js';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryFailure } from './retry.js';

const policy = { ...DEFAULT_RETRY_POLICY, baseMs: 5 };

/** A bare fetch wrapped by withRetry, the way a vendor SDK's hook would be. */
async function fetchWithRetry(url: string, method: string, signal?: AbortSignal) {
  return withRetry(
    async () => {
      const response = await fetch(url, { method, ...(signal ? { signal } : {}) });
      await response.arrayBuffer();
      if (response.status >= 400) throw Object.assign(new Error(`HTTP ${response.status}`), { response });
      return response.status;
    },
    (error): RetryFailure | undefined => {
      const response = (error as { response?: Response }).response;
      return response ? { method, status: response.status, headers: response.headers } : undefined;
    },
    policy,
    signal,
    {
      giveUp: (error, info) => (info.tooLong ? new Error(`too long: ${info.tooLong.waitMs} ms`) : error),
    },
  );
}

let api: FakeHttpServer | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('withRetry', () => {
  it('retries a GET on 503 until it succeeds, and never sends a POST twice', async () => {
    api = await startFakeHttpServer((req, res) =>
      api!.requests.filter((r) => r.method === req.method).length < 3
        ? sendJson(res, 503, {})
        : sendJson(res, 200, {}),
    );
    expect(await fetchWithRetry(`${api.url}/get`, 'GET')).toBe(200);
    expect(api.requests.filter((r) => r.method === 'GET')).toHaveLength(3);
    await expect(fetchWithRetry(`${api.url}/post`, 'POST')).rejects.toThrow('HTTP 503');
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('honours Retry-After as a floor, and gives up at once on a wait over 60 s', async () => {
    api = await startFakeHttpServer((_req, res) =>
      api!.requests.length === 1
        ? sendJson(res, 429, {}, { 'retry-after': '1' })
        : api!.requests.length === 2
          ? sendJson(res, 200, {})
          : sendJson(res, 429, {}, { 'ratelimit-reset': '120' }),
    );
    await fetchWithRetry(`${api.url}/a`, 'GET');
    expect(api.requests[1]!.at - api.requests[0]!.at).toBeGreaterThanOrEqual(950);
    const t = Date.now();
    await expect(fetchWithRetry(`${api.url}/b`, 'GET')).rejects.toThrow('too long: 120000 ms');
    expect(Date.now() - t).toBeLessThan(1000);
    expect(api.requests).toHaveLength(3);
  });

  it('does not retry what classify does not name, and stops waiting when the signal aborts', async () => {
    let calls = 0;
    await expect(
      withRetry(
        () => Promise.reject(new Error(`boom ${++calls}`)),
        () => undefined,
      ),
    ).rejects.toThrow('boom 1');
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled')), 50);
    const t = Date.now();
    await expect(
      withRetry(
        () => Promise.reject(new Error('down')),
        () => ({ method: 'GET', status: 503, headers: { 'retry-after': '30' } }),
        DEFAULT_RETRY_POLICY,
        controller.signal,
      ),
    ).rejects.toThrow('cancelled');
    expect(Date.now() - t).toBeLessThan(1000);
  });
});

describe('createHttpClient: error statuses handed back, secrets scrubbed', () => {
  it('throwHttpErrors: false resolves an error status with its body, after the retries', async () => {
    api = await startFakeHttpServer((_req, res) => sendJson(res, 503, { error: 'busy' }));
    const http = createHttpClient({ baseUrl: api.url, vendor: 'Acme', retryBaseMs: 5, retries: 1 });
    const answer = await http.request<string>({
      method: 'GET',
      path: '/x',
      responseType: 'text',
      throwHttpErrors: false,
    });
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.data)).toEqual({ error: 'busy' });
    expect(api.requests).toHaveLength(2);
  });

  it('a vendor body echoing the key or a configured secret never reaches the message', async () => {
    api = await startFakeHttpServer((req, res) =>
      sendJson(res, 401, {
        message: `key ${String(req.headers['x-api-key'])} is invalid for account acct-7788`,
      }),
    );
    const http = createHttpClient({
      baseUrl: api.url,
      vendor: 'Acme',
      retries: 0,
      auth: { type: 'header', name: 'x-api-key', value: 'sk-live-123456' },
      secrets: ['acct-7788'],
      parseError: (body) => ({ message: (body as { message: string }).message }),
    });
    const error = (await http.request({ method: 'GET', path: '/' }).catch((e: unknown) => e)) as ToolError;
    expect(error).toBeInstanceOf(ToolError);
    expect(error.message).toBe('Acme: key [redacted] is invalid for account [redacted]');
  });
});
