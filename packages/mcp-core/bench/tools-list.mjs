#!/usr/bin/env node
// Spawn → first tools/list answer, for each server's built bundle beside the bare SDK server
// bundled the same way, with the placeholder configuration the packaging check uses; spawned in
// turns so drift hits all alike. Run after `nx run-many -t bundle`:
//   node packages/mcp-core/bench/tools-list.mjs [runs]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bundledBareServer, firstToolsList, printToolsList } from './measure.mjs';

const runs = Number(process.argv[2] ?? 15);
const root = new URL('../../../', import.meta.url).pathname;
const data = mkdtempSync(join(tmpdir(), 'tools-list-bench-'));
const bare = await bundledBareServer();
const env = { PATH: process.env.PATH, HOME: data };
const bin = (name) => [join(root, `packages/${name}/dist/bundle/bin.js`)];
const targets = [
  { label: 'bare SDK server (bundled)', args: [bare], env },
  {
    label: 'goal-agent (file store)',
    args: bin('mcp-goal-agent'),
    env: { ...env, GOAL_AGENT_DATA_DIR: join(data, 'goals') },
  },
  {
    label: 'memory-cache (file backend)',
    args: bin('mcp-memory-cache'),
    env: { ...env, CACHE_DATA_DIR: join(data, 'cache') },
  },
  {
    label: 'github',
    args: bin('mcp-github'),
    env: { ...env, GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_bench', GITHUB_API_URL: 'http://127.0.0.1:9' },
  },
  {
    label: 'jira',
    args: bin('mcp-jira'),
    env: {
      ...env,
      JIRA_BASE_URL: 'http://127.0.0.1:9',
      JIRA_EMAIL: 'bench@example.com',
      JIRA_API_TOKEN: 'bench',
    },
  },
  { label: 'internet', args: bin('mcp-internet'), env },
  {
    label: 'frappe',
    args: bin('mcp-frappe'),
    env: {
      ...env,
      FRAPPE_URL: 'http://127.0.0.1:9',
      FRAPPE_API_KEY: 'benchkey',
      FRAPPE_API_SECRET: 'benchsecret',
    },
  },
];
try {
  printToolsList(await firstToolsList(targets, runs), runs);
} finally {
  rmSync(data, { recursive: true, force: true });
  rmSync(dirname(dirname(bare)), { recursive: true, force: true });
}
