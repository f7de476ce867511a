import { spawnSync } from 'child_process';
import { formatFiles, generateFiles, updateJson, type GeneratorCallback, type Tree } from '@nx/devkit';
import * as path from 'path';
import { writeGeneratedFiles } from './generated';
import { pnpmCommand } from './pnpm';
import type { ServerGeneratorSchema } from './schema';

const NAME = /^mcp-[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Scaffolds packages/<name> as an MCP server in the house shape (one definition in server.ts, a
 * toolset table, a tool file per toolset, tests through MCP and of the built bin, a committed
 * tools/list snapshot and README tables, both computed from the new definition at generation time) and leaves the workspace in
 * sync: root TypeScript references, a changeset, and (unless skipInstall) the lockfile.
 */
export async function serverGenerator(
  tree: Tree,
  options: ServerGeneratorSchema,
): Promise<GeneratorCallback> {
  if (!NAME.test(options.name)) {
    throw new Error(`"${options.name}" is not a server name: use mcp-<kebab-case>`);
  }
  const projectRoot = `packages/${options.name}`;
  if (tree.exists(projectRoot)) throw new Error(`${projectRoot} already exists`);
  if (!tree.exists('packages/mcp-core/package.json')) throw new Error('packages/mcp-core is missing');
  const packageName = `@org/${options.name}`;
  const description = (options.description ?? 'An MCP server.').trim();
  generateFiles(tree, path.join(__dirname, 'files'), projectRoot, {
    name: options.name,
    shortName: options.name.replace(/^mcp-/, ''),
    packageName,
    description,
    tmpl: '',
  });
  // What `nx sync` would add: the root tsconfig references every project.
  updateJson(tree, 'tsconfig.json', (json: { references?: { path: string }[] }) => {
    const references = json.references ?? [];
    if (!references.some((r) => r.path === `./${projectRoot}`)) references.push({ path: `./${projectRoot}` });
    json.references = references;
    return json;
  });
  tree.write(
    `.changeset/${options.name}-first-release.md`,
    `---\n'${packageName}': minor\n---\n\nFirst release: ${description}\n`,
  );
  await formatFiles(tree);
  // After formatting: the tables sit between prettier-ignore markers, the snapshot is not formatted.
  await writeGeneratedFiles(tree, projectRoot);
  return () => {
    if (!options.skipInstall) installLockfile(tree.root);
  };
}

/**
 * Adds the new package to pnpm-lock.yaml and links its dependencies, so that the next
 * `pnpm install --frozen-lockfile` (npm test, CI) succeeds. Runs the pinned pnpm as
 * tools/scripts/pnpm.mjs does; under CI=true pnpm would default to a frozen lockfile.
 */
function installLockfile(root: string): void {
  const [command, ...lead] = pnpmCommand(root);
  const args = ['install', '--no-frozen-lockfile', '--prefer-offline', '--reporter=append-only'];
  const result = spawnSync(command!, [...lead, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(`pnpm ${args.join(' ')} failed (exit ${result.status}): run it yourself, then npm test`);
  }
}

export default serverGenerator;
