import { fileURLToPath } from 'node:url';
import { callTool, runBin, spawnStdioServer } from '@org/mcp-core/testing';
import { startFakeBrave, startFakeGoogle, type FakeProvider } from '../test/fake-providers/index.js';
import { startFakeSite, type FakeSite } from '../test/fake-site/index.js';

const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));
let brave: FakeProvider;
let google: FakeProvider;
let site: FakeSite;
beforeAll(async () => {
  [brave, google, site] = await Promise.all([startFakeBrave(), startFakeGoogle(), startFakeSite()]);
});
afterAll(async () => {
  await Promise.all([brave?.close(), google?.close(), site?.close()]);
});

const run = (args: string[], env: Record<string, string>) => runBin(bin, args, env);

describe('the built bin', () => {
  it('--help lists every variable with the API origins it defaults to', async () => {
    const help = await run(['--help'], {});
    expect(help.status).toBe(0);
    for (const text of [
      'SEARCH_PROVIDERS',
      'BRAVE_API_KEY',
      'SEARXNG_URL',
      'GOOGLE_SEARCH_ENGINE_ID',
      'BRAVE_API_URL  (default: https://api.search.brave.com)',
      'TAVILY_API_URL  (default: https://api.tavily.com)',
      'EXA_API_URL  (default: https://api.exa.ai)',
      'SERPER_API_URL  (default: https://google.serper.dev)',
      'GOOGLE_API_URL  (default: https://www.googleapis.com)',
      'INTERNET_FETCH_ALLOW_HOSTS',
      'INTERNET_MAX_FETCH_BYTES  (default: 5242880)',
      'INTERNET_IGNORE_ROBOTS',
      'INTERNET_USER_AGENT',
    ]) {
      expect(help.stdout).toContain(text);
    }
  });

  it("--check probes each provider, states Google's closure, and never prints a key", async () => {
    const ok = await run(['--check'], {
      BRAVE_API_KEY: brave.key,
      BRAVE_API_URL: brave.url,
      GOOGLE_API_KEY: google.key,
      GOOGLE_SEARCH_ENGINE_ID: '0123456789abcdef0',
      GOOGLE_API_URL: google.url,
    });
    expect(ok.stdout).toMatch(/ok {4}brave: Brave Search answered in \d+ ms/);
    expect(ok.stdout).toMatch(/ok {4}google: Google Custom Search answered/);
    expect(ok.stdout).toMatch(
      /google closure: Google closes the Custom Search JSON API to existing customers on 2027-01-01/,
    );
    expect(ok.stdout).toMatch(/ok {4}fetch: public addresses only/);
    expect(ok.status).toBe(0);
    const bad = await run(['--check'], {
      BRAVE_API_KEY: 'BSA-wrong-key-do-not-print',
      BRAVE_API_URL: brave.url,
    });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(
      /FAIL {2}brave: No search provider accepted its credentials: Brave Search: The provided subscription token is invalid/,
    );
    expect(bad.stdout + bad.stderr).not.toContain('BSA-wrong-key-do-not-print');
    const none = await run(['--check'], {});
    expect(none.status).toBe(0);
    expect(none.stdout).toMatch(/ok {4}search: no provider configured/);
  });

  it('serves over stdio: search and fetch (PDF included) with nothing but protocol on stdout, no key in a trace log', async () => {
    const server = await spawnStdioServer({
      command: process.execPath,
      args: [bin],
      env: {
        PATH: process.env['PATH'],
        BRAVE_API_KEY: brave.key,
        BRAVE_API_URL: brave.url,
        INTERNET_FETCH_ALLOW_HOSTS: '127.0.0.1',
        MCP_LOG_LEVEL: 'trace',
      },
    });
    expect(await callTool(server.client, 'web_search', { query: 'stdio' })).toMatchObject({
      ok: true,
      data: { provider: 'brave' },
    });
    expect(await callTool(server.client, 'web_fetch', { url: `${site.url}/article` })).toMatchObject({
      ok: true,
      data: { format: 'markdown', title: expect.stringContaining('Rate limiting') },
    });
    expect(await callTool(server.client, 'web_fetch', { url: `${site.url}/report.pdf` })).toMatchObject({
      ok: true,
      data: { format: 'pdf', content: expect.stringContaining('Revenue grew 12 percent') },
    });
    expect(await callTool(server.client, 'web_fetch', { url: 'http://169.254.169.254/' })).toMatchObject({
      ok: false,
      error: { type: 'forbidden' },
    });
    expect(await server.close()).toBe(0);
    expect(server.nonProtocolLines).toEqual([]);
    expect(server.stderr()).toContain('search request');
    expect(server.stderr()).not.toContain(brave.key);
  });
});
