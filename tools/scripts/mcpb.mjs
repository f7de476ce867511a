// MCP Bundles (.mcpb, manifest 0.3) for the servers.
//
//   node ../../tools/scripts/mcpb.mjs          in a server package, after bundle.mjs (the `mcpb`
//                                              target): writes the licence notices, the manifest
//                                              (dist/bundle/manifest.json, shipped on npm too) and
//                                              dist/mcpb/<server>.mcpb
//   node tools/scripts/mcpb.mjs --check        from the root (npm test): for every server,
//                                              `mcpb validate`, then unpacks the .mcpb into an
//                                              empty directory, starts it exactly as its
//                                              mcp_config says and talks MCP to it
//
// The manifest is read from the built definition (dist/server.js exports `server`): every
// variable of its config schema except the HTTP transport ones becomes a user_config entry (a
// bundle runs over stdio in Claude Desktop), secrets `sensitive`, required ones `required`.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHECK_ENV, checkEnvHint } from './check-env.mjs';
import { bundledPackages, formatNotices } from './notices.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MCPB_CLI = join(root, 'node_modules/@anthropic-ai/mcpb/dist/cli/cli.js');
const ENTRY = 'dist/bundle/bin.js';
const DISPLAY = {
  'mcp-goal-agent': 'Goal Agent',
  'mcp-memory-cache': 'Memory Cache',
  'mcp-github': 'GitHub',
  'mcp-jira': 'Jira',
  'mcp-internet': 'Internet',
  'mcp-frappe': 'Frappe',
};
// Stdio in Claude Desktop: the HTTP transport's settings mean nothing there.
const STDIO_ONLY = (name) => name === 'MCP_TRANSPORT' || name.startsWith('MCP_HTTP_');

/** "GITHUB_API_URL" → "GitHub API URL"-ish: words capitalised, known acronyms upper case. */
function title(name) {
  const UPPER = new Set(['API', 'URL', 'MCP', 'TLS', 'DB', 'ID', 'PDF', 'TTL', 'ACL', 'CA', 'HTTP']);
  const words = name.replace(/^MCP_/, '').split('_');
  return words
    .map((w, i) => (UPPER.has(w) ? w : i === 0 ? w[0] + w.slice(1).toLowerCase() : w.toLowerCase()))
    .join(' ')
    .replace(/^Github/, 'GitHub');
}

function userConfigEntry(doc) {
  const type =
    typeof doc.default === 'boolean' ? 'boolean' : typeof doc.default === 'number' ? 'number' : 'string';
  const entry = {
    type,
    title: title(doc.name),
    description: `${doc.description || doc.name} (${doc.name})`,
  };
  if (doc.required) entry.required = true;
  if (doc.secret) entry.sensitive = true;
  if (['string', 'number', 'boolean'].includes(typeof doc.default)) entry.default = doc.default;
  return entry;
}

