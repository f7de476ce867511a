import { workspaceRoot, type Tree } from '@nx/devkit';
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createRequire } from 'module';
import { tmpdir } from 'os';
import * as path from 'path';

/**
 * The generated files that are read from the definition, not written by hand: the README's env
 * and tool tables (mcp-core's syncReadme, as tools/scripts/docs.mjs writes them), the tools/list
 * snapshot (as src/tools.snapshot.test.ts makes it) and the new server's entry in mcp-setup's
 * catalog (as docs.mjs and mcp-setup's scripts/catalog.mjs write it). They are computed from the
 * new package's own server.ts and test/env.ts, still in the tree, and mcp-core's source, so that
 * they match what the tests compare them with, whatever the shared variables or the template are.
 */
export async function writeGeneratedFiles(tree: Tree, projectRoot: string): Promise<void> {
  const hasCatalog = tree.exists(CATALOG);
  const out = await evaluate(tree, projectRoot, hasCatalog);
  tree.write(`${projectRoot}/README.md`, out('README.md'));
  tree.write(`${projectRoot}/src/__snapshots__/tools.json`, out('tools.json'));
  if (hasCatalog) tree.write(CATALOG, catalogText(JSON.parse(out('catalog.json'))));
}

const CATALOG = 'packages/mcp-setup/src/catalog.ts';

// What the package's readme and snapshot tests do, and the catalog entry scripts/catalog.mjs
// builds for a server, as one script: README.md beside it in, the results out.
const entry_ = (dir: string, withCatalog: boolean) => `
import { readFileSync, writeFileSync } from 'node:fs';
import { CoreConfigSchema, describeConfig, loadServer, syncReadme } from '@org/mcp-core';
import { connectServer } from '@org/mcp-core/testing';
import { testEnv } from './test/env.js';
import { server as definition } from './src/server.js';
${withCatalog ? `import { catalog } from 'generator-catalog';` : ''}

const at = (file) => new URL(file, import.meta.url);
const server = await loadServer(definition);
writeFileSync(at('README.md'), syncReadme(readFileSync(at('README.md'), 'utf8'), server));
const session = await connectServer(definition, testEnv({ MCP_TOOLSETS: 'all' }));
const { tools } = await session.client.listTools();
await session.close();
writeFileSync(at('tools.json'), JSON.stringify(tools, null, 2));
if (${withCatalog}) {
  const doc = (v) => ({ name: v.name, description: v.description, required: v.required, secret: v.secret,
    ...(v.default === undefined ? {} : { default: v.default }) });
  const shared = new Set(Object.keys(CoreConfigSchema.shape));
  const pkg = JSON.parse(readFileSync(at('../package.json'), 'utf8'));
  const [bin] = Object.keys(pkg.bin);
  const added = { id: pkg.name.replace(/^@org[/]mcp-/, ''), dir: ${JSON.stringify(dir)}, package: pkg.name, bin,
    binPath: pkg.bin[bin].replace(/^[.][/]/, ''), description: server.description,
    env: describeConfig(server.configSchema).filter((v) => !shared.has(v.name)).map(doc) };
  const servers = [...catalog.servers.filter((s) => s.dir !== added.dir), added]
    .sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  writeFileSync(at('catalog.json'), JSON.stringify({ shared: describeConfig(CoreConfigSchema).map(doc), servers }));
}
`;

/** catalog.ts as scripts/catalog.mjs writes it: its catalogSource, formatted with prettier. */
function catalogText(catalog: unknown): string {
  const script = `
    import { catalogSource } from ${JSON.stringify(path.join(workspaceRoot, 'packages/mcp-setup/scripts/catalog.mjs'))};
    const prettier = await import('prettier');
    const file = ${JSON.stringify(path.join(workspaceRoot, CATALOG))};
    const catalog = JSON.parse(await new Response(process.stdin).text());
    const text = await prettier.format(catalogSource(catalog), { ...(await prettier.resolveConfig(file)), filepath: file });
    process.stdout.write(text);`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: workspaceRoot,
    input: JSON.stringify(catalog),
    encoding: 'utf8',
    timeout: 60000,
  });
  if (run.status !== 0) throw new Error(`writing ${CATALOG} failed:\n${run.stderr}`);
  return run.stdout;
}

