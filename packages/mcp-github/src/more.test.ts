import { callTool, connectServer, type ConnectedClient } from '@org/mcp-core/testing';
import { startFakeGitHub, type FakeGitHub } from '../test/fake-github/index.js';
import { fastDeps } from '../test/fast-deps.js';
import { server } from './server.js';

let gh: FakeGitHub;
let s: ConnectedClient;
beforeEach(async () => {
  gh = await startFakeGitHub();
  gh.addRepo('acme/api', { 'README.md': '# API\nrate limiter here\n', 'src/a.ts': 'one\n' });
  gh.addRepo('acme/hidden', { 'x.md': 'rate limiter too\n' });
  s = await connectServer(
    server,
    {
      GITHUB_PERSONAL_ACCESS_TOKEN: gh.token,
      GITHUB_API_URL: gh.url,
      GITHUB_ALLOWED_REPOS: 'acme/api',
      MCP_TOOLSETS: 'all',
    },
    { createDeps: fastDeps },
  );
});
afterEach(async () => {
  await s.close();
  expect(gh.violations).toEqual([]);
  await gh.close();
});

describe('issues, pull requests, search, commits and releases', () => {
  it('updates an issue', async () => {
    await callTool(s.client, 'create_issue', { repo_name: 'acme/api', title: 'Bug' });
    expect(
      await callTool(s.client, 'update_issue', {
        repo_name: 'acme/api',
        issue_number: 1,
        state: 'closed',
        state_reason: 'completed',
        labels: ['done'],
      }),
    ).toMatchObject({
      ok: true,
      data: { state: 'closed', labels: ['done'] },
    });
    expect(
      await callTool(s.client, 'update_issue', { repo_name: 'acme/api', issue_number: 1 }),
    ).toMatchObject({ ok: false, error: { type: 'validation' } });
  });

  it('lists, reads (files and bounded diff) and merges a pull request, guarding the head sha', async () => {
    await callTool(s.client, 'commit_multiple_files', {
      repo_name: 'acme/api',
      branch: 'feature',
      commit_message: 'work',
      files: [
        { path: 'src/a.ts', content: 'two\n' },
        { path: 'src/b.ts', content: 'new\n' },
      ],
    });
    await callTool(s.client, 'create_pull_request', {
      repo_name: 'acme/api',
      title: 'Feature',
      head: 'feature',
      base: 'main',
    });
    expect(await callTool(s.client, 'list_pull_requests', { repo_name: 'acme/api' })).toMatchObject({
      ok: true,
      data: { pull_requests: [{ number: 1, head: 'feature', base: 'main', merged: false }] },
    });
    const files = await callTool<{ files: { filename: string; status: string }[]; head_sha: string }>(
      s.client,
      'get_pull_request',
      { repo_name: 'acme/api', pull_number: 1, include: 'files' },
    );
    expect(files.ok && files.data.files.map((f) => `${f.status}:${f.filename}`)).toEqual([
      'modified:src/a.ts',
      'added:src/b.ts',
    ]);
    const diff = await callTool<{ diff: string; truncated: boolean }>(s.client, 'get_pull_request', {
      repo_name: 'acme/api',
      pull_number: 1,
      include: 'diff',
      max_chars: 100,
    });
    expect(diff.ok && diff.data.diff.startsWith('diff --git a/src/a.ts b/src/a.ts')).toBe(true);
    expect(diff.ok && diff.data.diff.length).toBe(100);
    expect(diff.ok && diff.data.truncated).toBe(true);
    expect(
      await callTool(s.client, 'merge_pull_request', {
        repo_name: 'acme/api',
        pull_number: 1,
        sha: 'a'.repeat(40),
      }),
    ).toMatchObject({ ok: false, error: { type: 'conflict' } });
    const head = files.ok ? files.data.head_sha : '';
    expect(
      await callTool(s.client, 'merge_pull_request', {
        repo_name: 'acme/api',
        pull_number: 1,
        sha: head,
        merge_method: 'squash',
      }),
    ).toMatchObject({ ok: true, data: { merged: true } });
    expect(gh.files('acme/api', 'main').get('src/b.ts')?.content.toString()).toBe('new\n');
    expect(
      await callTool(s.client, 'merge_pull_request', { repo_name: 'acme/api', pull_number: 1 }),
    ).toMatchObject({ ok: false, error: { type: 'conflict' } });
  });

  it('searches code, issues and repositories, dropping results outside the allowlist', async () => {
    const code = await callTool<{ items: { repository: string; path: string }[] }>(s.client, 'search_code', {
      query: 'rate limiter',
    });
    expect(code.ok && code.data.items).toEqual([
      { repository: 'acme/api', title: 'README.md', url: expect.any(String), path: 'README.md' },
    ]);
    await callTool(s.client, 'create_issue', { repo_name: 'acme/api', title: 'Slow rate limiter' });
    expect(await callTool(s.client, 'search_issues', { query: 'limiter repo:acme/api' })).toMatchObject({
      ok: true,
      data: { items: [{ number: 1, repository: 'acme/api' }] },
    });
    const repos = await callTool<{ items: { repository: string }[] }>(s.client, 'search_repositories', {
      query: 'acme',
    });
    expect(repos.ok && repos.data.items.map((r) => r.repository)).toEqual(['acme/api']);
  });

  it('lists and reads commits', async () => {
    await callTool(s.client, 'create_or_update_file', {
      repo_name: 'acme/api',
      file_path: 'src/a.ts',
      content: 'changed\n',
      commit_message: 'change a',
    });
    const commits = await callTool<{ commits: { sha: string; message: string }[] }>(
      s.client,
      'list_commits',
      { repo_name: 'acme/api' },
    );
    expect(commits.ok && commits.data.commits.map((c) => c.message)).toEqual(['change a', 'Initial commit']);
    const sha = commits.ok ? commits.data.commits[0]!.sha : '';
    expect(await callTool(s.client, 'get_commit', { repo_name: 'acme/api', ref: sha })).toMatchObject({
      ok: true,
      data: {
        message: 'change a',
        files: [{ filename: 'src/a.ts', status: 'modified', additions: 1, deletions: 1 }],
      },
    });
  });

  it('creates, lists, reads and updates releases', async () => {
    const created = await callTool<{ id: number }>(s.client, 'create_release', {
      repo_name: 'acme/api',
      tag_name: 'v1.0.0',
      name: 'One',
      draft: true,
    });
    expect(created).toMatchObject({
      ok: true,
      data: { tag_name: 'v1.0.0', draft: true, published_at: null },
    });
    expect(
      await callTool(s.client, 'create_release', { repo_name: 'acme/api', tag_name: 'v1.0.0' }),
    ).toMatchObject({
      ok: false,
      error: { type: 'validation', error: expect.stringContaining('already_exists') },
    });
    expect(await callTool(s.client, 'get_release', { repo_name: 'acme/api' })).toMatchObject({
      ok: false,
      error: { type: 'not_found' },
    });
    const id = created.ok ? created.data.id : 0;
    expect(
      await callTool(s.client, 'update_release', {
        repo_name: 'acme/api',
        release_id: id,
        draft: false,
        body: 'Notes',
      }),
    ).toMatchObject({ ok: true, data: { draft: false, body: 'Notes' } });
    expect(await callTool(s.client, 'get_release', { repo_name: 'acme/api' })).toMatchObject({
      ok: true,
      data: { tag_name: 'v1.0.0' },
    });
    expect(await callTool(s.client, 'get_release', { repo_name: 'acme/api', tag: 'v1.0.0' })).toMatchObject({
      ok: true,
      data: { name: 'One' },
    });
    expect(await callTool(s.client, 'list_releases', { repo_name: 'acme/api' })).toMatchObject({
      ok: true,
      data: { releases: [{ tag_name: 'v1.0.0' }] },
    });
    expect(await callTool(s.client, 'list_releases', { repo_name: 'acme/hidden' })).toMatchObject({
      ok: false,
      error: { type: 'forbidden' },
    });
  });
});