/** The manifest of the server built in `dir`. */
export async function manifestFor(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const { server: definition } = await import(pathToFileURL(join(dir, 'dist/server.js')).href);
  const core = createRequire(join(dir, 'package.json')).resolve('@org/mcp-core');
  const { describeConfig, loadServer } = await import(pathToFileURL(core).href);
  const server = await loadServer(definition); // the tool list, for a definition with loadTools
  // The server's own settings first (its token, its URL), then the ones every server shares.
  const all = describeConfig(server.configSchema).filter((doc) => !STDIO_ONLY(doc.name));
  const docs = [
    ...all.filter((d) => !d.name.startsWith('MCP_')),
    ...all.filter((d) => d.name.startsWith('MCP_')),
  ];
  const short = pkg.name.replace(/^@org\//, '');
  return {
    manifest_version: '0.3',
    name: short,
    display_name: `${DISPLAY[short] ?? short} (@org MCP)`,
    version: pkg.version,
    description: pkg.description,
    author: { name: 'The @org MCP servers authors', url: pkg.homepage },
    repository: { type: 'git', url: pkg.repository.url.replace(/^git\+/, '') },
    homepage: pkg.homepage,
    documentation: pkg.homepage,
    support: pkg.bugs.url,
    license: pkg.license,
    keywords: pkg.keywords,
    server: {
      type: 'node',
      entry_point: ENTRY,
      mcp_config: {
        command: 'node',
        args: [`\${__dirname}/${ENTRY}`],
        env: Object.fromEntries(docs.map((doc) => [doc.name, `\${user_config.${doc.name}}`])),
      },
    },
    tools: server.tools.map((tool) => ({ name: tool.name, description: tool.description })),
    tools_generated: false,
    compatibility: {
      platforms: ['darwin', 'win32', 'linux'],
      runtimes: { node: pkg.engines?.node ?? '>=20' },
    },
    user_config: Object.fromEntries(docs.map((doc) => [doc.name, userConfigEntry(doc)])),
  };
}

function mcpb(args, options = {}) {
  const result = spawnSync(process.execPath, [MCPB_CLI, ...args], { encoding: 'utf8', ...options });
  if (result.status !== 0)
    throw new Error(`mcpb ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** Builds dist/mcpb/<server>.mcpb in the package directory `dir` (after bundle.mjs). */
export async function buildBundle(dir) {
  if (!existsSync(join(dir, ENTRY))) throw new Error(`no ${ENTRY} in ${dir}: run the bundle target first`);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  writeFileSync(
    join(dir, 'dist/bundle/THIRD_PARTY_NOTICES.md'),
    formatNotices(pkg, await withCwd(dir, () => bundledPackages('dist/bin.js'))),
  );
  const manifest = await manifestFor(dir);
  writeFileSync(join(dir, 'dist/bundle/manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // The bundle's files as the npm package lays them out: package.json beside dist/ gives the
  // bin its name, version and "type": "module".
  const out = join(dir, 'dist/mcpb');
  const stage = join(out, 'stage');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(stage, 'dist'), { recursive: true });
  cpSync(join(dir, 'dist/bundle'), join(stage, 'dist/bundle'), { recursive: true });
  for (const file of ['README.md', 'LICENSE']) copyFileSync(join(dir, file), join(stage, file));
  const { name, version, description, license, type } = pkg;
  writeFileSync(
    join(stage, 'package.json'),
    `${JSON.stringify({ name, version, description, license, type }, null, 2)}\n`,
  );
  writeFileSync(join(stage, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const file = join(out, `${manifest.name}.mcpb`);
  mcpb(['pack', stage, file]);
  rmSync(stage, { recursive: true, force: true });
  return { file, manifest };
}

async function withCwd(dir, fn) {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return await fn();
  } finally {
    process.chdir(before);
  }
}

/** The servers of the repository: packages tagged type:server. */
export function serverDirs() {
  return readdirSync(join(root, 'packages'))
    .map((d) => join(root, 'packages', d))
    .filter((d) =>
      JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).nx?.tags?.includes('type:server'),
    );
}

/** Replaces ${__dirname} and ${user_config.KEY} as Claude Desktop does (an unknown key stays as it is). */
export function substitute(value, dir, user) {
  return value
    .replaceAll('${__dirname}', dir)
    .replace(/\$\{user_config\.([^}]+)\}/g, (whole, key) =>
      user[key] === undefined ? whole : String(user[key]),
    );
}

function largestFile(dir) {
  let best = { path: '', size: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const size = statSync(path).size;
    if (size > best.size) best = { path: relative(dir, path), size };
  }
  return best;
}

/** Validates, unpacks and runs one server's bundle; returns what it measured. */
export async function checkBundle(dir, work) {
  const { spawnStdioServer } = await import(
    pathToFileURL(join(root, 'packages/mcp-core/dist/testing/index.js')).href
  );
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = join(dir, 'dist/mcpb', `${pkg.name.replace(/^@org\//, '')}.mcpb`);
  if (!existsSync(file)) throw new Error(`no ${file}: run the mcpb target first`);
  const unpacked = mkdtempSync(join(work, 'mcpb-'));
  const unzip = spawnSync('unzip', ['-q', file, '-d', unpacked], { encoding: 'utf8' });
  if (unzip.status !== 0) throw new Error(`unzip ${file} failed: ${unzip.stderr}`);
  mcpb(['validate', join(unpacked, 'manifest.json')]);
  const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8'));
  const { command, args, env } = manifest.server.mcp_config;
  // Values a user would enter: the placeholders for the required ones; the optional ones stay
  // empty, so Desktop passes their `${user_config.KEY}` literally and the server must ignore it.
  const user = CHECK_ENV[pkg.name] ?? {};
  const home = mkdtempSync(join(work, 'home-'));
  const server = await spawnStdioServer({
    command: command === 'node' ? process.execPath : command,
    args: args.map((a) => substitute(a, unpacked, user)),
    env: {
      PATH: process.env.PATH,
      HOME: home,
      ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, substitute(v, unpacked, user)])),
    },
    cwd: home,
    timeoutMs: 60000,
  }).catch((error) => {
    throw new Error(`${String(error)}${checkEnvHint(pkg.name, String(error))}`);
  });
  try {
    const info = server.client.getServerVersion();
    const { tools } = await server.client.listTools();
    const known = new Set(manifest.tools.map((t) => t.name));
    const unknown = tools.filter((t) => !known.has(t.name)).map((t) => t.name);
    if (tools.length === 0) throw new Error('tools/list is empty');
    if (unknown.length > 0) throw new Error(`tools/list has tools the manifest lacks: ${unknown.join(', ')}`);
    if (info?.version !== manifest.version)
      throw new Error(`reports version ${info?.version}, manifest ${manifest.version}`);
    const code = await server.close();
    if (code !== 0) throw new Error(`exited with ${code} when stdin closed\n${server.stderr()}`);
    if (server.nonProtocolLines.length > 0)
      throw new Error(`wrote non-protocol lines: ${server.nonProtocolLines.join('\n')}`);
    return {
      name: pkg.name,
      bytes: statSync(file).size,
      largest: largestFile(unpacked),
      tools: tools.length,
    };
  } catch (error) {
    server.child.kill('SIGKILL');
    throw new Error(
      `${pkg.name}: ${error instanceof Error ? error.message : String(error)}\nstderr:\n${server.stderr()}`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const work = mkdtempSync(join(tmpdir(), 'mcpb-check-'));
    let failures = 0;
    try {
      for (const dir of serverDirs()) {
        try {
          const r = await checkBundle(dir, work);
          console.log(
            `mcpb: ok ${r.name}: ${(r.bytes / 1024).toFixed(0)} KB bundle, ${r.tools} tools listed, largest file ${r.largest.path} (${(r.largest.size / 1024).toFixed(0)} KB)`,
          );
        } catch (error) {
          failures++;
          console.error(`mcpb: FAIL ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    process.exit(failures === 0 ? 0 : 1);
  } else {
    const { file, manifest } = await buildBundle(resolve('.'));
    process.stderr.write(
      `${manifest.name}: ${relative(process.cwd(), file)} (${(statSync(file).size / 1024).toFixed(0)} KB, ${Object.keys(manifest.user_config).length} settings, ${manifest.tools.length} tools)\n`,
    );
  }
}
