import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { removeTempDirs } from '@org/mcp-core/testing';
import { cloneRoot, makeHome, runSetup } from '../test/harness.js';

afterAll(() => removeTempDirs());

const bin = (dir: string) => join(cloneRoot, 'packages', dir, 'dist/bundle/bin.js');

describe('doctor', () => {
  it('reports ok for servers configured from the clone, after their --check and a tools/list over stdio', async () => {
    const home = makeHome();
    const setup = await runSetup(
      ['--client', 'claude-desktop,vscode', '--servers', 'goal-agent,memory-cache', '--yes'],
      { home },
    );
    expect(setup.code).toBe(0);
    const result = await runSetup(['doctor'], { home });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const client of ['claude-desktop', 'vscode']) {
      for (const server of ['goal-agent', 'memory-cache']) {
        expect(lines).toContainEqual(
          expect.stringMatching(
            new RegExp(`^ok {4}${client} +${server}: --check passed, \\d+ tools over stdio$`),
          ),
        );
      }
    }
  });

  it('names what is wrong and what to set, one line per server, and exits 1', async () => {
    const home = makeHome();
    const desktop = join(home, '.config/Claude/claude_desktop_config.json');
    mkdirSync(dirname(desktop), { recursive: true });
    writeFileSync(
      desktop,
      JSON.stringify({
        mcpServers: {
          github: { command: 'node', args: [bin('mcp-github')] },
          'goal-agent': {
            command: 'node',
            args: [bin('mcp-goal-agent')],
            env: { GOAL_AGENT_STORE: 'redis' },
          },
          'memory-cache': {
            command: 'node',
            args: ['/nowhere/packages/mcp-memory-cache/dist/bundle/bin.js'],
          },
          weather: { command: 'uvx', args: ['weather-mcp'] },
        },
      }),
    );
    const cursor = join(home, '.cursor/mcp.json');
    mkdirSync(dirname(cursor), { recursive: true });
    writeFileSync(cursor, '{ "mcpServers": { "goal-agent": ');
    const result = await runSetup(['doctor', '--client', 'claude-desktop,cursor'], { home });
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^FAIL {2}cursor: .*mcp\.json is not valid JSON/));
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^FAIL {2}claude-desktop +github: GITHUB_PERSONAL_ACCESS_TOKEN: is required → set GITHUB_PERSONAL_ACCESS_TOKEN: mcp-setup --client claude-desktop --servers github --env GITHUB_PERSONAL_ACCESS_TOKEN=…$/,
      ),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^FAIL {2}claude-desktop +goal-agent: .*REDIS_URL/));
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^FAIL {2}claude-desktop +memory-cache: \/nowhere\/.*bin\.js does not exist: build the clone/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^skip {2}claude-desktop +weather: not an @org server/),
    );
    expect(lines).toHaveLength(5);
  });

  it('says so when nothing is configured', async () => {
    const home = makeHome();
    const result = await runSetup(['doctor'], { home });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'No MCP server is configured in: claude-desktop, claude-code, cursor, windsurf, vscode',
    );
  });
});
