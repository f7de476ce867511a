// Jira benchmark over stdio with a real MCP client against the local fake Jira, in one run beside
// a bare SDK server: p50/p99 of jira_get_issue and jira_search_issues as ratios to the bare
// server's no-op (interleaved round-robin); spawn → first tools/list against the bare server
// bundled the same way; and the requests a bulk create of 50 issues sends. Run after the bundle:
//   node bench/stdio.mjs          (BENCH_RUNS=300 by default)
// The fake is TypeScript under test/, loaded with importTs.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bareServer,
  bundledBareServer,
  interleaved,
  firstToolsList,
  printToolsList,
  spawnStdioServer,
  toolCall,
} from '../../mcp-core/bench/measure.mjs';
import { importTs } from '../../mcp-core/bench/import-ts.mjs';

const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const cleanups = [];

try {
  const { startFakeJira } = await importTs(
    fileURLToPath(new URL('../test/fake-jira/index.ts', import.meta.url)),
  );
  const fake = await startFakeJira();
  cleanups.unshift(() => fake.close());
  for (let i = 0; i < 50; i++) fake.addIssue('ENG', { summary: `Issue ${i}`, labels: ['bench'] });
  const jiraEnv = {
    PATH: process.env.PATH,
    JIRA_BASE_URL: fake.url,
    JIRA_EMAIL: fake.email,
    JIRA_API_TOKEN: fake.token,
    JIRA_RATE_LIMIT_DELAY: '0',
    MCP_TOOLSETS: 'all',
  };
  const env = { PATH: process.env.PATH };
  const bare = await spawnStdioServer({ command: process.execPath, args: [bareServer], env });
  const jira = await spawnStdioServer({ command: process.execPath, args: [bin], env: jiraEnv });
  cleanups.unshift(
    () => bare.close(),
    () => jira.close(),
  );

  // One interleaved run per Jira tool, so that its server CPU per call is its own (one process).
  const noop = toolCall('bare SDK no-op', bare.client, 'noop', {}, bare.child.pid);
  const options = { runs: RUNS, warmup: Math.min(100, RUNS) };
  const runs = [
    await interleaved(
      [
        noop,
        toolCall(
          'jira_get_issue',
          jira.client,
          'jira_get_issue',
          (i) => ({ issue_key: `ENG-${(i % 50) + 1}` }),
          jira.child.pid,
        ),
      ],
      options,
    ),
    await interleaved(
      [
        noop,
        toolCall(
          'jira_search_issues (20 of 50)',
          jira.client,
          'jira_search_issues',
          { jql: 'project = ENG ORDER BY key ASC', max_results: 20 },
          jira.child.pid,
        ),
      ],
      options,
    ),
  ];
  console.log(
    `node ${process.version}, ${RUNS} interleaved rounds (fake Jira on 127.0.0.1, every request checked against the OpenAPI descriptions)`,
  );
  console.log('call                               p50 ms   p99 ms   p50/bare  p99/bare   server CPU/call');
  for (const rows of runs) {
    for (const r of rows) {
      console.log(
        `${r.label.padEnd(34)} ${r.p50.toFixed(3).padStart(7)} ${r.p99.toFixed(3).padStart(8)} ${(r.p50 / rows[0].p50).toFixed(2).padStart(9)} ${(r.p99 / rows[0].p99).toFixed(2).padStart(9)}   ${r.cpuUs === undefined ? '' : `${r.cpuUs.toFixed(0).padStart(12)} µs`}`,
      );
    }
  }

  const before = fake.requests.length;
  const bulk = await jira.client.callTool({
    name: 'jira_create_issues_bulk',
    arguments: {
      issues: Array.from({ length: 50 }, (_, i) => ({ project_key: 'ENG', summary: `Bulk ${i}` })),
    },
  });
  const sent = fake.requests.slice(before);
  console.log(
    `bulk create of 50 issues: ${bulk.structuredContent?.created} created, ${sent.length} request(s) sent (${sent.map((r) => `${r.method} ${r.url.pathname}`).join(', ')})`,
  );
  if (fake.violations.length) console.log(`violations: ${fake.violations.join('; ')}`);

  const bareBundle = await bundledBareServer();
  cleanups.push(() => rmSync(join(bareBundle, '../..'), { recursive: true, force: true }));
  const targets = [
    { label: 'bare SDK server (bundled)', args: [bareBundle], env },
    { label: 'mcp-jira bundle (all toolsets)', args: [bin], env: jiraEnv },
    { label: 'mcp-jira bundle (default toolsets)', args: [bin], env: { ...jiraEnv, MCP_TOOLSETS: '' } },
  ];
  printToolsList(await firstToolsList(targets, 15), 15);
} finally {
  for (const c of cleanups) await c();
}
