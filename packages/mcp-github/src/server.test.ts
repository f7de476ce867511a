import { createLogger } from '@org/mcp-core';
import { callTool, connectServer, type ConnectedClient } from '@org/mcp-core/testing';
import { startFakeGitHub, type FakeGitHub } from '../test/fake-github/index.js';
import { fastDeps } from '../test/fast-deps.js';
import { server } from './server.js';

let gh: FakeGitHub;
let logLines: string[] = [];
let flushLog: () => Promise<void> = async () => undefined;
beforeEach(async () => {
  gh = await startFakeGitHub();
  gh.addRepo(
    'acme/api',
    {
      'README.md': '# API\n',
      'src/index.ts': 'export const a = 1;\n',
      'src/lib/util.ts': 'export {};\n',
      'bin/run.sh': '#!/bin/sh\necho hi\n',
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]),
    },
    { executable: ['bin/run.sh'] },
  );
  gh.addRepo('acme/secret', { 'a.txt': 'x' }, { private: true });
  gh.addRepo('other/thing', { 'b.txt': 'y' });
});
afterEach(async () => {
  expect(gh.violations).toEqual([]); // nothing the real API would have rejected
  await gh.close();
});

async function connect(env: Record<string, string> = {}): Promise<ConnectedClient> {
  logLines = [];
  const { logger, flush } = await createLogger({
    name: 'test',
    level: 'debug',
    secrets: [gh.token],
    writeStderr: (l) => logLines.push(l),
  });
  flushLog = flush;
  return connectServer(
    server,
    { GITHUB_PERSONAL_ACCESS_TOKEN: gh.token, GITHUB_API_URL: gh.url, ...env },
    { logger, createDeps: fastDeps },
  );
}

