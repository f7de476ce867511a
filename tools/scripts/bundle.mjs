// Bundles a server's built bin (dist/bin.js) into dist/bundle/ with esbuild: one minified ESM
// entry plus chunks for what is loaded lazily (ioredis, rotating-file-stream, the Redis stores, the
// tool modules of a definition with `loadTools`), so `npx` starts it without resolving hundreds of
// modules. Run in the package directory after `tsc`.
// The benchmarks bundle the bare SDK server with the same function, to compare like with like.
import { build } from 'esbuild';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Bundles `entry` into `outdir` (emptied first) as the servers are bundled. Further entries (e.g. a
 * worker thread's file) land beside it under their own names and share its chunks.
 */
export async function bundle(entry, outdir, extraEntries = []) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [entry, ...extraEntries],
    entryNames: '[name]',
    outdir,
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    legalComments: 'linked',
    logLevel: 'warning',
    // CommonJS dependencies call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __orgCreateRequire } from 'node:module'; const require = __orgCreateRequire(import.meta.url);",
    },
  });
}

/**
 * Writes the tool listing of a built server beside its bundle (tool-schemas.json: every tool as
 * tools/list advertises it, with its toolset), so the running bin answers initialize and its
 * first tools/list without loading a tool module or converting a zod schema (mcp-core's runner
 * reads the file when its name and version match the definition). Loading the definition here
 * also runs defineServer's checks on its tools, so a bad definition fails the build.
 */
export async function writeToolSchemas(serverModule, outdir) {
  const { server } = await import(pathToFileURL(resolve(serverModule)).href);
  const core = createRequire(resolve('package.json')).resolve('@org/mcp-core');
  const { loadServer, toolListing } = await import(pathToFileURL(core).href);
  const loaded = await loadServer(server);
  const saved = { name: server.name, version: server.version, tools: toolListing(loaded.tools) };
  writeFileSync(resolve(outdir, 'tool-schemas.json'), JSON.stringify(saved));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Extra entries are the arguments: `node bundle.mjs dist/fetch/convert-worker.js`.
  await bundle('dist/bin.js', 'dist/bundle', process.argv.slice(2));
  if (existsSync('dist/server.js')) await writeToolSchemas('dist/server.js', 'dist/bundle');
}
