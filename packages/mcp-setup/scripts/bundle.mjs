// Bundles the built bin (dist/bin.js) into dist/bundle/bin.js, one file that runs with no
// node_modules, as the servers' bins are (tools/scripts/bundle.mjs), except that packages are
// resolved by their `module` entry first: jsonc-parser's `main` is a UMD build whose
// require('./impl/…') calls esbuild cannot follow.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

rmSync('dist/bundle', { recursive: true, force: true });
const result = await build({
  metafile: true,
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

// The licence of every third-party package in the bundle, beside it (MIT and ISC ask for it).
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (!match) continue;
  const dir = resolve(match[1]);
  if (packages.has(dir)) continue;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\..*)?$/i.test(f));
  packages.set(
    dir,
    `${pkg.name}@${pkg.version} (${pkg.license ?? 'see below'})\n\n${file ? readFileSync(join(dir, file), 'utf8').trim() : '(no licence file in the package)'}`,
  );
}
const notices = [...packages.values()].sort();
writeFileSync(
  'dist/bundle/THIRD_PARTY_LICENSES.txt',
  `dist/bundle/bin.js contains the following packages.\n\n${notices.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`,
);
