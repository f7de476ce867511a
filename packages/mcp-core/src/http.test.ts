import { request as httpRequest } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { CoreConfigSchema, loadConfig } from './config.js';
import { defineServer } from './define.js';
import { ConfigError } from './errors.js';
import { httpConfigProblems, serveHttp, takeTransportFlag, type HttpServing } from './http.js';
import { createLogger } from './logger.js';
import { readToolResult } from './testing/client.js';
import { defineTool } from './tool.js';

interface Deps {
  healthy: boolean;
  aborted: string[];
  check(): Promise<{ name: string; ok: boolean; detail: string }[]>;
}
const tool = defineTool<Deps>();

const definition = defineServer({
  name: '@org/http-fixture',
  version: '1.2.3',
  description: 'HTTP runner fixture.',
  configSchema: CoreConfigSchema,
  toolsets: { fixture: { description: 'Fixture tools', default: true } },
  tools: [
    tool({
      name: 'echo',
      toolset: 'fixture',
      title: 'Echo',
      description: 'Returns its text.',
      input: z.object({ text: z.string() }),
      output: z.object({ text: z.string() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
      handler: ({ text }) => ({ text }),
    }),
    tool({
      name: 'slow',
      toolset: 'fixture',
      title: 'Slow',
      description: 'Answers after `ms` milliseconds unless aborted.',
      input: z.object({ ms: z.number().int().min(0), id: z.string() }),
      output: z.object({ waited: z.number() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
      handler: ({ ms, id }, { deps, signal }) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => resolve({ waited: ms }), ms);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            deps.aborted.push(id);
            reject(new Error('aborted'));
          });
        }),
    }),
  ],
  createDeps: (): Deps => ({
    healthy: true,
    aborted: [],
    async check() {
      return [{ name: 'upstream', ok: this.healthy, detail: 'at internal-host-17:5432' }];
    },
  }),
});

const TOKEN = 'mcp_tok_4f1e9a7c2b8d6e3f';
const OTHER_TOKEN = 'mcp_tok_0a1b2c3d4e5f6a7b';

interface Started {
  serving: HttpServing;
  deps: Deps;
  logs: string[];
  base: string;
}
const running: HttpServing[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close(0)));
});

async function start(env: Record<string, string> = {}): Promise<Started> {
  const config = loadConfig(CoreConfigSchema, { MCP_HTTP_PORT: '0', ...env });
  const logs: string[] = [];
  const { logger } = await createLogger({
    name: 'http-test',
    level: 'trace',
    secrets: config.MCP_HTTP_TOKENS ?? [],
    writeStderr: (line) => void logs.push(line),
  });
  const deps = await definition.createDeps(config, logger);
  const serving = await serveHttp({ definition, deps, config, logger });
  running.push(serving);
  return { serving, deps, logs, base: `http://127.0.0.1:${serving.port}` };
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with full control over its headers (fetch would not send a foreign Host). */
function raw(
  port: number,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    chunked?: boolean;
  },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'POST',
        path: options.path ?? '/mcp',
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (options.body !== undefined && options.chunked) {
      // No Content-Length: the limit must hold while streaming too.
      const data = Buffer.from(options.body);
      for (let i = 0; i < data.length; i += 512) req.write(data.subarray(i, i + 512));
      req.end();
    } else req.end(options.body);
  });
}

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const rpc = (method: string, params: object = {}, id: number | null = 1) =>
  JSON.stringify({ jsonrpc: '2.0', ...(id === null ? {} : { id }), method, params });
const initialize = rpc('initialize', {
  protocolVersion: '2025-11-25',
  capabilities: {},
  clientInfo: { name: 'raw', version: '0' },
});
const callEcho = (text = 'hi') => rpc('tools/call', { name: 'echo', arguments: { text } });

async function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'http-test-client', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

