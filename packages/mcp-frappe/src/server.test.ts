// The server as a whole through MCP: tool list, annotations, read-only mode, the DocType guard,
// error mapping of Frappe's failures, secrets, configuration.
import { ConfigError, createLogger, loadConfig } from '@org/mcp-core';
import { callTool, connectServer } from '@org/mcp-core/testing';
import { startFakeFrappe, TRACEBACK_MARKER, type FakeFrappe } from '../test/fake-frappe/index.js';
import { connectFrappe, fakeEnv, type FrappeSession } from '../test/session.js';
import { ConfigSchema } from './config.js';
import { server } from './server.js';

let fake: FakeFrappe;
beforeAll(async () => {
  fake = await startFakeFrappe();
});
afterAll(() => fake?.close());

const DOCTYPE_TOOLS: [string, Record<string, unknown>][] = [
  ['frappe_get_document', { name: 'Administrator' }],
  ['frappe_get_list', {}],
  ['frappe_get_count', {}],
  ['frappe_create_document', { data: { email: 'x@example.com' } }],
  ['frappe_update_document', { name: 'Administrator', data: { first_name: 'X' } }],
  ['frappe_delete_document', { name: 'Administrator' }],
  ['frappe_get_doctype_meta', {}],
  ['frappe_search_link', {}],
  ['frappe_submit_document', { name: 'Administrator' }],
  ['frappe_cancel_document', { name: 'Administrator' }],
  ['frappe_get_workflow_transitions', { name: 'Administrator' }],
  ['frappe_apply_workflow_action', { name: 'Administrator', action: 'Approve' }],
];

describe('tools', () => {
  it('lists the original 5 and the rest, every one annotated; workflow actions and methods only when asked for', async () => {
    const s = await connectServer(server, { ...fakeEnv(fake), MCP_TOOLSETS: '' });
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'frappe_get_document',
      'frappe_get_list',
      'frappe_create_document',
      'frappe_update_document',
      'frappe_delete_document',
      'frappe_get_count',
      'frappe_get_doctype_meta',
      'frappe_search_link',
      'frappe_submit_document',
      'frappe_cancel_document',
      'frappe_run_report',
    ]);
    for (const t of tools) {
      expect(t.outputSchema).toBeDefined();
      expect(typeof t.annotations?.readOnlyHint).toBe('boolean');
    }
    const destructive = tools.filter((t) => t.annotations?.destructiveHint).map((t) => t.name);
    expect(destructive).toEqual([
      'frappe_delete_document',
      'frappe_submit_document',
      'frappe_cancel_document',
    ]);
    await s.close();
    const all = await connectServer(server, fakeEnv(fake));
    const every = (await all.client.listTools()).tools;
    expect(every.map((t) => t.name).slice(-4)).toEqual([
      'frappe_run_report',
      'frappe_call_method',
      'frappe_get_workflow_transitions',
      'frappe_apply_workflow_action',
    ]);
    expect(every.filter((t) => t.annotations?.destructiveHint).map((t) => t.name)).toContain(
      'frappe_apply_workflow_action',
    );
    await all.close();
  });

  it('MCP_READ_ONLY offers only the tools that change nothing', async () => {
    const s = await connectServer(server, fakeEnv(fake, { MCP_READ_ONLY: 'true' }));
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'frappe_get_count',
      'frappe_get_doctype_meta',
      'frappe_get_document',
      'frappe_get_list',
      'frappe_get_workflow_transitions',
      'frappe_run_report',
      'frappe_search_link',
    ]);
    expect(
      await callTool(s.client, 'frappe_delete_document', { doctype: 'ToDo', name: 'TODO-1' }),
    ).toMatchObject({
      ok: false,
      error: { type: 'forbidden' },
    });
    await s.close();
  });
});

