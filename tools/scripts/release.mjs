// Releases with changesets, independent versions.
//
//   pnpm release              = version, then publish (what a maintainer runs by hand)
//   pnpm release version      applies the pending changesets: bumps versions, writes changelogs
//   pnpm release publish      builds and bundles every package, then publishes each version not
//                             yet on the registry (`changeset publish`: pnpm publish, which turns
//                             workspace:^ into real ranges) and tags it
//
// Changesets bumps the dependents of a changed library by their `dependencies`. A server has
// none at run time: its bin bundles the @org libraries it builds on (devDependencies), so a
// changed library changes the server too. Before versioning, this script therefore adds a patch
// changeset for every server that bundles a library about to be released and is not released
// already, so a fix in @org/mcp-core reaches the servers' users.
//
// RELEASE_SKIP_BUILD=1 publishes what is built already (the release check, which builds first).
import getReleasePlan from '@changesets/get-release-plan';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
const log = (line) => process.stderr.write(`[release] ${line}\n`);

function run(command, args, env = process.env) {
  log(`${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status})`);
}

function workspacePackages() {
  return readdirSync(join(root, 'packages')).map((dir) => {
    const pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
    return { dir, pkg, server: pkg.nx?.tags?.includes('type:server') === true };
  });
}

/** The @org packages a server's bundle contains: its @org devDependencies and their runtime dependencies. */
export function bundledLibraries(server, byName) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name) || !byName.has(name)) return;
    seen.add(name);
    for (const dep of Object.keys(byName.get(name).dependencies ?? {})) visit(dep);
  };
  for (const dep of Object.keys(server.devDependencies ?? {})) visit(dep);
  return seen;
}

/** Writes a patch changeset for each server that bundles a library in the release plan. */
export async function addBundleChangesets() {
  const plan = await getReleasePlan(root);
  const releases = new Map(plan.releases.filter((r) => r.type !== 'none').map((r) => [r.name, r]));
  const packages = workspacePackages();
  const byName = new Map(packages.map(({ pkg }) => [pkg.name, pkg]));
  const added = [];
  for (const { dir, pkg, server } of packages) {
    if (!server || releases.has(pkg.name)) continue;
    const changed = [...bundledLibraries(pkg, byName)].filter((name) => releases.has(name)).sort();
    if (changed.length === 0) continue;
    const what = changed.map((name) => `${name} ${releases.get(name).newVersion}`).join(', ');
    const file = join(root, '.changeset', `bundle-${dir}-${Date.now().toString(36)}.md`);
    writeFileSync(file, `---\n'${pkg.name}': patch\n---\n\nBundles ${what}.\n`);
    added.push(pkg.name);
  }
  if (added.length > 0) log(`servers that follow their bundled libraries: ${added.join(', ')}`);
  return added;
}

export async function version() {
  await addBundleChangesets();
  run('pnpm', ['exec', 'changeset', 'version']);
}

export function publish() {
  if (process.env.RELEASE_SKIP_BUILD !== '1') {
    run('pnpm', ['exec', 'nx', 'run-many', '-t', 'build', 'bundle', 'mcpb', '--outputStyle=static'], {
      ...process.env,
      NX_DAEMON: 'false',
    });
  }
  run('pnpm', ['exec', 'changeset', 'publish']);
}

const step = process.argv[2] ?? 'all';
if (step === 'version' || step === 'all') await version();
if (step === 'publish' || step === 'all') publish();
if (!['version', 'publish', 'all'].includes(step)) {
  log(`unknown step "${step}": use version, publish or nothing for both`);
  process.exit(2);
}
