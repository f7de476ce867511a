import { fileURLToPath } from 'node:url';
import { callTool, runBin, spawnStdioServer } from '@org/mcp-core/testing';
import { startFakeFrappe, type FakeFrappe } from '../test/fake-frappe/index.js';

const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));
let fake: FakeFrappe;
beforeAll(async () => {
  fake = await startFakeFrappe();
});
afterAll(() => fake?.close());

const run = (args: string[], env: Record<string, string>) => runBin(bin, args, env);
const env = () => ({
  FRAPPE_URL: fake.url,
  FRAPPE_API_KEY: fake.users.admin.key,
  FRAPPE_API_SECRET: fake.users.admin.secret,
});

describe('the built bin', () => {
  it('--help lists the Frappe variables; missing ones are one clear startup error', async () => {
    const help = await run(['--help'], {});
    for (const name of [
      'FRAPPE_URL',
      'FRAPPE_SITE_URL',
      'FRAPPE_API_KEY',
      'FRAPPE_API_SECRET',
      'FRAPPE_TIMEOUT',
      'FRAPPE_MAX_RETRIES',
      'FRAPPE_DOCTYPES_ALLOW',
      'FRAPPE_DOCTYPES_DENY',
      'FRAPPE_METHODS_ALLOW',
    ])
      expect(help.stdout).toContain(name);
    const missing = await run([], {});
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/FRAPPE_URL/);
    expect(missing.stderr).toMatch(/FRAPPE_API_SECRET/);
  });

  it('--check reports the user, the Frappe version and whether v2 exists, and never the secret', async () => {
    const ok = await run(['--check'], env());
    expect(ok.stdout).toMatch(/ok {4}frappe: authenticated as Administrator at http:\/\/127\.0\.0\.1:\d+/);
    expect(ok.stdout).toMatch(/ok {4}version: frappe 15\.47\.2, erpnext 15\.41\.0/);
    expect(ok.stdout).toMatch(/ok {4}api: the v2 API \(\/api\/v2\) is available; using v1/);
    expect(ok.status).toBe(0);
    fake.v2 = false;
    const v14 = await run(['--check'], { ...env(), FRAPPE_API_VERSION: 'v2' });
    fake.v2 = true;
    expect(v14.stdout).toMatch(/FAIL {2}api: no v2 API on this site .*set FRAPPE_API_VERSION=v1/);
    expect(v14.status).toBe(1);
    const bad = await run(['--check'], { ...env(), FRAPPE_API_SECRET: 'wrong-secret-12345' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/FAIL {2}frappe: Frappe: Authentication Error \(HTTP 401\)/);
    expect(bad.stdout + bad.stderr).not.toContain('wrong-secret-12345');
  });

  it('--check warns about plain http to a host other than loopback', async () => {
    const r = await run(['--check'], {
      ...env(),
      FRAPPE_URL: 'http://erp.invalid',
      FRAPPE_TIMEOUT: '2',
      FRAPPE_MAX_RETRIES: '0',
    });
    expect(r.stdout).toMatch(/ok {4}transport: warning: http:\/\/erp\.invalid is plain http/);
    expect(r.stdout).toMatch(/FAIL {2}frappe: Frappe: cannot reach erp\.invalid/);
  });

  it('serves over stdio with nothing but protocol on stdout, and never logs the key or secret', async () => {
    const server = await spawnStdioServer({
      command: process.execPath,
      args: [bin],
      env: { PATH: process.env['PATH'], ...env(), MCP_LOG_LEVEL: 'trace' },
    });
    expect(
      await callTool(server.client, 'frappe_get_document', { doctype: 'ToDo', name: 'TODO-1' }),
    ).toMatchObject({
      ok: true,
      data: { data: { description: 'Call ACME' } },
    });
    expect(await server.close()).toBe(0);
    expect(server.nonProtocolLines).toEqual([]);
    expect(server.stderr()).toContain('frappe request');
    expect(server.stderr()).not.toContain(fake.users.admin.secret);
    expect(server.stderr()).not.toContain(fake.users.admin.key);
  });
});