describe('serveHttp: the protocol over Streamable HTTP', () => {
  it('an SDK client initializes, lists and calls tools; concurrent clients are independent', async () => {
    const { serving } = await start();
    const [a, b] = await Promise.all([connect(serving.url), connect(serving.url)]);
    const tools = await a.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(['echo', 'slow']);
    expect(tools.tools[0]?.inputSchema).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string' } },
    });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).callTool({ name: 'echo', arguments: { text: `m${i}` } }),
      ),
    );
    results.forEach((r, i) =>
      expect(readToolResult(r as CallToolResult)).toMatchObject({ ok: true, data: { text: `m${i}` } }),
    );
    expect(
      readToolResult((await a.callTool({ name: 'echo', arguments: {} })) as CallToolResult),
    ).toMatchObject({
      ok: false,
      error: { type: 'validation' },
    });
    await Promise.all([a.close(), b.close()]);
  });

  it('is stateless: no session id, and a tools/call needs no initialize on this instance', async () => {
    const { serving } = await start();
    const init = await raw(serving.port, { headers: MCP_HEADERS, body: initialize });
    expect(init.status).toBe(200);
    expect(init.headers['mcp-session-id']).toBeUndefined();
    const call = await raw(serving.port, {
      headers: { ...MCP_HEADERS, 'mcp-protocol-version': '2025-11-25' },
      body: callEcho('no init'),
    });
    expect(call.status).toBe(200);
    expect(call.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(call.body)).toMatchObject({
      id: 1,
      result: { structuredContent: { text: 'no init' } },
    });
  });

  it('GET, DELETE and other methods on /mcp answer 405 with Allow: POST', async () => {
    const { serving } = await start();
    for (const method of ['GET', 'DELETE', 'PUT']) {
      const res = await raw(serving.port, { method, headers: { accept: 'text/event-stream' } });
      expect(res.status, method).toBe(405);
      expect(res.headers['allow']).toBe('POST');
      expect(JSON.parse(res.body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
    }
  });

  it('notifications get 202 with no body', async () => {
    const { serving } = await start();
    const res = await raw(serving.port, {
      headers: MCP_HEADERS,
      body: rpc('notifications/initialized', {}, null),
    });
    expect(res.status).toBe(202);
    expect(res.body).toBe('');
  });

  it('a batch is answered in order with one array; a bad Accept, Content-Type or message is refused as the SDK does', async () => {
    const { serving } = await start();
    const batch = await raw(serving.port, {
      headers: MCP_HEADERS,
      body: `[${callEcho('one')},${rpc('notifications/initialized', {}, null)},${rpc('tools/call', { name: 'echo', arguments: { text: 'two' } }, 2)}]`,
    });
    expect(batch.status).toBe(200);
    const answers = JSON.parse(batch.body) as { id: number; result: { structuredContent: unknown } }[];
    expect(answers.map((a) => [a.id, a.result.structuredContent])).toEqual([
      [1, { text: 'one' }],
      [2, { text: 'two' }],
    ]);
    const refused = [
      [{ ...MCP_HEADERS, accept: 'application/json' }, callEcho(), 406],
      [{ ...MCP_HEADERS, 'content-type': 'text/plain' }, callEcho(), 415],
      [MCP_HEADERS, JSON.stringify({ not: 'json-rpc' }), 400],
      [MCP_HEADERS, `[${initialize},${callEcho()}]`, 400],
    ] as const;
    for (const [headers, body, status] of refused) {
      const res = await raw(serving.port, { headers, body });
      expect(res.status).toBe(status);
      expect(JSON.parse(res.body)).toMatchObject({ jsonrpc: '2.0', error: { code: expect.any(Number) } });
    }
  });

  it('an unsupported MCP-Protocol-Version gets 400; a supported one or none is served', async () => {
    const { serving } = await start();
    const bad = await raw(serving.port, {
      headers: { ...MCP_HEADERS, 'mcp-protocol-version': '1999-01-01' },
      body: callEcho(),
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/Unsupported protocol version/);
    for (const headers of [MCP_HEADERS, { ...MCP_HEADERS, 'mcp-protocol-version': '2025-06-18' }]) {
      expect((await raw(serving.port, { headers, body: callEcho() })).status).toBe(200);
    }
  });

  it('invalid JSON gets 400 with a JSON-RPC parse error; other paths 404', async () => {
    const { serving } = await start();
    const res = await raw(serving.port, { headers: MCP_HEADERS, body: '{"jsonrpc":' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: -32700 }, id: null });
    expect((await raw(serving.port, { path: '/', method: 'GET' })).status).toBe(404);
    expect((await raw(serving.port, { path: '/mcp/x', headers: MCP_HEADERS, body: callEcho() })).status).toBe(
      404,
    );
  });
});

