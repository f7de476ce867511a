import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { catalog } from './catalog.js';
import { findOnPath } from './claude-cli.js';
import { CLIENT_IDS, clientFile, isClientId, type ClientId, type Place, type Scope } from './clients.js';
import { SetupError } from './config-file.js';
import { runDoctor } from './doctor.js';
import { findServer, type Source } from './entries.js';
import type { CatalogServer } from './catalog-types.js';
import { createPrompter, type Prompter } from './prompt.js';
import { parseEnvFlag, runSetup } from './setup.js';

/** This package's folder: the nearest package.json named @org/mcp-setup above this module. */
function packageDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    const file = join(dir, 'package.json');
    if (
      existsSync(file) &&
      (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === '@org/mcp-setup'
    )
      return dir;
    dir = dirname(dir);
  }
  throw new Error('the @org/mcp-setup package.json was not found');
}

/** The clone this copy runs from (packages/mcp-setup inside it), or undefined when installed from npm. */
function cloneRoot(pkg: string): string | undefined {
  const root = resolve(pkg, '..', '..');
  return existsSync(join(root, 'pnpm-workspace.yaml')) &&
    existsSync(join(root, 'packages', catalog.servers[0]!.dir, 'package.json'))
    ? root
    : undefined;
}

const USAGE = `Usage:
  mcp-setup [options]         add @org MCP servers to your clients (asks what it needs)
  mcp-setup doctor [options]  check every server configured in your clients

Options:
  --client <ids>      ${CLIENT_IDS.join(', ')}, "detected" or "all" (comma-separated, repeatable)
  --servers <ids>     ${catalog.servers.map((s) => s.id).join(', ')} or "all" (comma-separated)
  --from clone|npm    this clone's built bins (node …/dist/bundle/bin.js) or the published packages
                      (npx -y @org/mcp-…); default: clone when run from a clone, else npm
  --clone <dir>       the clone to use with --from clone (default: the one this copy runs from)
  --node <command>    the command that runs the clone's bins (default: node)
  --env NAME=value    a variable for every chosen server that reads it; server:NAME=value for one
                      (repeatable; NAME= removes it)
  --scope user|project  user files (default) or the project's (.mcp.json, .cursor/, .vscode/)
  --project <dir>     the project folder for --scope project and for doctor (default: here)
  --dry-run           print what would be written (secrets masked) and write nothing
  --yes               write without asking; skip the optional questions
  --force             replace a server of the same name that mcp-setup did not write
  --no-check          write without running each server's --check first
  --interactive       ask questions even when stdin is not a terminal
  -h, --help          this text
  -v, --version       the version`;

