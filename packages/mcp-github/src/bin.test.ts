import { fileURLToPath } from 'node:url';
import { callTool, runBin, spawnStdioServer } from '@org/mcp-core/testing';
import { startFakeGitHub, type FakeGitHub } from '../test/fake-github/index.js';

const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));
let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startFakeGitHub();
  gh.addRepo('acme/api', { 'README.md': '# hi\n' });
});
afterAll(() => gh?.close());

const run = (args: string[], env: Record<string, string>) => runBin(bin, args, env);

describe('the built bin', () => {
  it('--help lists the GitHub variables; a missing token is one clear startup error', async () => {
    const help = await run(['--help'], {});
    for (const name of [
      'GITHUB_PERSONAL_ACCESS_TOKEN',
      'GITHUB_API_URL',
      'GITHUB_ALLOWED_REPOS',
      'GITHUB_DEFAULT_BRANCH',
    ])
      expect(help.stdout).toContain(name);
    const missing = await run([], {});
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/GITHUB_PERSONAL_ACCESS_TOKEN: is required/);
  });

  it('--check authenticates against the API and never prints the token', async () => {
    const ok = await run(['--check'], { GITHUB_PERSONAL_ACCESS_TOKEN: gh.token, GITHUB_API_URL: gh.url });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/ok {4}github: authenticated as me/);
    const bad = await run(['--check'], {
      GITHUB_PERSONAL_ACCESS_TOKEN: 'gho_wrongwrongwrong123',
      GITHUB_API_URL: gh.url,
    });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/FAIL {2}github: GitHub: Bad credentials/);
    expect(bad.stdout + bad.stderr).not.toContain('gho_wrongwrongwrong123');
  });

  it('serves over stdio with nothing but protocol on stdout', async () => {
    const server = await spawnStdioServer({
      command: process.execPath,
      args: [bin],
      env: {
        PATH: process.env['PATH'],
        GITHUB_PERSONAL_ACCESS_TOKEN: gh.token,
        GITHUB_API_URL: gh.url,
        MCP_LOG_LEVEL: 'debug',
      },
    });
    expect(
      await callTool(server.client, 'get_file_content', { repo_name: 'acme/api', file_path: 'README.md' }),
    ).toMatchObject({ ok: true, data: { content: '# hi\n' } });
    expect(await server.close()).toBe(0);
    expect(server.nonProtocolLines).toEqual([]);
    // The bundled logger writes (pino is loaded on the first line), and never the token.
    expect(server.stderr()).toContain('server started on stdio');
    expect(server.stderr()).not.toContain(gh.token);
  });
});