describe('mcp-github tools against a local GitHub API', () => {
  let s: ConnectedClient;
  afterEach(async () => {
    await s?.close();
  });

  it('reads files as text, refuses nothing on binary files, and pages directory trees in one request', async () => {
    s = await connect();
    expect(
      await callTool(s.client, 'get_file_content', { repo_name: 'acme/api', file_path: 'src/index.ts' }),
    ).toMatchObject({
      ok: true,
      data: { content: 'export const a = 1;\n', binary: false, ref: 'main', truncated: false },
    });
    expect(
      await callTool(s.client, 'get_file_content', { repo_name: 'acme/api', file_path: 'logo.png' }),
    ).toMatchObject({ ok: true, data: { binary: true, size: 8 } });
    expect(
      await callTool(s.client, 'get_file_content', { repo_name: 'acme/api', file_path: 'src' }),
    ).toMatchObject({ ok: false, error: { type: 'validation', error: 'src is a directory' } });
    expect(
      await callTool(s.client, 'get_file_content', { repo_name: 'acme/api', file_path: 'nope.ts' }),
    ).toMatchObject({ ok: false, error: { type: 'not_found', status_code: 404 } });
    const before = gh.requests.length;
    const tree = await callTool<{ entries: { path: string; type: string }[] }>(
      s.client,
      'get_directory_tree',
      { repo_name: 'acme/api', recursive: true, branch: 'main' },
    );
    expect(gh.requests.length - before).toBe(1);
    expect(tree.ok && tree.data.entries.map((e) => `${e.type}:${e.path}`)).toEqual([
      'file:README.md',
      'dir:bin',
      'file:bin/run.sh',
      'file:logo.png',
      'dir:src',
      'file:src/index.ts',
      'dir:src/lib',
      'file:src/lib/util.ts',
    ]);
    const top = await callTool<{ entries: { path: string }[] }>(s.client, 'get_directory_tree', {
      repo_name: 'acme/api',
      path: 'src',
    });
    expect(top.ok && top.data.entries.map((e) => e.path)).toEqual(['src/index.ts', 'src/lib']);
  });

  it('lists repositories and branches with Link-header paging', async () => {
    s = await connect();
    for (let i = 0; i < 5; i++) gh.addRepo(`acme/r${i}`, { 'x.txt': 'x' });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await callTool<{ repositories: { full_name: string }[]; next_cursor?: string }>(
        s.client,
        'list_repositories',
        { limit: 3, ...(cursor ? { cursor } : {}) },
      );
      expect(page.ok).toBe(true);
      if (!page.ok) break;
      seen.push(...page.data.repositories.map((r) => r.full_name));
      cursor = page.data.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(8);
    expect(gh.requests.some((r) => /[?&]page=3/.test(r.path))).toBe(true);
    expect(await callTool(s.client, 'list_branches', { repo_name: 'acme/api' })).toMatchObject({
      ok: true,
      data: { branches: [{ name: 'main' }], truncated: false },
    });
  });

  it('creates branches, tells a missing branch from a missing repository, and refuses duplicates', async () => {
    s = await connect();
    expect(
      await callTool(s.client, 'create_branch', { repo_name: 'acme/api', branch_name: 'feature/x' }),
    ).toMatchObject({ ok: true, data: { source_branch: 'main', ref: 'refs/heads/feature/x' } });
    expect(
      await callTool(s.client, 'create_branch', { repo_name: 'acme/api', branch_name: 'feature/x' }),
    ).toMatchObject({ ok: false, error: { type: 'conflict' } });
    expect(
      await callTool(s.client, 'create_branch', { repo_name: 'acme/api', branch_name: 'bad..name' }),
    ).toMatchObject({ ok: false, error: { type: 'validation' } });
    expect(
      await callTool(s.client, 'get_branch_info', { repo_name: 'acme/api', branch_name: 'feature/x' }),
    ).toMatchObject({ ok: true, data: { name: 'feature/x', commit: { message: 'Initial commit' } } });
    expect(
      await callTool(s.client, 'get_branch_info', { repo_name: 'acme/api', branch_name: 'nope' }),
    ).toMatchObject({
      ok: false,
      error: { type: 'not_found', error: 'Branch "nope" not found in acme/api' },
    });
    expect(
      await callTool(s.client, 'get_branch_info', { repo_name: 'acme/gone', branch_name: 'main' }),
    ).toMatchObject({
      ok: false,
      error: { type: 'not_found', error: 'Repository acme/gone not found (or the token cannot see it)' },
    });
  });

  it('creates, updates and deletes single files on the default branch unless told otherwise', async () => {
    s = await connect();
    expect(
      await callTool(s.client, 'create_or_update_file', {
        repo_name: 'acme/api',
        file_path: 'docs/new.md',
        content: 'hello',
        commit_message: 'add',
      }),
    ).toMatchObject({ ok: true, data: { action: 'created', branch: 'main' } });
    expect(
      await callTool(s.client, 'create_or_update_file', {
        repo_name: 'acme/api',
        file_path: 'docs/new.md',
        content: 'hello again',
        commit_message: 'edit',
      }),
    ).toMatchObject({ ok: true, data: { action: 'updated' } });
    expect(gh.files('acme/api', 'main').get('docs/new.md')?.content.toString()).toBe('hello again');
    expect(
      await callTool(s.client, 'delete_file', {
        repo_name: 'acme/api',
        file_path: 'docs/new.md',
        commit_message: 'rm',
      }),
    ).toMatchObject({ ok: true, data: { action: 'deleted', branch: 'main' } });
    expect(gh.files('acme/api', 'main').has('docs/new.md')).toBe(false);
    expect(
      await callTool(s.client, 'delete_file', {
        repo_name: 'acme/api',
        file_path: 'src',
        commit_message: 'rm',
      }),
    ).toMatchObject({ ok: false, error: { type: 'validation' } });
  });

  it('commits additions, updates, deletions and the executable bit in one atomic commit, creating the branch', async () => {
    s = await connect();
    const result = await callTool<{ commit: { sha: string }; branch_created: boolean }>(
      s.client,
      'commit_multiple_files',
      {
        repo_name: 'acme/api',
        branch: 'feature/batch',
        commit_message: 'batch',
        files: JSON.stringify([
          { path: 'src/index.ts', content: 'export const a = 2;\n' },
          { path: 'scripts/deploy.sh', content: '#!/bin/sh\n', mode: '100755' },
          { path: 'bin/run.sh', content: '#!/bin/sh\necho bye\n' },
          { path: 'README.md', delete: true },
          { path: 'img/dot.bin', content: Buffer.from([0, 255, 1]).toString('base64'), encoding: 'base64' },
        ]),
      },
    );
    expect(result).toMatchObject({ ok: true, data: { branch_created: true, files_count: 5 } });
    const files = gh.files('acme/api', 'feature/batch');
    expect(files.get('src/index.ts')?.content.toString()).toBe('export const a = 2;\n');
    expect(files.get('scripts/deploy.sh')?.mode).toBe('100755');
    expect(files.get('bin/run.sh')?.mode).toBe('100755'); // kept on update
    expect(files.has('README.md')).toBe(false);
    expect([...files.get('img/dot.bin')!.content]).toEqual([0, 255, 1]);
    expect(gh.files('acme/api', 'main').get('src/index.ts')?.content.toString()).toBe(
      'export const a = 1;\n',
    );
    const repo = gh.repos.get('acme/api')!;
    expect(repo.commits.get(result.ok ? result.data.commit.sha : '')?.parents).toEqual([
      repo.refs.get('heads/main'),
    ]);
  });

  it('validates a multi-file commit before the first write, leaving no orphan objects', async () => {
    s = await connect();
    const repo = gh.repos.get('acme/api')!;
    const objects = () => repo.blobs.size + repo.trees.size + repo.commits.size;
    const before = objects();
    for (const files of [
      [{ path: 'ghost.txt', delete: true }],
      [
        { path: 'a.txt', content: 'x' },
        { path: 'a.txt', content: 'y' },
      ],
      [{ path: '../escape', content: 'x' }],
      [{ path: 'src', content: 'x' }],
      [{ path: 'x', content: 'x', delete: true }],
      [],
    ]) {
      const r = await callTool(s.client, 'commit_multiple_files', {
        repo_name: 'acme/api',
        branch: 'main',
        commit_message: 'bad',
        files,
      });
      expect(r, JSON.stringify(files)).toMatchObject({ ok: false, error: { type: 'validation' } });
    }
    expect(objects()).toBe(before);
    expect(gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('lists issues without pull requests, creates issues, comments and pull requests', async () => {
    s = await connect();
    expect(
      await callTool(s.client, 'create_issue', {
        repo_name: 'acme/api',
        title: 'Bug',
        body: 'x'.repeat(600),
        labels: '["bug"]',
      }),
    ).toMatchObject({ ok: true, data: { number: 1, state: 'open' } });
    await callTool(s.client, 'create_branch', { repo_name: 'acme/api', branch_name: 'fix' });
    expect(
      await callTool(s.client, 'create_pull_request', {
        repo_name: 'acme/api',
        title: 'Fix',
        head: 'fix',
        base: 'main',
      }),
    ).toMatchObject({ ok: true, data: { number: 2 } });
    expect(
      await callTool(s.client, 'create_pull_request', {
        repo_name: 'acme/api',
        title: 'Fix',
        head: 'nope',
        base: 'main',
      }),
    ).toMatchObject({
      ok: false,
      error: { type: 'validation', status_code: 422, error: expect.stringContaining('head invalid') },
    });
    const issues = await callTool<{ issues: { number: number; body: string }[] }>(s.client, 'list_issues', {
      repo_name: 'acme/api',
      labels: ['bug'],
    });
    expect(issues.ok && issues.data.issues.map((i) => i.number)).toEqual([1]);
    expect(issues.ok && issues.data.issues[0]!.body.length).toBe(501);
    expect(await callTool(s.client, 'get_issue', { repo_name: 'acme/api', issue_number: 2 })).toMatchObject({
      ok: true,
      data: { is_pull_request: true },
    });
    expect(
      await callTool(s.client, 'add_issue_comment', {
        repo_name: 'acme/api',
        issue_number: 1,
        body: 'On it',
      }),
    ).toMatchObject({ ok: true, data: { id: expect.any(Number) } });
  });

  it('enforces the repository allowlist on every tool before any request', async () => {
    s = await connect({ GITHUB_ALLOWED_REPOS: 'acme/api,other/*' });
    const before = gh.requests.length;
    expect(
      await callTool(s.client, 'get_file_content', { repo_name: 'acme/secret', file_path: 'a.txt' }),
    ).toMatchObject({ ok: false, error: { type: 'forbidden' } });
    expect(await callTool(s.client, 'create_issue', { repo_name: 'ACME/Secret', title: 't' })).toMatchObject({
      ok: false,
      error: { type: 'forbidden' },
    });
    expect(
      await callTool(s.client, 'commit_multiple_files', {
        repo_name: 'acme/secret',
        branch: 'main',
        commit_message: 'm',
        files: [{ path: 'a', content: 'b' }],
      }),
    ).toMatchObject({ ok: false, error: { type: 'forbidden' } });
    expect(gh.requests.length).toBe(before);
    expect(
      await callTool(s.client, 'get_file_content', { repo_name: 'other/thing', file_path: 'b.txt' }),
    ).toMatchObject({ ok: true });
    const repos = await callTool<{ repositories: { full_name: string }[] }>(
      s.client,
      'list_repositories',
      {},
    );
    expect(repos.ok && repos.data.repositories.map((r) => r.full_name).sort()).toEqual([
      'acme/api',
      'other/thing',
    ]);
  });

  it('read-only mode offers only readers', async () => {
    s = await connect({ MCP_READ_ONLY: 'true' });
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'get_branch_info',
      'get_commit',
      'get_directory_tree',
      'get_file_content',
      'get_issue',
      'get_pull_request',
      'list_branches',
      'list_commits',
      'list_issues',
      'list_pull_requests',
      'list_repositories',
      'search_code',
      'search_issues',
      'search_repositories',
    ]);
    const all = await connect({ MCP_TOOLSETS: 'all' });
    expect((await all.client.listTools()).tools).toHaveLength(27);
    await all.close();
    expect(
      await callTool(s.client, 'delete_file', {
        repo_name: 'acme/api',
        file_path: 'README.md',
        commit_message: 'x',
      }),
    ).toMatchObject({ ok: false, error: { type: 'forbidden' } });
  });

  it('retries idempotent requests on rate limits and 5xx, never a POST, and reports what it could not retry', async () => {
    s = await connect();
    gh.failNext('502');
    expect(await callTool(s.client, 'list_branches', { repo_name: 'acme/api' })).toMatchObject({ ok: true });
    gh.failNext('secondary');
    expect(await callTool(s.client, 'list_branches', { repo_name: 'acme/api' })).toMatchObject({ ok: true });
    gh.failNext('429');
    expect(await callTool(s.client, 'get_issue', { repo_name: 'acme/api', issue_number: 1 })).toMatchObject({
      ok: false,
      error: { type: 'not_found' },
    }); // retried, then the real answer
    const posts = () => gh.requests.filter((r) => r.method === 'POST').length;
    const before = posts();
    gh.failNext('502');
    expect(await callTool(s.client, 'create_issue', { repo_name: 'acme/api', title: 'once' })).toMatchObject({
      ok: false,
      error: { type: 'http_error', status_code: 502, retryable: true },
    });
    expect(posts() - before).toBe(1);
    gh.failNext('primary', 3);
    expect(
      await callTool(s.client, 'create_issue', { repo_name: 'acme/api', title: 'limited' }),
    ).toMatchObject({ ok: false, error: { type: 'rate_limited', retryable: true } });
  });

  it('never shows the token, and reports a bad one as unauthorized', async () => {
    s = await connect();
    await callTool(s.client, 'list_branches', { repo_name: 'acme/api' });
    await flushLog();
    expect(logLines.join('')).not.toContain(gh.token);
    await s.close();
    s = await connectServer(server, {
      GITHUB_PERSONAL_ACCESS_TOKEN: 'github_pat_WRONG_1234567890',
      GITHUB_API_URL: gh.url,
    });
    const r = await callTool(s.client, 'list_branches', { repo_name: 'acme/api' });
    expect(r).toMatchObject({ ok: false, error: { type: 'unauthorized', status_code: 401 } });
    expect(r.text).not.toContain('github_pat_WRONG');
  });

  it('answers bad input with the envelope', async () => {
    s = await connect();
    for (const [name, args] of [
      ['get_file_content', { repo_name: 'not-a-repo', file_path: 'a' }],
      ['get_file_content', { repo_name: 'acme/api', file_path: '/abs' }],
      ['list_issues', { repo_name: 'acme/api', state: 'weird' }],
      ['create_issue', { repo_name: 'acme/api', title: '' }],
      ['create_issue', { repo_name: 'acme/api', title: 't', labels: '[1,2' }],
    ] as const) {
      expect(await callTool(s.client, name, args as Record<string, unknown>), name).toMatchObject({
        ok: false,
        error: { type: expect.stringMatching(/validation|forbidden/) },
      });
    }
  });
});
