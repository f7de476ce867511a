import { clientFile, CLIENT_IDS, type Place } from './clients.js';

const place = (platform: NodeJS.Platform, env: Record<string, string> = {}): Place => ({
  home: platform === 'win32' ? 'C:\\Users\\ann' : '/home/ann',
  env,
  platform,
  project: '/work/app',
});

describe('client files', () => {
  it('puts Claude Desktop and VS Code where each OS keeps application settings', () => {
    expect(clientFile('claude-desktop', 'user', place('darwin'))!.path).toBe(
      '/home/ann/Library/Application Support/Claude/claude_desktop_config.json',
    );
    expect(
      clientFile('claude-desktop', 'user', place('win32', { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }))!
        .path,
    ).toMatch(/^C:\\Users\\ann\\AppData\\Roaming[\\/]Claude[\\/]claude_desktop_config\.json$/);
    expect(clientFile('claude-desktop', 'user', place('linux'))!.path).toBe(
      '/home/ann/.config/Claude/claude_desktop_config.json',
    );
    expect(clientFile('claude-desktop', 'user', place('linux', { XDG_CONFIG_HOME: '/xdg' }))!.path).toBe(
      '/xdg/Claude/claude_desktop_config.json',
    );
    expect(clientFile('vscode', 'user', place('darwin'))!.path).toBe(
      '/home/ann/Library/Application Support/Code/User/mcp.json',
    );
    expect(clientFile('vscode', 'user', place('linux'))!.path).toBe('/home/ann/.config/Code/User/mcp.json');
  });

  it('knows each client file, its servers key and scope', () => {
    const linux = place('linux');
    const files = CLIENT_IDS.flatMap((c) =>
      (['user', 'project'] as const).map((s) => clientFile(c, s, linux)).filter((f) => f !== undefined),
    );
    expect(
      files.map((f) => `${f.client} ${f.scope} ${f.path} ${f.at.join('.')}${f.typed ? ' typed' : ''}`),
    ).toEqual([
      'claude-desktop user /home/ann/.config/Claude/claude_desktop_config.json mcpServers',
      'claude-code user /home/ann/.claude.json mcpServers typed',
      'claude-code project /work/app/.mcp.json mcpServers typed',
      'cursor user /home/ann/.cursor/mcp.json mcpServers',
      'cursor project /work/app/.cursor/mcp.json mcpServers',
      'windsurf user /home/ann/.codeium/windsurf/mcp_config.json mcpServers',
      'vscode user /home/ann/.config/Code/User/mcp.json servers typed',
      'vscode project /work/app/.vscode/mcp.json servers typed',
    ]);
  });
});