describe('the DocType guard', () => {
  it('refuses the default-denied security DocTypes in any spelling, with no request sent', async () => {
    const s = await connectFrappe(fake);
    const before = fake.requests.length;
    for (const [name, args] of DOCTYPE_TOOLS) {
      for (const doctype of ['User', 'user', ' USER ', 'Has  Role', 'DocPerm', 'System Settings']) {
        const r = await callTool(s.client, name, { doctype, ...args });
        expect(r, `${name} ${doctype}`).toMatchObject({ ok: false, error: { type: 'forbidden' } });
      }
    }
    expect(
      await callTool(s.client, 'frappe_get_list', {
        doctype: 'Sales Invoice',
        fields: ['customer.customer_name'],
      }),
    ).toMatchObject({ ok: true });
    expect(fake.requests.length).toBeGreaterThan(before);
    const after = fake.requests.length;
    expect(
      await callTool(s.client, 'frappe_get_list', { doctype: 'ToDo', fields: ['allocated_to.api_key'] }),
    ).toMatchObject({
      ok: false,
      error: { type: 'forbidden', error: expect.stringContaining('"User"') },
    });
    expect(fake.requests.slice(after).map((r) => r.url.searchParams.get('doctype'))).toEqual(['ToDo']);
    await s.close();
  });

  it('FRAPPE_DOCTYPES_ALLOW confines the tools and opts a default-denied DocType in only when named exactly', async () => {
    const star = await connectFrappe(fake, { FRAPPE_DOCTYPES_ALLOW: '*' });
    expect(await callTool(star.client, 'frappe_get_list', { doctype: 'User' })).toMatchObject({
      ok: false,
      error: { type: 'forbidden' },
    });
    await star.close();
    const s = await connectFrappe(fake, { FRAPPE_DOCTYPES_ALLOW: 'Sales *,User' });
    expect(await callTool(s.client, 'frappe_get_list', { doctype: 'User' })).toMatchObject({ ok: true });
    expect(await callTool(s.client, 'frappe_get_count', { doctype: 'Sales Invoice' })).toMatchObject({
      ok: true,
    });
    const before = fake.requests.length;
    expect(await callTool(s.client, 'frappe_get_list', { doctype: 'Customer' })).toMatchObject({
      ok: false,
      error: {
        type: 'forbidden',
        error: 'DocType "Customer" is refused by this server: it is not in FRAPPE_DOCTYPES_ALLOW',
      },
    });
    expect(fake.requests.length).toBe(before);
    await s.close();
  });

  it('FRAPPE_DOCTYPES_DENY adds globs to the deny list', async () => {
    const s = await connectFrappe(fake, { FRAPPE_DOCTYPES_DENY: 'Sales *' });
    const before = fake.requests.length;
    expect(
      await callTool(s.client, 'frappe_get_document', { doctype: 'sales invoice', name: 'SINV-0001' }),
    ).toMatchObject({
      ok: false,
      error: { type: 'forbidden', error: expect.stringContaining('FRAPPE_DOCTYPES_DENY') },
    });
    expect(await callTool(s.client, 'frappe_get_list', { doctype: 'Customer' })).toMatchObject({ ok: true });
    expect(fake.requests.length).toBe(before + 2);
    await s.close();
  });
});

