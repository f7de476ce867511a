// Writes dist/bundle/THIRD_PARTY_NOTICES.md for a server: the name, version and licence text of
// every package whose code esbuild put into the bundle. Run in the package directory after
// bundle.mjs. It asks esbuild for the bundle's input files again (write: false), so bundle.mjs
// stays as it is; the same entry and platform give the same inputs.
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const LICENSE_FILE = /^(licen[cs]e|copying|notice)(\..*)?$/i;

/** The package directories (outside this repository's packages) whose files are in the bundle. */
export async function bundledPackages(entry) {
  const result = await build({
    entryPoints: [entry],
    outdir: 'dist/notices-probe',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const dirs = new Set();
  for (const input of Object.keys(result.metafile.inputs)) {
    const file = resolve(input);
    const at = file.lastIndexOf(`${sep}node_modules${sep}`);
    if (at < 0) continue; // this repository's own code (the workspace libraries resolve to their sources)
    const rest = file.slice(at + '/node_modules/'.length).split(sep);
    const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    dirs.add(join(file.slice(0, at), 'node_modules', name));
  }
  return [...dirs].map((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const texts = readdirSync(dir)
      .filter((f) => LICENSE_FILE.test(f))
      .sort()
      .map((f) => readFileSync(join(dir, f), 'utf8').trim());
    const author = typeof pkg.author === 'string' ? pkg.author : pkg.author?.name;
    return {
      name: pkg.name,
      version: pkg.version,
      license: licenseOf(pkg),
      texts,
      url: homepageOf(pkg),
      author,
    };
  });
}

const licenseOf = (pkg) =>
  typeof pkg.license === 'string'
    ? pkg.license
    : (pkg.license?.type ?? pkg.licenses?.map((l) => l.type).join(' OR ') ?? 'UNKNOWN');

const homepageOf = (pkg) =>
  pkg.homepage ?? (typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url) ?? '';

export function formatNotices(pkg, bundled) {
  const sorted = [...bundled].sort(
    (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version),
  );
  const lines = [
    `# Third-party notices for ${pkg.name}@${pkg.version}`,
    '',
    `The bundle in this directory contains code from the packages below (found by esbuild from`,
    `its entry), each under its own licence, reproduced here. ${pkg.name} itself and the @org`,
    'libraries bundled with it are under the MIT licence in LICENSE.',
    '',
    '| package | version | licence |',
    '| --- | --- | --- |',
    ...sorted.map((p) => `| ${p.name} | ${p.version} | ${p.license} |`),
    '',
  ];
  for (const p of sorted) {
    lines.push(`## ${p.name}@${p.version} (${p.license})`, '');
    if (p.url) lines.push(p.url, '');
    if (p.texts.length === 0) {
      const by = p.author ? `, by ${p.author}` : '';
      lines.push(`(The package ships no licence file; its package.json says ${p.license}${by}.)`, '');
    }
    for (const text of p.texts) lines.push('```text', text, '```', '');
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync('dist/bundle/bin.js'))
    throw new Error('no dist/bundle/bin.js: run the bundle target first');
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const bundled = await bundledPackages('dist/bin.js');
  const file = join('dist/bundle', 'THIRD_PARTY_NOTICES.md');
  writeFileSync(file, formatNotices(pkg, bundled));
  process.stderr.write(
    `${pkg.name}: ${bundled.length} bundled packages in ${join(dirname(file), 'THIRD_PARTY_NOTICES.md')}\n`,
  );
}
