import { join } from 'node:path';

/** The clients whose configuration mcp-setup writes (sources in the README). */
export const CLIENT_IDS = ['claude-desktop', 'claude-code', 'cursor', 'windsurf', 'vscode'] as const;
export type ClientId = (typeof CLIENT_IDS)[number];
export type Scope = 'user' | 'project';

/** Where the machine keeps things: the home folder, the environment, the OS, the project folder. */
export interface Place {
  home: string;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  /** The project folder of project-scope files (.mcp.json, .cursor/, .vscode/). */
  project: string;
}

/** One configuration file of a client and where its servers are in it. */
export interface ClientFile {
  client: ClientId;
  scope: Scope;
  path: string;
  /** The JSON path of the object that maps server names to entries. */
  at: string[];
  /** Whether an entry carries `"type": "stdio"` (Claude Code and VS Code write it). */
  typed: boolean;
}

export interface ClientInfo {
  title: string;
  scopes: readonly Scope[];
  /** What the user does after a change for it to take effect. */
  after: string;
}

export const CLIENTS: Record<ClientId, ClientInfo> = {
  'claude-desktop': { title: 'Claude Desktop', scopes: ['user'], after: 'quit and reopen Claude Desktop' },
  'claude-code': {
    title: 'Claude Code',
    scopes: ['user', 'project'],
    after: 'start a new Claude Code session',
  },
  cursor: { title: 'Cursor', scopes: ['user', 'project'], after: 'reload MCP servers in Cursor' },
  windsurf: { title: 'Windsurf', scopes: ['user'], after: 'press refresh in Windsurf Cascade' },
  vscode: {
    title: 'VS Code',
    scopes: ['user', 'project'],
    after: 'start the servers from mcp.json in VS Code',
  },
};

/** The folder an OS keeps per-user application settings in (macOS, Windows, XDG elsewhere). */
function appConfigDir(place: Place): string {
  if (place.platform === 'darwin') return join(place.home, 'Library', 'Application Support');
  if (place.platform === 'win32') return place.env.APPDATA || join(place.home, 'AppData', 'Roaming');
  return place.env.XDG_CONFIG_HOME || join(place.home, '.config');
}

/** The file a client keeps its servers of `scope` in, or undefined when it has no such scope. */
export function clientFile(client: ClientId, scope: Scope, place: Place): ClientFile | undefined {
  if (!CLIENTS[client].scopes.includes(scope)) return undefined;
  const file = (path: string, at: string[], typed = false): ClientFile => ({
    client,
    scope,
    path,
    at,
    typed,
  });
  const project = scope === 'project';
  switch (client) {
    case 'claude-desktop':
      return file(join(appConfigDir(place), 'Claude', 'claude_desktop_config.json'), ['mcpServers']);
    case 'claude-code':
      return project
        ? file(join(place.project, '.mcp.json'), ['mcpServers'], true)
        : file(join(place.home, '.claude.json'), ['mcpServers'], true);
    case 'cursor':
      return file(join(project ? place.project : place.home, '.cursor', 'mcp.json'), ['mcpServers']);
    case 'windsurf':
      return file(join(place.home, '.codeium', 'windsurf', 'mcp_config.json'), ['mcpServers']);
    case 'vscode':
      return project
        ? file(join(place.project, '.vscode', 'mcp.json'), ['servers'], true)
        : file(join(appConfigDir(place), 'Code', 'User', 'mcp.json'), ['servers'], true);
  }
}

export function isClientId(value: string): value is ClientId {
  return (CLIENT_IDS as readonly string[]).includes(value);
}