describe("Frappe's failures as the error envelope", () => {
  let s: FrappeSession;
  beforeAll(async () => {
    s = await connectFrappe(fake);
  });
  afterAll(() => s?.close());

  it('retries a 429 on a read, and reports one on a write as rate_limited with the wait', async () => {
    fake.inject({
      path: '/api/resource/ToDo/TODO-1',
      status: 429,
      headers: { 'retry-after': '1' },
      body: { exc_type: 'RateLimitExceededError' },
    });
    expect(
      await callTool(s.client, 'frappe_get_document', { doctype: 'ToDo', name: 'TODO-1' }),
    ).toMatchObject({ ok: true });
    fake.inject({
      path: '/api/resource/ToDo',
      status: 429,
      headers: { 'retry-after': '7' },
      body: {
        exc_type: 'RateLimitExceededError',
        _server_messages: JSON.stringify([
          JSON.stringify({
            message: 'You hit the rate limit because of too many requests. Please try after sometime.',
          }),
        ]),
      },
    });
    expect(
      await callTool(s.client, 'frappe_create_document', { doctype: 'ToDo', data: { description: 'x' } }),
    ).toMatchObject({
      ok: false,
      error: {
        type: 'rate_limited',
        status_code: 429,
        retry_after_s: 7,
        error: expect.stringContaining('You hit the rate limit'),
      },
    });
  });

  it("the site's own rate limit: TooManyRequestsError with Retry-After, waited out on reads, reported on writes", async () => {
    const limited = await startFakeFrappe();
    const r = await connectFrappe(limited);
    try {
      // Warm the meta cache, then allow two requests per 2-second window, starting at a window's start.
      await callTool(r.client, 'frappe_get_list', { doctype: 'ToDo' });
      await new Promise((done) => setTimeout(done, 2000 - (Date.now() % 2000) + 20));
      limited.rateLimit = { limit: 2, window: 2 };
      const sentBefore = limited.requests.length;
      const started = Date.now();
      for (let i = 0; i < 3; i++) {
        expect(await callTool(r.client, 'frappe_get_list', { doctype: 'ToDo' })).toMatchObject({ ok: true });
      }
      // The third was answered 429 and sent again after the Retry-After wait.
      expect(limited.requests.length - sentBefore).toBe(4);
      expect(Date.now() - started).toBeGreaterThan(1000);
      limited.rateLimit = { limit: 0, window: 60 };
      const write = await callTool(r.client, 'frappe_create_document', {
        doctype: 'ToDo',
        data: { description: 'x' },
      });
      expect(write).toMatchObject({
        ok: false,
        error: {
          type: 'rate_limited',
          status_code: 429,
          retry_after_s: expect.any(Number),
          error: 'Frappe: Too Many Requests Error (HTTP 429)',
        },
      });
      expect(write.text).not.toContain('Traceback');
    } finally {
      await r.close();
      await limited.close();
    }
  });

  it('reads every message of a body: several _server_messages, a v2 errors list, a bare exception', async () => {
    const missing = await callTool(s.client, 'frappe_create_document', {
      doctype: 'Sales Invoice',
      data: { naming_series: 'SINV-.####' },
    });
    expect(missing).toMatchObject({
      ok: false,
      error: {
        type: 'validation',
        status_code: 417,
        error:
          'Frappe: Error: Value missing for Sales Invoice: Customer | Error: Value missing for Sales Invoice: Date | Error: Value missing for Sales Invoice: Items',
      },
    });
    const v2 = await connectFrappe(fake, { FRAPPE_API_VERSION: 'v2' });
    const many = await callTool(v2.client, 'frappe_create_document', {
      doctype: 'Sales Invoice',
      data: { customer: 'ACME', items: [{ qty: 1 }, { qty: 2 }] },
    });
    expect(many).toMatchObject({
      ok: false,
      error: {
        type: 'validation',
        error:
          'Frappe: Error: Value missing for Sales Invoice: Date | Error: Value missing for Sales Invoice Item: Item in row 1 | Error: Value missing for Sales Invoice Item: Item in row 2',
      },
    });
    expect(many.text).not.toContain(TRACEBACK_MARKER);
    await v2.close();
    fake.inject({
      path: '/api/resource/ToDo',
      status: 403,
      body: {
        exc_type: 'PermissionError',
        exception: 'frappe.exceptions.PermissionError',
        exc: '["Traceback (most recent call last):"]',
      },
    });
    expect(await callTool(s.client, 'frappe_get_list', { doctype: 'ToDo' })).toMatchObject({
      ok: false,
      error: { type: 'forbidden', status_code: 403, error: 'Frappe: Permission Error (HTTP 403)' },
    });
  });

  it('never shows HTML, a traceback or exc, whatever the body', async () => {
    const tb = `Traceback (most recent call last):\n  File "${TRACEBACK_MARKER}", line 1, in x\nKeyError: 'secret_column'`;
    const bodies = [
      { status: 502, text: '<html><body><h1>502 Bad Gateway</h1>nginx</body></html>' },
      { status: 500, text: tb },
      { status: 500, body: { exc: JSON.stringify([tb]), exc_type: 'KeyError' } },
      { status: 417, body: { exc: JSON.stringify([tb]), exception: tb } },
      { status: 500, body: { errors: [{ type: 'KeyError', exception: tb }] } },
    ];
    for (const b of bodies) {
      fake.inject({ path: '/api/resource/ToDo', ...b });
      const r = await callTool(s.client, 'frappe_create_document', {
        doctype: 'ToDo',
        data: { description: 'x' },
      });
      expect(r.ok).toBe(false);
      expect(r.text).not.toContain(TRACEBACK_MARKER);
      expect(r.text).not.toContain('Traceback');
      expect(r.text).not.toContain('<');
      expect(r.text).not.toContain('secret_column');
    }
  });

  it('a wrong secret is unauthorized; Frappe 503 is unavailable; v2 error bodies are read too', async () => {
    const bad = await connectFrappe(fake, { FRAPPE_API_SECRET: 'not-the-secret' });
    expect(await callTool(bad.client, 'frappe_get_list', { doctype: 'ToDo' })).toMatchObject({
      ok: false,
      error: { type: 'unauthorized', status_code: 401, error: 'Frappe: Authentication Error (HTTP 401)' },
    });
    await bad.close();
    fake.inject({
      path: '/api/resource/ToDo/TODO-1',
      status: 503,
      body: { exc_type: 'InReadOnlyMode' },
      times: 4,
    });
    expect(
      await callTool(s.client, 'frappe_get_document', { doctype: 'ToDo', name: 'TODO-1' }),
    ).toMatchObject({
      ok: false,
      error: { type: 'unavailable', retryable: true },
    });
    const v2 = await connectFrappe(fake, { FRAPPE_API_VERSION: 'v2' });
    const r = await callTool(v2.client, 'frappe_create_document', {
      doctype: 'Customer',
      data: { customer_name: 'ACME' },
    });
    expect(r).toMatchObject({
      ok: false,
      error: { type: 'conflict', status_code: 409, error: 'Frappe: Customer ACME already exists' },
    });
    expect(r.text).not.toContain(TRACEBACK_MARKER);
    await v2.close();
  });
});

