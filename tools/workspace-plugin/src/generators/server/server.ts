import { formatFiles, generateFiles, names, readJson, updateJson, type Tree } from '@nx/devkit';
import * as path from 'path';
import type { ServerGeneratorSchema } from './schema';

/**
 * Scaffolds packages/<name> as an MCP server in the house shape: one bin, config/deps/server
 * split, a flat tool list, an in-memory MCP client test and a test that spawns the built bin.
 */
export async function serverGenerator(tree: Tree, options: ServerGeneratorSchema) {
  if (!/^mcp-[a-z0-9]+(-[a-z0-9]+)*$/.test(options.name)) {
    throw new Error(`"${options.name}" is not a server name: use mcp-<kebab-case>`);
  }
  const projectRoot = `packages/${options.name}`;
  if (tree.exists(projectRoot)) throw new Error(`${projectRoot} already exists`);
  const core = readJson<{ version: string }>(tree, 'packages/mcp-core/package.json');
  const n = names(options.name);
  generateFiles(tree, path.join(__dirname, 'files'), projectRoot, {
    ...n,
    name: options.name,
    packageName: `@org/${options.name}`,
    description: options.description ?? 'An MCP server.',
    coreVersion: core.version,
    tmpl: '',
  });
  updateJson(tree, 'tsconfig.json', (json: { references?: { path: string }[] }) => {
    const references = json.references ?? [];
    if (!references.some((r) => r.path === `./${projectRoot}`)) references.push({ path: `./${projectRoot}` });
    json.references = references;
    return json;
  });
  await formatFiles(tree);
}

export default serverGenerator;