function list(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function detectedClients(place: Place, claude: string | undefined): ClientId[] {
  return CLIENT_IDS.filter((client) => {
    if (client === 'claude-code' && claude) return true;
    const file = clientFile(client, 'user', place)!;
    return existsSync(file.path) || existsSync(dirname(file.path));
  });
}

async function chooseClients(given: string[], place: Place, claude: string | undefined, prompter?: Prompter) {
  let names = given;
  const detected = detectedClients(place, claude);
  if (names.length === 0) {
    if (!prompter) throw new SetupError(`--client is required: ${CLIENT_IDS.join(', ')}, detected or all`);
    const answer = await prompter.ask(
      `Clients to configure (${CLIENT_IDS.map((c) => `${c}${detected.includes(c) ? '*' : ''}`).join(', ')}; * = found here)\n[${detected.join(',') || 'claude-desktop'}] > `,
    );
    names = list([answer || detected.join(',') || 'claude-desktop']);
  }
  const result = new Set<ClientId>();
  for (const name of names) {
    if (name === 'all') CLIENT_IDS.forEach((c) => result.add(c));
    else if (name === 'detected') detected.forEach((c) => result.add(c));
    else if (isClientId(name)) result.add(name);
    else throw new SetupError(`--client ${name}: not one of ${CLIENT_IDS.join(', ')}, detected, all`);
  }
  if (result.size === 0)
    throw new SetupError('--client detected: no client was found on this machine; name one with --client');
  return [...result];
}

async function chooseServers(given: string[], prompter?: Prompter): Promise<CatalogServer[]> {
  let names = given;
  if (names.length === 0) {
    if (!prompter)
      throw new SetupError(`--servers is required: ${catalog.servers.map((s) => s.id).join(', ')} or all`);
    const lines = catalog.servers.map(
      (s) => `  ${s.id.padEnd(13)} ${/^(.+?[.!?])(\s|$)/.exec(s.description)?.[1] ?? s.description}`,
    );
    const answer = await prompter.ask(`Servers:\n${lines.join('\n')}\nWhich ones (comma-separated) [all] > `);
    names = list([answer || 'all']);
  }
  if (names.includes('all')) return catalog.servers;
  return names.map((name) => {
    const server = findServer(name);
    if (!server)
      throw new SetupError(
        `--servers ${name}: not one of ${catalog.servers.map((s) => s.id).join(', ')}, all`,
      );
    return server;
  });
}

async function chooseSource(
  from: string | undefined,
  clone: string | undefined,
  node: string,
  prompter?: Prompter,
): Promise<Source> {
  let choice = from;
  if (choice === undefined) {
    choice = clone ? 'clone' : 'npm';
    if (clone && prompter) {
      const answer = await prompter.ask(`Run the servers from this clone (${clone}) or from npm? [clone] > `);
      if (answer) choice = answer;
    }
  }
  if (choice === 'npm') return { from: 'npm' };
  if (choice !== 'clone') throw new SetupError(`--from ${choice}: expected clone or npm`);
  if (!clone) throw new SetupError('--from clone: this copy does not run from a clone; pass --clone <dir>');
  const missing = catalog.servers
    .map((s) => join(clone, 'packages', s.dir, s.binPath))
    .filter((bin) => !existsSync(bin));
  if (missing.length > 0) {
    throw new SetupError(
      `the clone is not built (${missing[0]} is missing): run npm run configure, which builds first, or pnpm nx run-many -t bundle`,
    );
  }
  return { from: 'clone', root: clone, node };
}

/** The command line; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  let prompter: Prompter | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        client: { type: 'string', multiple: true },
        servers: { type: 'string', multiple: true },
        from: { type: 'string' },
        clone: { type: 'string' },
        node: { type: 'string' },
        env: { type: 'string', multiple: true },
        scope: { type: 'string' },
        project: { type: 'string' },
        'dry-run': { type: 'boolean' },
        yes: { type: 'boolean' },
        force: { type: 'boolean' },
        'no-check': { type: 'boolean' },
        interactive: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
    const pkg = packageDir();
    if (values.help) {
      out(USAGE);
      return 0;
    }
    if (values.version) {
      out((JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version);
      return 0;
    }
    const command = positionals[0] ?? 'setup';
    if (positionals.length > 1 || !['setup', 'doctor'].includes(command))
      throw new SetupError(`unknown command: ${positionals.join(' ')} (setup or doctor)`);
    const scope = (values.scope ?? 'user') as Scope;
    if (scope !== 'user' && scope !== 'project')
      throw new SetupError(`--scope ${String(values.scope)}: expected user or project`);
    const place: Place = {
      home: homedir(),
      env: process.env,
      platform: process.platform,
      project: resolve(values.project ?? process.cwd()),
    };
    const claude = findOnPath('claude', process.env);
    if (values.interactive || process.stdin.isTTY) prompter = createPrompter();

    if (command === 'doctor') {
      const clients =
        list(values.client).length > 0
          ? await chooseClients(list(values.client), place, claude)
          : [...CLIENT_IDS];
      return (await runDoctor(clients, place, out)) ? 0 : 1;
    }
    const clients = await chooseClients(list(values.client), place, claude, prompter);
    const servers = await chooseServers(list(values.servers), prompter);
    const clone = values.clone ? resolve(values.clone) : cloneRoot(pkg);
    const source = await chooseSource(values.from, clone, values.node ?? 'node', prompter);
    await runSetup({
      clients,
      servers,
      source,
      env: (values.env ?? []).map(parseEnvFlag),
      scope,
      place,
      ...(claude ? { claude } : {}),
      dryRun: values['dry-run'] === true,
      yes: values.yes === true,
      force: values.force === true,
      check: values['no-check'] !== true,
      ...(prompter ? { prompter } : {}),
      out,
    });
    return 0;
  } catch (error) {
    if (error instanceof SetupError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`mcp-setup: ${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  } finally {
    prompter?.close();
  }
}
