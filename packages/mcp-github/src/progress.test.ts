// commit_multiple_files reports its steps through MCP to a client that asks, and only then.
import { connectServer, type ConnectedClient } from '@org/mcp-core/testing';
import { startFakeGitHub, type FakeGitHub } from '../test/fake-github/index.js';
import { fastDeps } from '../test/fast-deps.js';
import { server } from './server.js';

let gh: FakeGitHub;
let s: ConnectedClient;
beforeEach(async () => {
  gh = await startFakeGitHub();
  gh.addRepo('acme/api', { 'README.md': '# API\n' });
  s = await connectServer(
    server,
    { GITHUB_PERSONAL_ACCESS_TOKEN: gh.token, GITHUB_API_URL: gh.url },
    { createDeps: fastDeps },
  );
});
afterEach(async () => {
  await s.close();
  expect(gh.violations).toEqual([]);
  await gh.close();
});

const commit = (branch: string) => ({
  name: 'commit_multiple_files',
  arguments: {
    repo_name: 'acme/api',
    branch,
    commit_message: 'two files',
    files: [
      { path: 'a.txt', content: 'a' },
      { path: 'b.bin', content: Buffer.from([0, 1, 2]).toString('base64'), encoding: 'base64' },
    ],
  },
});

it('reports steps up to the total (3 reads, one per file, tree, commit, ref) and commits', async () => {
  const seen: { progress: number; total?: number; message?: string }[] = [];
  const result = await s.client.callTool(commit('feature/progress'), undefined, {
    onprogress: (p) => seen.push(p),
  });
  expect(result.isError).toBeFalsy();
  expect(gh.files('acme/api', 'feature/progress').get('a.txt')?.content.toString()).toBe('a');
  expect(seen[0]).toMatchObject({ progress: 1, total: 8 });
  expect(seen.at(-1)).toEqual({ progress: 8, total: 8, message: 'created the branch' });
});

it('sends no notification without a progress token', async () => {
  const methods: string[] = [];
  s.client.fallbackNotificationHandler = async (n) => {
    methods.push(n.method);
  };
  const result = await s.client.callTool(commit('feature/quiet'));
  expect(result.isError).toBeFalsy();
  expect(methods).toEqual([]);
});
