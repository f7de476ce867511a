import { join } from 'node:path';
import { catalog } from './catalog.js';
import type { CatalogServer, CatalogVar } from './catalog-types.js';
import type { ClientFile } from './clients.js';

/** Where the servers run from: this clone's built bins, or the published packages through npx. */
export type Source = { from: 'clone'; root: string; node: string } | { from: 'npm' };

/** How a client starts a server. */
export interface Launch {
  command: string;
  args: string[];
}

/** A stdio entry as clients keep it (`type` only where the client writes one). */
export interface Entry extends Launch {
  type?: 'stdio';
  env?: Record<string, string>;
}

export function launchOf(server: CatalogServer, source: Source): Launch {
  return source.from === 'clone'
    ? { command: source.node, args: [join(source.root, 'packages', server.dir, server.binPath)] }
    : { command: 'npx', args: ['-y', server.package] };
}

export function entryFor(
  server: CatalogServer,
  source: Source,
  env: Record<string, string>,
  file: ClientFile,
): Entry {
  return {
    ...(file.typed ? { type: 'stdio' as const } : {}),
    ...launchOf(server, source),
    ...(Object.keys(env).length > 0 ? { env } : {}),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The command, args and env of a stdio entry, or undefined when it is not one (a URL entry, junk). */
export function readEntry(value: unknown): Entry | undefined {
  if (!isRecord(value) || typeof value.command !== 'string') return undefined;
  const args = Array.isArray(value.args) ? value.args.filter((a): a is string => typeof a === 'string') : [];
  const env: Record<string, string> = {};
  if (isRecord(value.env)) {
    for (const [key, v] of Object.entries(value.env)) if (typeof v === 'string') env[key] = v;
  }
  return { command: value.command, args, env };
}

const slashes = (path: string) => path.replace(/\\/g, '/');
const basename = (path: string) => slashes(path).split('/').pop() ?? '';

/**
 * The server an entry runs when mcp-setup could have written it (`npx -y @org/mcp-x…` or
 * `node …/packages/mcp-x/dist/bundle/bin.js`), else undefined: such entries are someone else's.
 */
export function serverOf(value: unknown): CatalogServer | undefined {
  const entry = readEntry(value);
  if (!entry) return undefined;
  const command = basename(entry.command).replace(/\.(cmd|exe)$/i, '');
  for (const server of catalog.servers) {
    if (
      command === 'npx' &&
      entry.args.some((a) => a === server.package || a.startsWith(`${server.package}@`))
    )
      return server;
    const bin = `/${server.dir}/${server.binPath}`;
    if (entry.args.some((a) => slashes(a).endsWith(bin))) return server;
  }
  return undefined;
}

/** Every variable a server reads: its own, then the shared MCP_* ones. */
export function varsOf(server: CatalogServer): CatalogVar[] {
  return [...server.env, ...catalog.shared];
}

export function findServer(id: string): CatalogServer | undefined {
  return catalog.servers.find((s) => s.id === id || s.package === id || s.bin === id);
}

/** The names of every secret variable of every server. */
export const SECRET_NAMES = new Set(
  [...catalog.shared, ...catalog.servers.flatMap((s) => s.env)].filter((v) => v.secret).map((v) => v.name),
);

/** An env object with every secret value replaced by asterisks, for printing. */
export function maskEnv(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, SECRET_NAMES.has(key) ? '********' : value]),
  );
}
