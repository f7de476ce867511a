import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readJson, type Tree } from '@nx/devkit';
import { serverGenerator } from './server';

describe('server generator', () => {
  let tree: Tree;

  beforeEach(() => {
    // This workspace formats with prettier (Nx's test tree defaults to oxfmt, which is not installed).
    tree = createTreeWithEmptyWorkspace({ formatter: 'prettier' });
    tree.write('packages/mcp-core/package.json', JSON.stringify({ name: '@org/mcp-core', version: '1.2.3' }));
    tree.write('tsconfig.json', JSON.stringify({ files: [], references: [] }));
  });

  it('writes the house shape with one bin and the server tag', async () => {
    await serverGenerator(tree, { name: 'mcp-thing', description: 'Things for Claude.' });
    for (const file of [
      'package.json',
      'README.md',
      'src/index.ts',
      'src/bin.ts',
      'src/config.ts',
      'src/deps.ts',
      'src/server.ts',
      'src/tools/index.ts',
      'src/server.test.ts',
      'src/bin.test.ts',
      'tsconfig.lib.json',
      'vitest.config.mts',
      'eslint.config.mjs',
    ]) {
      expect(tree.exists(`packages/mcp-thing/${file}`), file).toBe(true);
    }
    const pkg = readJson(tree, 'packages/mcp-thing/package.json');
    expect(pkg.name).toBe('@org/mcp-thing');
    expect(pkg.bin).toEqual({ 'mcp-thing': './dist/bundle/bin.js' });
    expect(pkg.nx.targets.test.dependsOn).toContain('bundle');
    expect(pkg.engines.node).toBe('>=20');
    expect(pkg.nx.tags).toEqual(['type:server']);
    expect(pkg.dependencies['@org/mcp-core']).toBe('workspace:^');
    expect(tree.read('packages/mcp-thing/src/bin.ts', 'utf-8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(tree.read('packages/mcp-thing/README.md', 'utf-8')).toContain('Things for Claude.');
    expect(readJson(tree, 'tsconfig.json').references).toContainEqual({ path: './packages/mcp-thing' });
  });

  it('refuses a name outside the mcp-<name> convention and an existing folder', async () => {
    await expect(serverGenerator(tree, { name: 'Thing' })).rejects.toThrow(/not a server name/);
    await serverGenerator(tree, { name: 'mcp-thing' });
    await expect(serverGenerator(tree, { name: 'mcp-thing' })).rejects.toThrow(/already exists/);
  });
});
