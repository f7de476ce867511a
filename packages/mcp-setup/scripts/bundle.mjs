// Bundles the built bin (dist/bin.js) into dist/bundle/bin.js, one file that runs with no
// node_modules, as the servers' bins are (tools/scripts/bundle.mjs), except that packages are
// resolved by their `module` entry first: jsonc-parser's `main` is a UMD build whose
// require('./impl/…') calls esbuild cannot follow.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/bundle', { recursive: true, force: true });
await build({
  entryPoints: ['dist/bin.js'],
  outfile: 'dist/bundle/bin.js',
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  legalComments: 'linked',
  logLevel: 'warning',
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __orgCreateRequire } from 'node:module'; const require = __orgCreateRequire(import.meta.url);",
  },
});
