// Randomized hostile calls (fixed seed, bounded count) to every GitHub tool against the local fake:
// the server keeps answering, every answer is a result or a well-formed envelope, a rejected call
// leaves no accepted write behind, and nothing sent is a request the real API would reject.
import { acceptedWrites, connectServer, runHostileCalls } from '@org/mcp-core/testing';
import { startFakeGitHub } from '../test/fake-github/index.js';
import { fastDeps } from '../test/fast-deps.js';
import { server } from './server.js';

it('hostile calls never wedge, crash or half-write the server', { timeout: 180_000 }, async () => {
  const gh = await startFakeGitHub();
  gh.addRepo('acme/api', { 'README.md': '# API\n', 'src/index.ts': 'export const a = 1;\n' });
  const s = await connectServer(
    server,
    { GITHUB_PERSONAL_ACCESS_TOKEN: gh.token, GITHUB_API_URL: gh.url, MCP_TOOLSETS: 'all' },
    { createDeps: fastDeps },
  );
  const report = await runHostileCalls(s.client, {
    seed: 18,
    callsPerTool: 8,
    known: {
      repo_name: ['acme/api'],
      owner: ['acme'],
      repo: ['api'],
      branch: ['main'],
      base: ['main'],
      file_path: ['README.md', 'src/index.ts'],
      path: ['README.md'],
      issue_number: [1],
      pull_number: [1],
    },
    // Reads sent as POST (GraphQL) do not count.
    snapshot: () => acceptedWrites(gh.requests, /^\/graphql/),
  });
  await s.close();
  const violations = [...gh.violations];
  await gh.close();
  expect(report.problems).toEqual([]);
  expect(violations).toEqual([]);
  expect(report.calls).toBeGreaterThan(150);
  expect(report.types['validation']).toBeGreaterThan(50);
  expect(report.accepted).toBeGreaterThan(10);
});
