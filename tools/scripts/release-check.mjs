// The release pipeline, end to end, against a private registry (the packaging check's verdaccio)
// on a temporary copy of the repository, with what is built already (run after the build):
//
//   1. no changeset: `pnpm release` publishes every package at its current version
//   2. two changesets (goal-engine minor, mcp-core patch): `pnpm release` bumps exactly those,
//      the library that depends on goal-engine and every server (they bundle mcp-core), writes
//      their changelogs and publishes exactly those versions, workspace:^ turned into ranges
//   3. the new versions install and run from an empty directory (`npx -y`, `npm install`)
//   4. `pnpm release` again, with nothing changed, publishes nothing
//
// The copy publishes with RELEASE_SKIP_BUILD=1: the bundles are the ones built before the bump,
// so a server reports its new version (read from package.json at start) but its tool-schemas
// file still names the old one (the runner then builds the schemas itself).
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnStdioServer } from '../../packages/mcp-core/dist/testing/index.js';
import { registryUser, startRegistry } from './registry.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const started = Date.now();
const work = mkdtempSync(join(tmpdir(), 'release-check-'));
const copy = join(work, 'repo');
const log = (line) => process.stderr.write(`[release-check] ${line}\n`);
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'release-check',
  GIT_AUTHOR_EMAIL: 'release-check@example.com',
  GIT_COMMITTER_NAME: 'release-check',
  GIT_COMMITTER_EMAIL: 'release-check@example.com',
};