type Resolved = { path: string; namespace?: string } | { errors: { text: string }[] } | undefined;
/** The part of esbuild used here: the workspace's own (root devDependency), not one of the plugin's. */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { contents: Uint8Array }[] }>;
}
interface PluginBuild {
  onResolve(
    options: { filter: RegExp },
    resolve: (args: { path: string; importer: string; namespace: string }) => Resolved,
  ): void;
  onLoad(options: { filter: RegExp; namespace: string }, load: (args: { path: string }) => object): void;
}

/**
 * Bundles the entry script with esbuild (the workspace's, as tools/scripts/bundle.mjs uses it): the new
 * package's files from the tree, @org/mcp-core from its source (the `@org/source` condition, so no
 * build is needed), everything else from node_modules (both on disk, in the workspace the generator
 * runs in); then runs it in a temp folder holding the package's package.json, which its
 * readPackageInfo(import.meta.url) reads.
 */
async function evaluate(
  tree: Tree,
  projectRoot: string,
  withCatalog: boolean,
): Promise<(file: string) => string> {
  const requireFromRoot = createRequire(path.join(workspaceRoot, 'package.json'));
  const esbuild = requireFromRoot('esbuild') as Esbuild;
  const core = path.join(workspaceRoot, 'packages/mcp-core');
  const entry = `${projectRoot}/generator-entry.ts`;
  const source = entry_(path.posix.basename(projectRoot), withCatalog);
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['@org/source'],
    logLevel: 'error',
    banner: {
      js: "import { createRequire as __genRequire } from 'node:module'; const require = __genRequire(import.meta.url);",
    },
    plugins: [
      {
        name: 'generated-package',
        setup(build: PluginBuild) {
          // @org/mcp-core: its source, from the workspace (the new package is not linked yet).
          build.onResolve({ filter: /^@org\/mcp-core(\/testing)?$/ }, (args) => ({
            path: path.join(core, args.path.endsWith('/testing') ? 'src/testing/index.ts' : 'src/index.ts'),
          }));
          build.onResolve({ filter: /generator-entry\.ts$/ }, () => ({ path: entry, namespace: 'tree' }));
          build.onResolve({ filter: /^generator-catalog$/ }, () => ({ path: CATALOG, namespace: 'tree' }));
          // The new package's own files live only in the tree so far.
          build.onResolve({ filter: /^\./ }, (args) => {
            if (args.namespace !== 'tree') return undefined;
            const file = path.posix
              .join(path.posix.dirname(args.importer), args.path)
              .replace(/\.js$/, '.ts');
            if (!tree.exists(file)) return { errors: [{ text: `${file} is not in the generated package` }] };
            return { path: file, namespace: 'tree' };
          });
          build.onLoad({ filter: /.*/, namespace: 'tree' }, (args) => ({
            contents: args.path === entry ? source : tree.read(args.path, 'utf-8')!,
            loader: 'ts',
            resolveDir: path.join(workspaceRoot, path.posix.dirname(args.path)),
          }));
        },
      },
    ],
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'server-generator-'));
  try {
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'package.json'), tree.read(`${projectRoot}/package.json`)!);
    writeFileSync(path.join(dir, 'src/README.md'), tree.read(`${projectRoot}/README.md`)!);
    writeFileSync(path.join(dir, 'src/evaluate.mjs'), result.outputFiles[0]!.contents);
    const run = spawnSync(process.execPath, [path.join(dir, 'src/evaluate.mjs')], {
      encoding: 'utf8',
      timeout: 60000,
    });
    if (run.status !== 0) {
      throw new Error(`computing the README tables and tools/list snapshot failed:\n${run.stderr}`);
    }
    const files = Object.fromEntries(
      ['README.md', 'tools.json', 'catalog.json']
        .filter((file) => existsSync(path.join(dir, 'src', file)))
        .map((file) => [file, readFileSync(path.join(dir, 'src', file), 'utf8')]),
    );
    return (file: string) => files[file]!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
