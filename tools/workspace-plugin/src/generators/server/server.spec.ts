import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readJson, type Tree } from '@nx/devkit';
import { serverGenerator } from './server';

describe('server generator', () => {
  let tree: Tree;

  beforeEach(() => {
    // This workspace formats with prettier (the default test tree would ask for oxfmt).
    tree = createTreeWithEmptyWorkspace({ formatter: 'prettier' });
    tree.write('packages/mcp-core/package.json', JSON.stringify({ name: '@org/mcp-core', version: '1.2.3' }));
    tree.write('tsconfig.json', JSON.stringify({ files: [], references: [] }));
  });

  it('writes the house shape: one definition, toolsets, a tool file, tests, snapshot and README tables', async () => {
    const install = await serverGenerator(tree, { name: 'mcp-thing', description: 'Things for Claude.' });
    expect(install).toBeTypeOf('function');
    for (const file of [
      'package.json',
      'README.md',
      'src/index.ts',
      'src/bin.ts',
      'src/config.ts',
      'src/deps.ts',
      'src/server.ts',
      'src/toolsets.ts',
      'src/tools/tool.ts',
      'src/tools/info.ts',
      'src/tools/index.ts',
      'src/server.test.ts',
      'src/tools/info.test.ts',
      'src/deps.test.ts',
      'src/bin.test.ts',
      'src/readme.test.ts',
      'src/tools.snapshot.test.ts',
      'src/__snapshots__/tools.json',
      'test/env.ts',
      'tsconfig.json',
      'tsconfig.lib.json',
      'tsconfig.spec.json',
      'vitest.config.mts',
      'eslint.config.mjs',
      'LICENSE',
    ]) {
      expect(tree.exists(`packages/mcp-thing/${file}`), file).toBe(true);
    }
    const read = (file: string) => tree.read(`packages/mcp-thing/${file}`, 'utf-8')!;
    const pkg = readJson(tree, 'packages/mcp-thing/package.json');
    expect(pkg).toMatchObject({
      name: '@org/mcp-thing',
      description: 'Things for Claude.',
      type: 'module',
      bin: { 'mcp-thing': './dist/bundle/bin.js' },
      engines: { node: '>=20' },
      nx: { tags: ['type:server'], targets: { test: { dependsOn: ['bundle', '^build'] } } },
      devDependencies: { '@org/mcp-core': 'workspace:^' },
      files: ['dist/bundle', 'README.md', 'LICENSE', 'CHANGELOG.md'],
      repository: { directory: 'packages/mcp-thing' },
    });
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.nx.targets.mcpb.dependsOn).toEqual(['bundle']);
    expect(pkg.nx.targets.bundle.command).toBe('node ../../tools/scripts/bundle.mjs');
    expect(read('src/bin.ts')).toBe(
      "#!/usr/bin/env node\nimport { runServer } from '@org/mcp-core';\nimport { server } from './server.js';\n\nawait runServer(server);\n",
    );
    expect(read('src/server.ts')).toContain('export const server = defineServer({');
    expect(read('src/server.ts')).toContain('mapError: toToolError');
    expect(read('src/tools/tool.ts')).toContain('defineTool<Deps, Toolset>()');
    expect(JSON.parse(read('src/__snapshots__/tools.json')).map((t: { name: string }) => t.name)).toEqual([
      'server_info',
    ]);
    const readme = read('README.md');
    expect(readme).toContain('Things for Claude.');
    expect(readme).toContain('"args": ["-y", "@org/mcp-thing"]');
    for (const marker of ['env-table:start', 'env-table:end', 'tool-table:start', 'tool-table:end']) {
      expect(readme).toContain(`<!-- ${marker}`);
    }
    // Computed from mcp-core's CoreConfigSchema at generation time, so shared variables added
    // later (the HTTP transport's) are there too.
    expect(readme).toContain('`MCP_LOG_LEVEL`, `MCP_LOG_FILE`, `MCP_READ_ONLY`');
    expect(readme).toContain('`MCP_HTTP_PORT`');
    expect(readme).toMatch(/\| `server_info` \| info +\| yes +\|/);
    expect(readJson(tree, 'tsconfig.json').references).toContainEqual({ path: './packages/mcp-thing' });
    expect(readJson(tree, 'packages/mcp-thing/tsconfig.lib.json').references).toEqual([
      { path: '../mcp-core/tsconfig.lib.json' },
    ]);
    expect(tree.read('.changeset/mcp-thing-first-release.md', 'utf-8')).toBe(
      "---\n'@org/mcp-thing': minor\n---\n\nFirst release: Things for Claude.\n",
    );
  });

  it('keeps a description with quotes valid in package.json and in the TypeScript source', async () => {
    const description = `Claude's "things" \\ more`;
    await serverGenerator(tree, { name: 'mcp-quoted', description });
    expect(readJson(tree, 'packages/mcp-quoted/package.json').description).toBe(description);
    expect(tree.read('packages/mcp-quoted/src/server.ts', 'utf-8')).toContain(
      `instructions: 'Claude\\'s "things" \\\\ more',`,
    );
  });

  it('refuses a name outside the mcp-<name> convention and an existing folder', async () => {
    await expect(serverGenerator(tree, { name: 'Thing' })).rejects.toThrow(/not a server name/);
    await serverGenerator(tree, { name: 'mcp-thing' });
    await expect(serverGenerator(tree, { name: 'mcp-thing' })).rejects.toThrow(/already exists/);
  });
});
