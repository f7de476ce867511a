import { fileURLToPath } from 'node:url';
import { callTool, runBin, spawnStdioServer } from '@org/mcp-core/testing';
import { startFakeJira, type FakeJira } from '../test/fake-jira/index.js';

const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));
let fake: FakeJira;
beforeAll(async () => {
  fake = await startFakeJira();
  fake.addIssue('ENG', { summary: 'From the bundle' });
});
afterAll(() => fake?.close());

const run = (args: string[], env: Record<string, string>) => runBin(bin, args, env);
const env = () => ({
  JIRA_BASE_URL: fake.url,
  JIRA_EMAIL: fake.email,
  JIRA_API_TOKEN: fake.token,
  JIRA_RATE_LIMIT_DELAY: '0',
});

describe('the built bin', () => {
  it('--help lists the Jira variables; missing ones are one clear startup error', async () => {
    const help = await run(['--help'], {});
    for (const name of [
      'JIRA_BASE_URL',
      'JIRA_EMAIL',
      'JIRA_API_TOKEN',
      'JIRA_PROJECT_KEY',
      'JIRA_PROJECTS_FILTER',
      'JIRA_RATE_LIMIT_DELAY',
      'JIRA_TIMEOUT',
      'JIRA_MAX_RETRIES',
    ])
      expect(help.stdout).toContain(name);
    const missing = await run([], {});
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/JIRA_BASE_URL/);
    expect(missing.stderr).toMatch(/JIRA_API_TOKEN/);
  });

  it('--check reports the user, the Agile API and the projects through the filter, and never the token', async () => {
    const ok = await run(['--check'], { ...env(), JIRA_PROJECTS_FILTER: 'ENG,OPS' });
    expect(ok.stdout).toMatch(/ok {4}jira: authenticated as Alice Admin/);
    expect(ok.stdout).toMatch(/ok {4}agile: the Agile API answers/);
    expect(ok.stdout).toMatch(/ok {4}projects: visible through JIRA_PROJECTS_FILTER: ENG, OPS/);
    expect(ok.status).toBe(0);
    const hidden = await run(['--check'], { ...env(), JIRA_PROJECTS_FILTER: 'ENG,SEC' });
    expect(hidden.status).toBe(1);
    expect(hidden.stdout).toMatch(
      /FAIL {2}projects: visible through JIRA_PROJECTS_FILTER: ENG; not visible: SEC/,
    );
    const bad = await run(['--check'], { ...env(), JIRA_API_TOKEN: 'wrong-token-12345' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/FAIL {2}jira: Jira: Client must be authenticated/);
    expect(bad.stdout + bad.stderr).not.toContain('wrong-token-12345');
  });

  it('serves over stdio with nothing but protocol on stdout, and never logs the token', async () => {
    const server = await spawnStdioServer({
      command: process.execPath,
      args: [bin],
      env: { PATH: process.env['PATH'], ...env(), MCP_LOG_LEVEL: 'trace' },
    });
    expect(await callTool(server.client, 'jira_get_issue', { issue_key: 'ENG-1' })).toMatchObject({
      ok: true,
      data: { summary: 'From the bundle' },
    });
    expect(await server.close()).toBe(0);
    expect(server.nonProtocolLines).toEqual([]);
    expect(server.stderr()).toContain('jira request');
    expect(server.stderr()).not.toContain(fake.token);
    expect(server.stderr()).not.toContain(Buffer.from(`${fake.email}:${fake.token}`).toString('base64'));
  });
});
