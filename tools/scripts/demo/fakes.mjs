// The local stand-ins of Jira Cloud and GitHub the demo runs against: the very fakes the servers'
// tests use (packages/mcp-jira/test/fake-jira, packages/mcp-github/test/fake-github), on 127.0.0.1.
// They are TypeScript, loaded with importTs (bundled in memory: nothing is written to disk).
import { fileURLToPath } from 'node:url';
import { importTs } from '../../../packages/mcp-core/bench/import-ts.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Starts the fake Jira (project ENG with a Scrum board and an active sprint; keys continue from
 * ENG-100) and the fake GitHub (repository your-org/api). `close()` stops both.
 */
export async function startStandIns() {
  const [jiraModule, githubModule] = await Promise.all([
    importTs(`${root}packages/mcp-jira/test/fake-jira/index.ts`),
    importTs(`${root}packages/mcp-github/test/fake-github/index.ts`),
  ]);
  const started = await Promise.allSettled([jiraModule.startFakeJira(), githubModule.startFakeGitHub()]);
  const [jira, github] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
  const close = async () => {
    await Promise.all([jira?.close(), github?.close()]);
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }
  // The original's keys ran PROJ-101 to PROJ-106; the fake's project is ENG.
  jira.state.counters.set('ENG', 100);
  github.addRepo('your-org/api', {
    'README.md': '# API\n\nThe public API of your-org.\n',
    'package.json': '{ "name": "api", "version": "1.0.0", "type": "module" }\n',
    'src/server.js': "export function handle(req) {\n  return { status: 200, body: 'ok' };\n}\n",
  });
  return { jira, github, close };
}