describe('serveHttp: Origin and Host', () => {
  it("a foreign Origin gets 403; none, the server's own and a listed one are served", async () => {
    const { serving } = await start({ MCP_HTTP_ALLOWED_ORIGINS: 'https://app.example.com' });
    const post = (headers: Record<string, string>) =>
      raw(serving.port, { headers: { ...MCP_HEADERS, ...headers }, body: callEcho() });
    for (const origin of [
      'http://evil.example',
      'null',
      'https://app.example.com.evil.example',
      'http://localhost:1',
    ]) {
      const res = await post({ origin });
      expect(res.status, origin).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({
        error: { message: expect.stringMatching(/Origin/) },
        id: null,
      });
    }
    expect((await post({})).status).toBe(200);
    expect((await post({ origin: `http://127.0.0.1:${serving.port}` })).status).toBe(200);
    expect(
      (await post({ origin: `http://localhost:${serving.port}`, host: `localhost:${serving.port}` })).status,
    ).toBe(200);
    expect((await post({ origin: 'https://app.example.com' })).status).toBe(200);
  });

  it('a Host other than loopback gets 403 by default (DNS rebinding)', async () => {
    const { serving } = await start();
    const post = (host: string) => raw(serving.port, { headers: { ...MCP_HEADERS, host }, body: callEcho() });
    expect((await post('evil.example')).status).toBe(403);
    expect((await post(`evil.example:${serving.port}`)).status).toBe(403);
    expect((await post('localhost.evil.example')).status).toBe(403);
    for (const host of [`localhost:${serving.port}`, `127.0.0.1:${serving.port}`, '[::1]:80']) {
      expect((await post(host)).status, host).toBe(200);
    }
  });

  it('MCP_HTTP_ALLOWED_HOSTS names the accepted hosts (a name alone: any port)', async () => {
    const { serving } = await start({ MCP_HTTP_ALLOWED_HOSTS: 'mcp.example.com, proxy.example:8443' });
    const post = (host: string) => raw(serving.port, { headers: { ...MCP_HEADERS, host }, body: callEcho() });
    expect((await post('mcp.example.com')).status).toBe(200);
    expect((await post('MCP.example.com:443')).status).toBe(200);
    expect((await post('proxy.example:8443')).status).toBe(200);
    expect((await post('proxy.example:9000')).status).toBe(403);
    expect((await post(`localhost:${serving.port}`)).status).toBe(403);
  });
});

describe('serveHttp: body limit', () => {
  it('a body over MCP_HTTP_MAX_BODY_BYTES gets 413, declared or streamed, and the server keeps serving', async () => {
    const { serving } = await start({ MCP_HTTP_MAX_BODY_BYTES: '2048' });
    const big = callEcho('x'.repeat(4000));
    const declared = await raw(serving.port, { headers: MCP_HEADERS, body: big });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({
      error: { message: expect.stringMatching(/at most 2048 bytes/) },
    });
    const streamed = await raw(serving.port, { headers: MCP_HEADERS, body: big, chunked: true });
    expect(streamed.status).toBe(413);
    const fits = await raw(serving.port, { headers: MCP_HEADERS, body: callEcho('x'.repeat(1500)) });
    expect(fits.status).toBe(200);
    expect(JSON.parse(fits.body).result.structuredContent.text).toHaveLength(1500);
  });

  it("the default limit is 4 MiB, far above express.json's 100 kb", async () => {
    expect(loadConfig(CoreConfigSchema, {}).MCP_HTTP_MAX_BODY_BYTES).toBe(4 * 1024 * 1024);
    const { serving } = await start();
    const text = 'y'.repeat(900_000); // under maxInputChars (1e6), over 100 kb
    const res = await raw(serving.port, { headers: MCP_HEADERS, body: callEcho(text) });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).result.structuredContent.text).toBe(text);
    expect(
      (await raw(serving.port, { headers: MCP_HEADERS, body: callEcho('z'.repeat(4 * 1024 * 1024)) })).status,
    ).toBe(413);
  });
});

