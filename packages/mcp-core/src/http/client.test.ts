import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../logger.js';
import { ToolError } from '../errors.js';
import { createHttpClient, type HttpClientOptions } from './client.js';
import { retryDecision, serverWaitMs } from './retry.js';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number, body: string) => void;
interface Local {
  url: string;
  hits: { method: string; path: string; at: number; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

async function serve(handler: Handler): Promise<Local> {
  const hits: Local['hits'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hits.push({ method: req.method!, path: req.url!, at: Date.now(), headers: req.headers });
      handler(req, res, hits.length, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

let local: Local | undefined;
afterEach(async () => {
  await local?.close();
  local = undefined;
});
const client = (extra: Partial<HttpClientOptions> = {}) =>
  createHttpClient({ baseUrl: local!.url, vendor: 'Acme', retryBaseMs: 5, ...extra });
const failureOf = async (p: Promise<unknown>) => {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolError);
  return (error as ToolError).toEnvelope();
};

describe('createHttpClient against misbehaving local servers', () => {
  it('retries a GET on 503 and returns the success that follows', async () => {
    local = await serve((_req, res, n) =>
      n < 3 ? json(res, 503, { message: 'busy' }) : json(res, 200, { ok: true }),
    );
    const res = await client().request<{ ok: boolean }>({
      method: 'GET',
      path: '/things',
      query: { a: 1, b: [2, 3] },
    });
    expect(res.data).toEqual({ ok: true });
    expect(local.hits.map((h) => h.path)).toEqual(Array(3).fill('/things?a=1&b=2&b=3'));
  });

  it('a 503 carrying rate-limit headers with quota left is retried (the reset is not a wait)', async () => {
    // IETF RateLimit-* and GitHub's x-ratelimit-* come on every answer; only a spent quota or a
    // 429 makes the reset a wait. Here the window resets in an hour but 4000 requests are left.
    local = await serve((_req, res, n) =>
      n === 1
        ? json(res, 503, { message: 'busy' }, { 'ratelimit-reset': '3600', 'ratelimit-remaining': '4000' })
        : json(res, 200, { ok: true }),
    );
    expect((await client().request({ method: 'GET', path: '/x' })).data).toEqual({ ok: true });
    expect(local.hits).toHaveLength(2);
  });

  it('sends a POST that fails with 502 exactly once', async () => {
    local = await serve((_req, res) => json(res, 502, { message: 'bad gateway' }));
    const envelope = await failureOf(client().request({ method: 'POST', path: '/create', json: { a: 1 } }));
    expect(envelope).toMatchObject({ type: 'http_error', status_code: 502, retryable: true });
    expect(local.hits).toHaveLength(1);
  });

  it('waits at least what Retry-After asks (seconds), and Retry-After: 0 is not a tight loop', async () => {
    local = await serve((_req, res, n) =>
      n === 1
        ? json(res, 429, {}, { 'retry-after': '1' })
        : n === 2
          ? json(res, 429, {}, { 'retry-after': '0' })
          : json(res, 200, {}),
    );
    await client().request({ method: 'GET', path: '/x' });
    const [a, b, c] = local.hits.map((h) => h.at);
    expect(b! - a!).toBeGreaterThanOrEqual(950);
    expect(c! - b!).toBeGreaterThanOrEqual(2); // at least one backoff step
  });

  it('answers rate_limited at once, with retry_after_s, when the wait is beyond the bound (every header form)', async () => {
    const forms: Record<string, string>[] = [
      { 'retry-after': '3600' },
      { 'retry-after': new Date(Date.now() + 7200_000).toUTCString() },
      { 'ratelimit-reset': '900' },
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1800) },
    ];
    for (const headers of forms) {
      local = await serve((_req, res) => json(res, 429, { message: 'slow down' }, headers));
      const started = Date.now();
      const envelope = await failureOf(client().request({ method: 'GET', path: '/x' }));
      expect(Date.now() - started).toBeLessThan(1000);
      expect(envelope).toMatchObject({ type: 'rate_limited', retryable: true, status_code: 429 });
      expect(envelope.retry_after_s).toBeGreaterThan(800);
      expect(envelope.hint).toMatch(/retry in \d+ s/);
      expect(local.hits).toHaveLength(1);
      await local.close();
      local = undefined;
    }
  });

  it('maps a refused connection to connection, and a slow answer to timeout after the retries', async () => {
    local = await serve(() => undefined);
    const port = new URL(local.url).port;
    await local.close();
    local = undefined;
    const refused = createHttpClient({ baseUrl: `http://127.0.0.1:${port}`, vendor: 'Acme', retryBaseMs: 5 });
    expect(await failureOf(refused.request({ method: 'GET', path: '/' }))).toMatchObject({
      type: 'connection',
      retryable: true,
    });
    local = await serve((_req, res) => setTimeout(() => json(res, 200, {}), 2000).unref());
    const envelope = await failureOf(
      client({ timeoutMs: 100, retries: 1 }).request({ method: 'GET', path: '/slow' }),
    );
    expect(envelope).toMatchObject({ type: 'timeout', retryable: true });
    expect(local.hits).toHaveLength(2);
  });

  it('retries a GET after a connection reset', async () => {
    local = await serve((req, res, n) => (n === 1 ? req.socket.destroy() : json(res, 200, { n })));
    expect((await client().request<{ n: number }>({ method: 'GET', path: '/' })).data).toEqual({ n: 2 });
  });

  it('a cancelled call cancels its request and is not retried', async () => {
    local = await serve((_req, res) => setTimeout(() => json(res, 200, {}), 3000).unref());
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DOMException('cancelled', 'AbortError')), 50);
    const error = await client()
      .request({ method: 'GET', path: '/', signal: controller.signal })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    await new Promise((r) => setTimeout(r, 300));
    // Sent once at most (it may be cancelled before the server has read it), never again.
    expect(local.hits.length).toBeLessThanOrEqual(1);
  });

  it('maps statuses by kind with the vendor message, and never shows HTML or a stack trace', async () => {
    const cases: [number, unknown, string][] = [
      [400, { errorMessages: ['Field x is bad'], errors: { summary: 'required' } }, 'validation'],
      [401, { message: 'no' }, 'unauthorized'],
      [403, { message: 'no' }, 'forbidden'],
      [404, '<html><body>Not here</body></html>', 'not_found'],
      [409, { message: 'clash' }, 'conflict'],
      [422, { message: 'bad' }, 'validation'],
      [500, 'Traceback (most recent call last):\n  File "x.py", line 1\nBoom', 'http_error'],
    ];
    for (const [status, body, type] of cases) {
      local = await serve((_req, res) => {
        res.writeHead(status, {
          'content-type': typeof body === 'string' ? 'text/html' : 'application/json',
        });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      });
      const envelope = await failureOf(
        client({
          retries: 0,
          parseError: (b) => {
            const v = b as { errorMessages?: string[]; errors?: Record<string, string>; message?: string };
            return typeof b === 'object'
              ? { message: v.errorMessages?.join('; ') ?? v.message, fields: v.errors }
              : undefined;
          },
        }).request({ method: 'GET', path: '/' }),
      );
      expect(envelope).toMatchObject({ type, status_code: status });
      expect(envelope.error).toMatch(/^Acme: /);
      expect(envelope.error).not.toMatch(/<html|Traceback|File "/);
      if (status === 400) expect(envelope.error).toBe('Acme: Field x is bad; summary: required');
      await local.close();
      local = undefined;
    }
  });

  it('injects auth (basic, bearer, custom scheme) and never logs or shows it', async () => {
    const lines: string[] = [];
    const { logger, flush } = await createLogger({
      name: 't',
      level: 'trace',
      writeStderr: (l) => lines.push(l),
    });
    local = await serve((_req, res) => json(res, 401, { message: 'bad credentials' }));
    const auths = [
      { type: 'basic' as const, username: 'me@example.com', password: 'sekret-pw-123' },
      { type: 'bearer' as const, token: 'tok-abc-987' },
      { type: 'header' as const, name: 'Authorization', value: 'token key1:secret2' },
    ];
    for (const auth of auths) {
      const envelope = await failureOf(
        client({ auth, logger, retries: 0 }).request({ method: 'GET', path: '/me' }),
      );
      expect(JSON.stringify(envelope)).not.toMatch(/sekret|tok-abc|secret2/);
    }
    await flush();
    expect(local.hits.map((h) => h.headers.authorization)).toEqual([
      `Basic ${Buffer.from('me@example.com:sekret-pw-123').toString('base64')}`,
      'Bearer tok-abc-987',
      'token key1:secret2',
    ]);
    expect(lines.join('')).not.toMatch(/sekret|tok-abc|secret2|Basic /);
  });

  it('keeps a minimum interval between requests without a busy wait', async () => {
    local = await serve((_req, res) => json(res, 200, {}));
    const http = client({ minIntervalMs: 100 });
    const cpu = process.cpuUsage();
    await Promise.all([0, 1, 2, 3].map(() => http.request({ method: 'GET', path: '/' })));
    const used = process.cpuUsage(cpu);
    const at = local.hits.map((h) => h.at).sort((a, b) => a - b);
    // Server-side receipt times jitter under load; the span of four paced starts cannot be shorter than 3 intervals.
    expect(at.at(-1)! - at[0]!).toBeGreaterThanOrEqual(280);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(50);
    expect((used.user + used.system) / 1000).toBeLessThan(250); // ~300 ms elapsed, mostly idle
  });

  it('refuses a response body over the limit', async () => {
    local = await serve((_req, res) => json(res, 200, { big: 'x'.repeat(5000) }));
    expect(
      await failureOf(client({ maxResponseBytes: 1000 }).request({ method: 'GET', path: '/' })),
    ).toMatchObject({
      type: 'http_error',
      retryable: false,
    });
  });
});

describe('the retry policy', () => {
  it('reads every wait form and never retries a POST or PATCH', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    expect(serverWaitMs(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(serverWaitMs(new Headers({ 'retry-after': 'Tue, 01 Dec 2026 00:00:30 GMT' }), now)).toBe(30_000);
    expect(serverWaitMs(new Headers({ 'ratelimit-reset': '7' }), now)).toBe(7000);
    expect(
      serverWaitMs({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 5) }, now),
    ).toBe(5000);
    expect(
      serverWaitMs({ 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': String(now / 1000 + 5) }, now),
    ).toBeUndefined();
    for (const method of ['POST', 'PATCH']) {
      expect(retryDecision({ method, attempt: 1, status: 503 })).toEqual({ retry: false });
      expect(retryDecision({ method, attempt: 1, networkError: true })).toEqual({ retry: false });
    }
    for (const status of [408, 429, 500, 502, 503, 504]) {
      expect(retryDecision({ method: 'PUT', attempt: 1, status })).toMatchObject({ retry: true });
    }
    expect(retryDecision({ method: 'GET', attempt: 1, status: 501 })).toEqual({ retry: false });
    expect(retryDecision({ method: 'GET', attempt: 3, status: 503 })).toEqual({ retry: false });
    const waits = Array.from({ length: 50 }, () => retryDecision({ method: 'GET', attempt: 2, status: 503 }));
    for (const w of waits) expect(w.retry && w.waitMs >= 500 && w.waitMs <= 1000).toBe(true);
  });
});
