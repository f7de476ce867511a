// Imports the workspace's TypeScript test fakes into a plain Node script (benches, the demo).
import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';

/**
 * Imports a TypeScript module of the workspace (e.g. a test fake), its own relative imports
 * bundled in memory with esbuild and imported from a data: URL, so nothing is written to disk.
 * Its packages stay outside the bundle, imported by absolute file URL from the module's own
 * package; `import.meta.url` is the module's own, so files it reads beside itself are found.
 */
export async function importTs(entry) {
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
