// Bundles a server's built bin (dist/bin.js) into dist/bundle/ with esbuild: one minified ESM
// entry plus chunks for what is loaded lazily (ioredis, rotating-file-stream, the Redis stores), so `npx`
// starts it without resolving hundreds of modules. Run in the package directory after `tsc`.
// The benchmarks bundle the bare SDK server with the same function, to compare like with like.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Bundles `entry` into `outdir` (emptied first) as the servers are bundled. */
export async function bundle(entry, outdir) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [entry],
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

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle('dist/bin.js', 'dist/bundle');