function must(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout ?? ''}${result.stderr ?? ''}`,
    );
  }
  return `${result.stdout ?? ''}${result.stderr ?? ''}`;
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** The repository's files (tracked and new, not ignored), its builds, and links to its node_modules. */
function copyRepository() {
  const files = must('git', ['ls-files', '-z', '-co', '--exclude-standard'], { cwd: root })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(root, file))) continue; // deleted in the work tree
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(root, file), join(copy, file));
  }
  for (const group of ['packages', 'tools']) {
    for (const dir of readdirSync(join(root, group))) {
      for (const sub of ['dist', 'node_modules']) {
        const from = join(root, group, dir, sub);
        // verbatimSymlinks: pnpm's relative links then resolve into the copy (workspace packages)
        // or, through the root link below, into the repository's store.
        if (existsSync(from))
          cpSync(from, join(copy, group, dir, sub), { recursive: true, verbatimSymlinks: true });
      }
    }
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  // Start from no pending changeset: the check writes its own.
  for (const file of readdirSync(join(copy, '.changeset'))) {
    if (file.endsWith('.md') && file !== 'README.md') unlinkSync(join(copy, '.changeset', file));
  }
  const git = (...args) => must('git', args, { cwd: copy, env: { ...process.env, ...GIT_ENV } });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'release-check base');
}

function packageNames() {
  return readdirSync(join(copy, 'packages'))
    .map((dir) => JSON.parse(readFileSync(join(copy, 'packages', dir, 'package.json'), 'utf8')))
    .filter((pkg) => !pkg.private)
    .map((pkg) => pkg.name);
}

// verdaccio now and then closes a kept-alive socket as it is reused ("other side closed").
async function fetchRetrying(url) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url);
    } catch (error) {
      if (attempt === 3) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function published(registry, names) {
  const out = {};
  for (const name of names) {
    const response = await fetchRetrying(`${registry.url}/${name.replace('/', '%2f')}`);
    out[name] = response.ok ? await response.json() : { versions: {} };
  }
  return out;
}
const versionsOf = (doc) => Object.keys(doc.versions).sort();

let registry;
let ok = false;
try {
  copyRepository();
  log(`copied the repository to ${copy} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  registry = await startRegistry(work);
  const npmrc = await registryUser(registry, work);
  appendFileSync(join(copy, '.npmrc'), `\n${readFileSync(npmrc, 'utf8')}`); // pnpm publish reads the workspace's
  const env = {
    ...process.env,
    ...GIT_ENV,
    npm_config_registry: `${registry.url}/`,
    npm_config_userconfig: npmrc,
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_update_notifier: 'false',
    RELEASE_SKIP_BUILD: '1',
  };
  const release = () => must(process.execPath, [join(copy, 'tools/scripts/release.mjs')], { cwd: copy, env });
  const names = packageNames();
  const current = Object.fromEntries(
    readdirSync(join(copy, 'packages')).map((dir) => {
      const pkg = JSON.parse(readFileSync(join(copy, 'packages', dir, 'package.json'), 'utf8'));
      return [pkg.name, pkg.version];
    }),
  );

  // 1. The first release: every package at its current version.
  let t = Date.now();
  release();
  let docs = await published(registry, names);
  for (const name of names)
    check(
      versionsOf(docs[name]).join() === current[name],
      `${name}: published ${versionsOf(docs[name])}, expected ${current[name]}`,
    );
  log(`release 1 published all ${names.length} packages (${((Date.now() - t) / 1000).toFixed(1)} s)`);

  // 2. Two changesets.
  const bump = (version, type) => {
    const [major, minor, patch] = version.split('.').map(Number);
    return type === 'minor' ? `${major}.${minor + 1}.0` : `${major}.${minor}.${patch + 1}`;
  };
  writeFileSync(
    join(copy, '.changeset/check-engine.md'),
    "---\n'@org/goal-engine': minor\n---\n\nrelease-check: a new planner option.\n",
  );
  writeFileSync(
    join(copy, '.changeset/check-core.md'),
    "---\n'@org/mcp-core': patch\n---\n\nrelease-check: a runner fix.\n",
  );
  const servers = readdirSync(join(copy, 'packages'))
    .map((dir) => JSON.parse(readFileSync(join(copy, 'packages', dir, 'package.json'), 'utf8')))
    .filter((pkg) => pkg.nx?.tags?.includes('type:server'))
    .map((pkg) => pkg.name);
  const expected = {
    '@org/goal-engine': bump(current['@org/goal-engine'], 'minor'),
    '@org/mcp-core': bump(current['@org/mcp-core'], 'patch'),
    '@org/goal-store-redis': bump(current['@org/goal-store-redis'], 'patch'), // depends on goal-engine
    ...Object.fromEntries(servers.map((name) => [name, bump(current[name], 'patch')])), // bundle mcp-core
  };
  t = Date.now();
  release();
  docs = await published(registry, names);
  for (const name of names) {
    const want = [current[name], expected[name]].filter(Boolean).sort().join();
    check(
      versionsOf(docs[name]).join() === want,
      `${name}: published ${versionsOf(docs[name])}, expected ${want}`,
    );
  }
  const store = docs['@org/goal-store-redis'].versions[expected['@org/goal-store-redis']];
  check(
    store.dependencies['@org/goal-engine'] === `^${expected['@org/goal-engine']}`,
    `goal-store-redis depends on @org/goal-engine ${store.dependencies['@org/goal-engine']}, expected ^${expected['@org/goal-engine']}`,
  );
  const changelog = (dir) => readFileSync(join(copy, 'packages', dir, 'CHANGELOG.md'), 'utf8');
  check(
    changelog('goal-engine').includes('release-check: a new planner option.'),
    'goal-engine changelog lacks its changeset',
  );
  check(
    changelog('mcp-github').includes(`Bundles @org/mcp-core ${expected['@org/mcp-core']}`),
    'mcp-github changelog does not say what it bundles',
  );
  check(
    !existsSync(join(copy, 'packages/file-journal/CHANGELOG.md')),
    'file-journal got a changelog without a change',
  );
  const tags = must('git', ['tag'], { cwd: copy }).trim().split('\n').filter(Boolean);
  check(
    tags.includes(`@org/goal-engine@${expected['@org/goal-engine']}`),
    `no tag for goal-engine: ${tags.join(' ')}`,
  );
  log(
    `release 2 published exactly ${Object.entries(expected)
      .map(([n, v]) => `${n}@${v}`)
      .join(', ')} (${((Date.now() - t) / 1000).toFixed(1)} s)`,
  );

  // 3. The new versions install and run from an empty directory.
  t = Date.now();
  const empty = mkdtempSync(join(work, 'empty-'));
  const agent = `@org/mcp-goal-agent@${expected['@org/mcp-goal-agent']}`;
  const server = await spawnStdioServer({
    command: 'npx',
    args: ['-y', agent],
    env: {
      PATH: process.env.PATH,
      HOME: join(work, 'home'),
      npm_config_registry: env.npm_config_registry,
      npm_config_userconfig: npmrc,
      npm_config_cache: join(work, 'npx-cache'),
    },
    cwd: empty,
    timeoutMs: 120000,
  });
  try {
    const info = server.client.getServerVersion();
    const { tools } = await server.client.listTools();
    check(info?.version === expected['@org/mcp-goal-agent'], `${agent} reports version ${info?.version}`);
    check(tools.length > 0, `${agent} lists no tools`);
    check((await server.close()) === 0, `${agent} did not exit 0`);
  } catch (error) {
    server.child.kill('SIGKILL');
    throw new Error(`${String(error)}\n${server.stderr()}`);
  }
  const lib = `@org/goal-store-redis@${expected['@org/goal-store-redis']}`;
  must('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund', lib], {
    cwd: empty,
    env: { ...env, npm_config_cache: join(work, 'npx-cache') },
  });
  const engine = JSON.parse(readFileSync(join(empty, 'node_modules/@org/goal-engine/package.json'), 'utf8'));
  check(
    engine.version === expected['@org/goal-engine'],
    `${lib} installed @org/goal-engine ${engine.version}`,
  );
  must(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const m = await import('@org/goal-store-redis'); if (!m.RedisGoalStore && Object.keys(m).length === 0) process.exit(1);",
    ],
    { cwd: empty },
  );
  log(
    `${agent} answered tools/list via npx, ${lib} installed with @org/goal-engine@${engine.version} and imported (${((Date.now() - t) / 1000).toFixed(1)} s)`,
  );

  // 4. Nothing changed: nothing published.
  t = Date.now();
  const output = release();
  const after = await published(registry, names);
  for (const name of names)
    check(
      versionsOf(after[name]).join() === versionsOf(docs[name]).join(),
      `${name}: a release without changes published ${versionsOf(after[name])}`,
    );
  check(
    /No unpublished projects to publish/.test(output),
    `the last release did not say it had nothing to publish:\n${output.slice(-2000)}`,
  );
  log(`release 3 without changesets published nothing (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  ok = true;
} catch (error) {
  log(
    `FAIL ${error instanceof Error ? `${error.stack}${error.cause ? `\ncause: ${String(error.cause)}` : ''}` : String(error)}`,
  );
} finally {
  registry?.child.kill();
  rmSync(work, { recursive: true, force: true });
}
console.log(`release-check: ${ok ? 'passed' : 'failed'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(ok ? 0 : 1);
