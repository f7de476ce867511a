// The local stand-ins of Jira Cloud and GitHub the demo runs against: the very fakes the servers'
// tests use (packages/mcp-jira/test/fake-jira, packages/mcp-github/test/fake-github), on 127.0.0.1.
// They are TypeScript, so each is bundled in memory with esbuild (a root dev dependency) and
// imported from a data: URL: nothing is written to disk. Their packages (ajv, @org/mcp-core/testing)
// stay outside the bundle, imported by absolute file URL from the fake's own package.
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Imports a TypeScript module of the workspace (its own relative imports bundled). */
async function importTs(relativePath) {
  const entry = `${root}${relativePath}`;
  const url = pathToFileURL(entry).href;
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    // The fakes find their OpenAPI descriptions and packages relative to their own file.
    define: { 'import.meta.url': JSON.stringify(url) },
    plugins: [
      {
        name: 'packages-by-file-url',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.path.startsWith('node:') || args.pluginData === 'resolving') return undefined;
            const found = await b.resolve(args.path, {
              kind: args.kind,
              resolveDir: args.resolveDir,
              pluginData: 'resolving',
            });
            if (found.errors.length > 0) return { errors: found.errors };
            if (found.external) return { path: args.path, external: true };
            return { path: pathToFileURL(found.path).href, external: true };
          });
        },
      },
    ],
  });
  const code = result.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/**
 * Starts the fake Jira (project ENG with a Scrum board and an active sprint; keys continue from
 * ENG-100) and the fake GitHub (repository your-org/api). `close()` stops both.
 */
export async function startStandIns() {
  const [jiraModule, githubModule] = await Promise.all([
    importTs('packages/mcp-jira/test/fake-jira/index.ts'),
    importTs('packages/mcp-github/test/fake-github/index.ts'),
  ]);
  const started = await Promise.allSettled([jiraModule.startFakeJira(), githubModule.startFakeGitHub()]);
  const [jira, github] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
  const close = async () => {
    await Promise.all([jira?.close(), github?.close()]);
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }
  // The original's keys ran PROJ-101 to PROJ-106; the fake's project is ENG.
  jira.state.counters.set('ENG', 100);
  github.addRepo('your-org/api', {
    'README.md': '# API\n\nThe public API of your-org.\n',
    'package.json': '{ "name": "api", "version": "1.0.0", "type": "module" }\n',
    'src/server.js': "export function handle(req) {\n  return { status: 200, body: 'ok' };\n}\n",
  });
  return { jira, github, close };
}