describe('serveHttp: bearer tokens', () => {
  it('no token or a wrong one gets 401 with a WWW-Authenticate challenge naming the resource metadata', async () => {
    const { serving, base } = await start({ MCP_HTTP_TOKENS: `${TOKEN},${OTHER_TOKEN}` });
    const metadata = `${base}/.well-known/oauth-protected-resource/mcp`;
    const missing = await raw(serving.port, { headers: MCP_HEADERS, body: callEcho() });
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe(`Bearer resource_metadata="${metadata}"`);
    for (const authorization of [
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Basic ${TOKEN}`,
      TOKEN,
    ]) {
      const res = await raw(serving.port, { headers: { ...MCP_HEADERS, authorization }, body: callEcho() });
      expect(res.status, authorization).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer resource_metadata="[^"]+"/);
    }
    const wrong = await raw(serving.port, {
      headers: { ...MCP_HEADERS, authorization: 'Bearer nope-nope' },
      body: callEcho(),
    });
    expect(wrong.headers['www-authenticate']).toBe(
      `Bearer resource_metadata="${metadata}", error="invalid_token"`,
    );
    for (const token of [TOKEN, OTHER_TOKEN]) {
      const res = await raw(serving.port, {
        headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` },
        body: callEcho(),
      });
      expect(res.status).toBe(200);
    }
  });

  it('serves RFC 9728 protected resource metadata, with MCP_HTTP_PUBLIC_URL and authorization servers', async () => {
    const { serving } = await start({
      MCP_HTTP_TOKENS: TOKEN,
      MCP_HTTP_PUBLIC_URL: 'https://mcp.example.com/',
      MCP_HTTP_AUTHORIZATION_SERVERS: 'https://auth.example.com',
    });
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const res = await raw(serving.port, { method: 'GET', path });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({
        resource: 'https://mcp.example.com/mcp',
        authorization_servers: ['https://auth.example.com'],
        bearer_methods_supported: ['header'],
        resource_name: '@org/http-fixture',
      });
    }
    const res = await raw(serving.port, { headers: MCP_HEADERS, body: callEcho() });
    expect(res.headers['www-authenticate']).toBe(
      'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"',
    );
  });

  it('an SDK client with the token works; no token appears in any log line, even at trace', async () => {
    const { serving, logs } = await start({ MCP_HTTP_TOKENS: TOKEN });
    const client = await connect(serving.url, { authorization: `Bearer ${TOKEN}` });
    expect(
      readToolResult((await client.callTool({ name: 'echo', arguments: { text: 'a' } })) as CallToolResult)
        .ok,
    ).toBe(true);
    await client.close();
    const denied = new Client({ name: 'denied', version: '0' });
    await expect(
      denied.connect(
        new StreamableHTTPClientTransport(new URL(serving.url), {
          requestInit: { headers: { authorization: `Bearer ${OTHER_TOKEN}` } },
        }),
      ),
    ).rejects.toThrow();
    await serving.close(0);
    const log = logs.join('');
    expect(log).toMatch(/"status":200/);
    expect(log).toMatch(/"status":401/);
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain(OTHER_TOKEN);
    expect(log.toLowerCase()).not.toContain('authorization');
  });

  it('without tokens there is no resource metadata', async () => {
    const { serving } = await start();
    expect(
      (await raw(serving.port, { method: 'GET', path: '/.well-known/oauth-protected-resource' })).status,
    ).toBe(404);
  });
});

describe('serveHttp: settings', () => {
  it('listening beyond loopback needs a token, unless unauthenticated is allowed explicitly', async () => {
    const config = (env: Record<string, string>) => loadConfig(CoreConfigSchema, env);
    expect(httpConfigProblems(config({}))).toEqual([]);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'mcp.example.com']) {
      expect(httpConfigProblems(config({ MCP_HTTP_HOST: host })), host).toEqual([
        expect.stringMatching(/MCP_HTTP_HOST: .* reachable beyond this machine.*MCP_HTTP_TOKENS/),
      ]);
    }
    for (const host of ['localhost', '127.0.0.2', '::1'])
      expect(httpConfigProblems(config({ MCP_HTTP_HOST: host }))).toEqual([]);
    expect(httpConfigProblems(config({ MCP_HTTP_HOST: '0.0.0.0', MCP_HTTP_TOKENS: TOKEN }))).toEqual([]);
    expect(
      httpConfigProblems(config({ MCP_HTTP_HOST: '0.0.0.0', MCP_HTTP_ALLOW_UNAUTHENTICATED: 'true' })),
    ).toEqual([]);
    expect(httpConfigProblems(config({ MCP_HTTP_ALLOWED_ORIGINS: 'not an origin' }))).toEqual([
      expect.stringMatching(/MCP_HTTP_ALLOWED_ORIGINS/),
    ]);
    await expect(start({ MCP_HTTP_HOST: '0.0.0.0' })).rejects.toBeInstanceOf(ConfigError);
  });

  it('--transport is taken out of the arguments; an unknown value is a ConfigError', () => {
    expect(takeTransportFlag(['--transport', 'http'])).toEqual({ argv: [], transport: 'http' });
    expect(takeTransportFlag(['--check', '--transport=stdio'])).toEqual({
      argv: ['--check'],
      transport: 'stdio',
    });
    expect(takeTransportFlag(['--check'])).toEqual({ argv: ['--check'] });
    expect(() => takeTransportFlag(['--transport', 'carrier-pigeon'])).toThrow(ConfigError);
    expect(() => takeTransportFlag(['--transport'])).toThrow(/must be stdio or http/);
  });
});