describe('secrets', () => {
  it('neither the key nor the secret appears in the trace log, errors or outputs', async () => {
    const s = await connectFrappe(fake);
    const texts: string[] = [];
    for (const [name, args] of [
      ['frappe_get_list', { doctype: 'Sales Invoice' }],
      ['frappe_get_document', { doctype: 'Customer', name: 'Nobody' }],
      ['frappe_create_document', { doctype: 'Customer', data: {} }],
      ['frappe_get_list', { doctype: 'User' }],
      ['frappe_run_report', { report_name: 'Item Prices' }],
    ] as const) {
      texts.push((await callTool(s.client, name, args)).text);
    }
    await s.close();
    const { key, secret } = fake.users.admin;
    const all = [...s.log, ...texts].join('\n');
    expect(s.log.some((l) => l.includes('frappe request'))).toBe(true);
    expect(s.log.some((l) => l.includes('"level":10') || l.includes('"level":20'))).toBe(true);
    for (const needle of [
      key,
      secret,
      `${key}:${secret}`,
      Buffer.from(`${key}:${secret}`).toString('base64'),
    ]) {
      expect(all).not.toContain(needle);
    }
  });
});

describe('configuration', () => {
  const base = { FRAPPE_API_KEY: 'k', FRAPPE_API_SECRET: 's' };
  it('accepts FRAPPE_URL or the original FRAPPE_SITE_URL, strips trailing slashes, and requires one', () => {
    expect(
      loadConfig(ConfigSchema, { ...base, FRAPPE_SITE_URL: 'https://erp.example.com/' }).FRAPPE_SITE_URL,
    ).toBe('https://erp.example.com');
    const c = loadConfig(ConfigSchema, { ...base, FRAPPE_URL: 'http://erp.lan' });
    expect(c).toMatchObject({
      FRAPPE_URL: 'http://erp.lan',
      FRAPPE_TIMEOUT: 30,
      FRAPPE_MAX_RETRIES: 3,
      FRAPPE_API_VERSION: 'v1',
    });
    expect(() => loadConfig(ConfigSchema, base)).toThrow(/FRAPPE_URL: required \(or FRAPPE_SITE_URL\)/);
    expect(() => loadConfig(ConfigSchema, { ...base, FRAPPE_URL: 'ftp://x' })).toThrow(ConfigError);
    expect(() => loadConfig(ConfigSchema, { FRAPPE_URL: 'https://x' })).toThrow(
      /FRAPPE_API_KEY[\s\S]*FRAPPE_API_SECRET/,
    );
  });

  it('warns in the log about plain http beyond loopback', async () => {
    const lines: string[] = [];
    const handle = await createLogger({ name: 't', level: 'warn', writeStderr: (l) => lines.push(l) });
    const { logger } = handle;
    const s = await connectServer(server, { ...base, FRAPPE_URL: 'http://erp.lan:8000' }, { logger });
    // The logger loads pino on its first line: wait for the line to be written.
    await handle.flush();
    expect(lines.join('\n')).toContain('http://erp.lan:8000 is plain http');
    await s.close();
    lines.length = 0;
    for (const url of [
      'http://127.0.0.1:8000',
      'http://127.0.1.1:8000',
      'http://localhost',
      'http://[::1]:8000',
    ]) {
      const local = await connectServer(server, { ...base, FRAPPE_URL: url }, { logger });
      await handle.flush();
      expect(lines).toEqual([]);
      await local.close();
    }
    const https = await connectServer(
      server,
      { ...base, FRAPPE_SITE_URL: 'https://erp.example.com' },
      { logger },
    );
    await handle.flush();
    expect(lines).toEqual([]);
    await https.close();
  });
});
