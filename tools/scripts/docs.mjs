// Regenerates each server README's env-var and tool tables from its definition (the built
// dist/server.js), between the markers mcp-core's syncReadme looks for, and mcp-setup's catalog of
// servers (packages/mcp-setup/src/catalog.ts) from the same definitions. Run after a build:
//   node tools/scripts/docs.mjs          rewrite the READMEs
//   node tools/scripts/docs.mjs --check  exit 1 naming every README that is out of date
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('../../packages/', import.meta.url).pathname;
const check = process.argv.includes('--check');
const stale = [];
for (const dir of readdirSync(root)) {
  const pkg = join(root, dir);
  if (!existsSync(join(pkg, 'dist/server.js')) || !existsSync(join(pkg, 'README.md'))) continue;
  const { server } = await import(pathToFileURL(join(pkg, 'dist/server.js')).href);
  if (!server?.configSchema) continue; // not a server definition (e.g. mcp-core's own server.js)
  const core = createRequire(join(pkg, 'package.json')).resolve('@org/mcp-core');
  const { loadServer, syncReadme } = await import(pathToFileURL(core).href);
  const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
  const next = syncReadme(readme, await loadServer(server));
  if (next === readme) continue;
  stale.push(`packages/${dir}/README.md`);
  if (!check) writeFileSync(join(pkg, 'README.md'), next);
}
// The setup command's catalog is generated from the same definitions.
const { buildCatalog, catalogSource } = await import('../../packages/mcp-setup/scripts/catalog.mjs');
const catalogFile = join(root, 'mcp-setup/src/catalog.ts');
const prettier = await import('prettier');
const catalogText = await prettier.format(catalogSource(await buildCatalog()), {
  ...(await prettier.resolveConfig(catalogFile)),
  filepath: catalogFile,
});
if (readFileSync(catalogFile, 'utf8') !== catalogText) {
  stale.push('packages/mcp-setup/src/catalog.ts');
  if (!check) writeFileSync(catalogFile, catalogText);
}
if (check && stale.length > 0) {
  console.error(`Out of date (run node tools/scripts/docs.mjs): ${stale.join(', ')}`);
  process.exit(1);
}
if (!check) console.error(stale.length ? `Rewrote ${stale.join(', ')}` : 'Every README is up to date.');