describe('serveHttp: operations', () => {
  it("/healthz answers while up; /readyz reflects the deps' check without its details", async () => {
    const { serving, deps } = await start({
      MCP_HTTP_ALLOWED_HOSTS: 'mcp.example.com',
      MCP_HTTP_TOKENS: TOKEN,
    });
    // Probes need no token and accept the balancer's Host.
    const health = await raw(serving.port, { method: 'GET', path: '/healthz' });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    const ready = await raw(serving.port, { method: 'GET', path: '/readyz' });
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ok', checks: [{ name: 'upstream', ok: true }] });
    deps.healthy = false;
    await new Promise((r) => setTimeout(r, 1100)); // a probe result is reused for a second
    const down = await raw(serving.port, { method: 'GET', path: '/readyz' });
    expect(down.status).toBe(503);
    expect(down.body).not.toContain('internal-host');
  });

  it('one log line per request with its request id (given or made), echoed in X-Request-Id', async () => {
    const { serving, logs } = await start();
    const given = await raw(serving.port, {
      headers: { ...MCP_HEADERS, 'x-request-id': 'req-42' },
      body: callEcho(),
    });
    expect(given.headers['x-request-id']).toBe('req-42');
    const made = await raw(serving.port, {
      headers: { ...MCP_HEADERS, 'x-request-id': 'not a usable id' },
      body: callEcho(),
    });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await serving.close(0);
    const lines = logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['msg'] === 'request');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      request_id: 'req-42',
      method: 'POST',
      path: '/mcp',
      status: 200,
      rpc: 'tools/call',
      tool: 'echo',
    });
    expect(lines[1]).toMatchObject({ request_id: made.headers['x-request-id'] });
    expect(typeof lines[0]?.['ms']).toBe('number');
  });

  it('X-Forwarded-* are ignored unless MCP_HTTP_TRUST_PROXY is set', async () => {
    const headers = {
      ...MCP_HEADERS,
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'mcp.example.com',
    };
    for (const trust of [false, true]) {
      const { serving, logs } = await start({ MCP_HTTP_TOKENS: TOKEN, MCP_HTTP_TRUST_PROXY: String(trust) });
      const res = await raw(serving.port, { headers, body: callEcho() });
      await serving.close(0);
      const challenge = res.headers['www-authenticate'] as string;
      const line = JSON.parse(logs.find((l) => l.includes('"msg":"request"')) as string) as {
        client: string;
      };
      if (trust) {
        expect(challenge).toContain('resource_metadata="https://mcp.example.com/');
        expect(line.client).toBe('203.0.113.9');
      } else {
        expect(challenge).toContain(`resource_metadata="http://127.0.0.1:${serving.port}/`);
        expect(line.client).toBe('127.0.0.1');
      }
    }
  });

  it('a client that disconnects mid-call aborts the handler', async () => {
    const { serving, deps } = await start();
    const req = httpRequest({
      host: '127.0.0.1',
      port: serving.port,
      method: 'POST',
      path: '/mcp',
      headers: MCP_HEADERS,
    });
    req.on('error', () => undefined);
    req.end(rpc('tools/call', { name: 'slow', arguments: { ms: 10_000, id: 'gone' } }));
    await vi.waitFor(() => expect(serving.inFlight()).toBe(1));
    req.destroy();
    await vi.waitFor(() => expect(deps.aborted).toEqual(['gone']));
    expect(serving.inFlight()).toBe(0);
  });

  it('close() stops accepting, lets in-flight calls finish, then resolves', async () => {
    const { serving } = await start();
    const pending = raw(serving.port, {
      headers: MCP_HEADERS,
      body: rpc('tools/call', { name: 'slow', arguments: { ms: 400, id: 'in-flight' } }),
    });
    await vi.waitFor(() => expect(serving.inFlight()).toBe(1));
    const closing = serving.close(5000);
    await new Promise((r) => setTimeout(r, 50));
    await expect(raw(serving.port, { headers: MCP_HEADERS, body: callEcho() })).rejects.toThrow(
      /ECONNREFUSED/,
    );
    const res = await pending;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ result: { structuredContent: { waited: 400 } } });
    await closing;
  });

  it('close() gives up on calls that outlast the grace period', async () => {
    const { serving, deps } = await start();
    const pending = raw(serving.port, {
      headers: MCP_HEADERS,
      body: rpc('tools/call', { name: 'slow', arguments: { ms: 20_000, id: 'stuck' } }),
    });
    await vi.waitFor(() => expect(serving.inFlight()).toBe(1));
    const started = Date.now();
    await serving.close(200);
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/);
    await vi.waitFor(() => expect(deps.aborted).toEqual(['stuck']));
  });
});
