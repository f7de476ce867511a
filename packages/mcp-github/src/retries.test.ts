import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getFreePort, callTool, connectServer, type ServerSession } from '@org/mcp-core/testing';
import { startFakeGitHub, type FakeGitHub } from '../test/fake-github/index.js';
import { fastDeps } from '../test/fast-deps.js';
import type { Deps } from './deps.js';
import { server } from './server.js';

// Issue 12's GitHub defects, through MCP against the fake GitHub.
let gh: FakeGitHub;
let s: ServerSession<Deps> | undefined;
beforeEach(async () => {
  gh = await startFakeGitHub();
  gh.addRepo('acme/api', { 'README.md': '# API\n' });
});
afterEach(async () => {
  await s?.close();
  s = undefined;
  await gh.close();
});
const connect = (env: Record<string, string> = {}) =>
  connectServer(
    server,
    { GITHUB_PERSONAL_ACCESS_TOKEN: gh.token, GITHUB_API_URL: gh.url, ...env },
    { createDeps: fastDeps },
  );
const getsAt = () => gh.requests.filter((r) => r.method === 'GET').map((r) => r.at);

describe('GitHub under the shared retry policy', () => {
  it('a 429 with Retry-After: 2 is retried no sooner than 2 s later', async () => {
    s = await connect();
    gh.failNext('429', 1, '2');
    const before = gh.requests.length;
    expect(await callTool(s.client, 'list_branches', { repo_name: 'acme/api' })).toMatchObject({ ok: true });
    const [first, second] = gh.requests.slice(before).map((r) => r.at);
    expect(second! - first!).toBeGreaterThanOrEqual(1950);
  });

  it('a 429 with Retry-After: 3600 sends one GET and answers rate_limited at once, with the wait', async () => {
    s = await connect();
    gh.failNext('429', 3, '3600');
    const before = getsAt().length;
    const started = Date.now();
    const r = await callTool(s.client, 'list_branches', { repo_name: 'acme/api' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r).toMatchObject({
      ok: false,
      error: { type: 'rate_limited', retryable: true, retry_after_s: 3600 },
    });
    expect(getsAt().length - before).toBe(1);
  });

  it('a refused connection is connection, not an invented http_error 500', async () => {
    const port = await getFreePort();
    s = await connectServer(
      server,
      { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_x', GITHUB_API_URL: `http://127.0.0.1:${port}` },
      { createDeps: fastDeps },
    );
    const r = await callTool(s.client, 'list_branches', { repo_name: 'acme/api' });
    expect(r).toMatchObject({ ok: false, error: { type: 'connection', retryable: true } });
    expect(r.ok || r.error.status_code).toBeUndefined();
  });

  it('GITHUB_TIMEOUT_SECONDS bounds each attempt (Octokit has no timeout of its own)', async () => {
    const stalled = createServer(() => undefined); // reads the request, never answers
    const seen: string[] = [];
    stalled.on('request', (req: { url?: string }) => seen.push(req.url ?? ''));
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = stalled.address() as AddressInfo;
      s = await connect({ GITHUB_API_URL: `http://127.0.0.1:${port}`, GITHUB_TIMEOUT_SECONDS: '1' });
      const started = performance.now();
      const r = await callTool(s.client, 'list_branches', { repo_name: 'acme/api' });
      expect(r).toMatchObject({ ok: false, error: { type: 'timeout', retryable: true } });
      expect(seen).toHaveLength(3); // a GET: the first attempt and two retries, each cut at 1 s
      expect(performance.now() - started).toBeGreaterThanOrEqual(3000);
    } finally {
      stalled.closeAllConnections();
      await new Promise<void>((resolve) => stalled.close(() => resolve()));
    }
  });

  it('get_branch_info says whether the repository or the branch is missing', async () => {
    s = await connect();
    const repo = await callTool(s.client, 'get_branch_info', { repo_name: 'acme/nope', branch_name: 'main' });
    expect(repo).toMatchObject({ ok: false, error: { type: 'not_found' } });
    expect(!repo.ok && repo.error.error).toMatch(/repository acme\/nope/i);
    const branch = await callTool(s.client, 'get_branch_info', {
      repo_name: 'acme/api',
      branch_name: 'nope',
    });
    expect(branch).toMatchObject({ ok: false, error: { type: 'not_found' } });
    expect(!branch.ok && branch.error.error).toMatch(/branch "nope"/i);
  });
});
