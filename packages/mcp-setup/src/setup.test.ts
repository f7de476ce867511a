import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { removeTempDirs, sendJson, startFakeHttpServer } from '@org/mcp-core/testing';
import { backupsOf, basePath, cloneRoot, fakeClaude, fakeNpx, makeHome, runSetup } from '../test/harness.js';

afterAll(() => removeTempDirs());

const goalBin = join(cloneRoot, 'packages/mcp-goal-agent/dist/bundle/bin.js');
const cacheBin = join(cloneRoot, 'packages/mcp-memory-cache/dist/bundle/bin.js');
const githubBin = join(cloneRoot, 'packages/mcp-github/dist/bundle/bin.js');
const TOKEN = 'ghp_setuptestsecret0123456789abcdefABCD';

const CLIENTS = [
  {
    client: 'claude-desktop',
    path: '.config/Claude/claude_desktop_config.json',
    key: 'mcpServers',
    typed: false,
  },
  { client: 'claude-code', path: '.claude.json', key: 'mcpServers', typed: true },
  { client: 'cursor', path: '.cursor/mcp.json', key: 'mcpServers', typed: false },
  { client: 'windsurf', path: '.codeium/windsurf/mcp_config.json', key: 'mcpServers', typed: false },
  { client: 'vscode', path: '.config/Code/User/mcp.json', key: 'servers', typed: true },
] as const;

const read = (file: string) => readFileSync(file, 'utf8');
const json = (file: string) => JSON.parse(read(file)) as Record<string, Record<string, unknown>>;

describe.each(CLIENTS)('$client', ({ client, path, key, typed }) => {
  const type = typed ? { type: 'stdio' } : {};

  it('writes a fresh file with the chosen servers run from the clone, after their --check passed', async () => {
    const home = makeHome();
    const result = await runSetup(
      ['--client', client, '--servers', 'goal-agent,memory-cache', '--from', 'clone', '--yes'],
      { home },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ok    goal-agent: --check passed');
    expect(result.stdout).toContain('ok    memory-cache: --check passed');
    const file = join(home, path);
    expect(json(file)).toEqual({
      [key]: {
        'goal-agent': { ...type, command: 'node', args: [goalBin] },
        'memory-cache': { ...type, command: 'node', args: [cacheBin] },
      },
    });
    expect(read(file)).toBe(`${JSON.stringify(json(file), null, 2)}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(backupsOf(file)).toEqual([]);
  });

  it('merges: servers it did not write and other keys stay as they were, the previous file is backed up', async () => {
    const home = makeHome();
    const file = join(home, path);
    mkdirSync(dirname(file), { recursive: true });
    const foreign = `"other": { "command": "docker", "args": ["run", "-i", "x"], "env": { "X_TOKEN": "foreign-secret" } }`;
    const before = `{\n  "theme": "dark",\n  "${key}": {\n    ${foreign}\n  },\n  "list": [1, 2, 3]\n}\n`;
    writeFileSync(file, before);
    const result = await runSetup(['--client', client, '--servers', 'goal-agent', '--yes'], { home });
    expect(result.code).toBe(0);
    const after = read(file);
    expect(after).toContain(`    ${foreign},\n`);
    expect(after).toContain('"list": [1, 2, 3]');
    const parsed = json(file);
    expect(parsed.theme).toBe('dark');
    expect(parsed[key]).toEqual({
      other: { command: 'docker', args: ['run', '-i', 'x'], env: { X_TOKEN: 'foreign-secret' } },
      'goal-agent': { ...type, command: 'node', args: [goalBin] },
    });
    const backups = backupsOf(file);
    expect(backups).toHaveLength(1);
    expect(read(join(dirname(file), backups[0]!))).toBe(before);
    // The foreign server's values are never printed.
    expect(result.stdout).not.toContain('foreign-secret');
    expect(result.stdout).toContain('other servers kept as they are: other');
  });

  it('writes nothing when a value is invalid', async () => {
    const home = makeHome();
    const file = join(home, path);
    mkdirSync(dirname(file), { recursive: true });
    const before = `{\n  "${key}": {}\n}\n`;
    writeFileSync(file, before);
    const result = await runSetup(
      ['--client', client, '--servers', 'goal-agent', '--env', 'GOAL_AGENT_LEASE_SECONDS=soon', '--yes'],
      { home },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL {2}goal-agent: GOAL_AGENT_LEASE_SECONDS: /);
    expect(result.stderr).toContain('Nothing was written');
    expect(read(file)).toBe(before);
    expect(backupsOf(file)).toEqual([]);
  });

  it('--dry-run prints the result with secrets masked and writes nothing', async () => {
    const home = makeHome();
    const result = await runSetup(
      [
        '--client',
        client,
        '--servers',
        'github',
        '--env',
        `GITHUB_PERSONAL_ACCESS_TOKEN=${TOKEN}`,
        '--dry-run',
        '--no-check',
      ],
      { home },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('(dry run, nothing written)');
    expect(result.stdout).toContain('"GITHUB_PERSONAL_ACCESS_TOKEN": "********"');
    expect(result.stdout).toContain(githubBin);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(existsSync(join(home, path))).toBe(false);
  });
});

describe('Claude Code through the claude CLI', () => {
  it('runs claude mcp add with the entry and its env, and backs up ~/.claude.json first', async () => {
    const home = makeHome();
    const log = join(home, 'claude-argv.jsonl');
    const claudeJson = join(home, '.claude.json');
    writeFileSync(claudeJson, '{\n  "numStartups": 4\n}\n');
    const result = await runSetup(
      [
        '--client',
        'claude-code',
        '--servers',
        'goal-agent,github',
        '--env',
        `GITHUB_PERSONAL_ACCESS_TOKEN=${TOKEN}`,
        '--no-check',
        '--yes',
      ],
      { home, path: basePath(fakeClaude(home, log)) },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const calls = read(log)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as string[]);
    expect(calls).toEqual([
      ['mcp', 'add', 'goal-agent', '--scope', 'user', '--', 'node', goalBin],
      [
        'mcp',
        'add',
        'github',
        '--scope',
        'user',
        '-e',
        `GITHUB_PERSONAL_ACCESS_TOKEN=${TOKEN}`,
        '--',
        'node',
        githubBin,
      ],
    ]);
    expect(result.stdout).toContain('-e GITHUB_PERSONAL_ACCESS_TOKEN=********');
    expect(result.stdout).not.toContain(TOKEN);
    // The CLI wrote nothing itself here (it is a fake); mcp-setup left the file to it.
    expect(read(claudeJson)).toBe('{\n  "numStartups": 4\n}\n');
    expect(backupsOf(claudeJson)).toHaveLength(1);
  });

  it('replaces an entry it wrote earlier with claude mcp remove, then add, in the chosen scope', async () => {
    const home = makeHome();
    const project = join(home, 'project');
    mkdirSync(project);
    const log = join(home, 'claude-argv.jsonl');
    writeFileSync(
      join(project, '.mcp.json'),
      JSON.stringify({
        mcpServers: { 'goal-agent': { command: 'npx', args: ['-y', '@org/mcp-goal-agent'] } },
      }),
    );
    const result = await runSetup(
      ['--client', 'claude-code', '--servers', 'goal-agent', '--scope', 'project', '--yes'],
      {
        home,
        cwd: project,
        path: basePath(fakeClaude(home, log)),
      },
    );
    expect(result.code).toBe(0);
    const calls = read(log)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as string[]);
    expect(calls).toEqual([
      ['mcp', 'remove', 'goal-agent', '--scope', 'project'],
      ['mcp', 'add', 'goal-agent', '--scope', 'project', '--', 'node', goalBin],
    ]);
  });
});

describe('choices and refusals', () => {
  it('writes project files with --scope project', async () => {
    const home = makeHome();
    const project = join(home, 'work');
    mkdirSync(project);
    const result = await runSetup(
      [
        '--client',
        'claude-code,cursor,vscode',
        '--servers',
        'memory-cache',
        '--scope',
        'project',
        '--project',
        project,
        '--yes',
        '--no-check',
      ],
      { home },
    );
    expect(result.code).toBe(0);
    expect(json(join(project, '.mcp.json')).mcpServers).toEqual({
      'memory-cache': { type: 'stdio', command: 'node', args: [cacheBin] },
    });
    expect(json(join(project, '.cursor/mcp.json')).mcpServers).toEqual({
      'memory-cache': { command: 'node', args: [cacheBin] },
    });
    expect(json(join(project, '.vscode/mcp.json')).servers).toEqual({
      'memory-cache': { type: 'stdio', command: 'node', args: [cacheBin] },
    });
  });

  it('refuses to replace a same-named server it did not write, unless --force', async () => {
    const home = makeHome();
    const file = join(home, '.cursor/mcp.json');
    mkdirSync(dirname(file), { recursive: true });
    const before = JSON.stringify(
      { mcpServers: { github: { command: 'docker', args: ['run', 'ghcr.io/github/github-mcp-server'] } } },
      null,
      2,
    );
    writeFileSync(file, before);
    const args = [
      '--client',
      'cursor',
      '--servers',
      'github',
      '--env',
      `GITHUB_PERSONAL_ACCESS_TOKEN=${TOKEN}`,
      '--no-check',
      '--yes',
    ];
    const refused = await runSetup(args, { home });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already has a server "github" that mcp-setup did not write');
    expect(read(file)).toBe(before);
    const forced = await runSetup([...args, '--force'], { home });
    expect(forced.code).toBe(0);
    expect(json(file).mcpServers!.github).toEqual({
      command: 'node',
      args: [githubBin],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: TOKEN },
    });
    expect(backupsOf(file)).toHaveLength(1);
  });

  it('keeps the values of an entry it wrote before, so switching to npm asks nothing again', async () => {
    const home = makeHome();
    const file = join(home, '.codeium/windsurf/mcp_config.json');
    const first = await runSetup(
      [
        '--client',
        'windsurf',
        '--servers',
        'github',
        '--env',
        `GITHUB_PERSONAL_ACCESS_TOKEN=${TOKEN}`,
        '--env',
        'MCP_READ_ONLY=true',
        '--no-check',
        '--yes',
      ],
      { home },
    );
    expect(first.code).toBe(0);
    const second = await runSetup(
      ['--client', 'windsurf', '--servers', 'github', '--from', 'npm', '--no-check', '--yes'],
      { home },
    );
    expect(second.code).toBe(0);
    expect(json(file).mcpServers!.github).toEqual({
      command: 'npx',
      args: ['-y', '@org/mcp-github'],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: TOKEN, MCP_READ_ONLY: 'true' },
    });
    const third = await runSetup(
      ['--client', 'windsurf', '--servers', 'github', '--from', 'npm', '--no-check', '--yes'],
      { home },
    );
    expect(third.stdout).toContain('Nothing to change.');
    expect(backupsOf(file)).toHaveLength(1);
  });

  it('--from npm checks each server as the client will start it: npx -y @org/mcp-x --check', async () => {
    const home = makeHome();
    const log = join(home, 'npx-argv.jsonl');
    const result = await runSetup(
      ['--client', 'claude-desktop', '--servers', 'goal-agent,memory-cache', '--from', 'npm', '--yes'],
      {
        home,
        path: basePath(fakeNpx(home, log)),
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const calls = read(log)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as string[]);
    expect(calls.sort()).toEqual([
      ['-y', '@org/mcp-goal-agent', '--check'],
      ['-y', '@org/mcp-memory-cache', '--check'],
    ]);
    expect(json(join(home, CLIENTS[0].path)).mcpServers).toEqual({
      'goal-agent': { command: 'npx', args: ['-y', '@org/mcp-goal-agent'] },
      'memory-cache': { command: 'npx', args: ['-y', '@org/mcp-memory-cache'] },
    });
  });

  it('says which variable a server needs, and refuses unknown ones, writing nothing', async () => {
    const home = makeHome();
    const missing = await runSetup(['--client', 'cursor', '--servers', 'jira', '--yes'], { home });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('jira needs JIRA_BASE_URL');
    expect(missing.stderr).toContain('pass --env JIRA_API_TOKEN=…');
    const unknown = await runSetup(
      ['--client', 'cursor', '--servers', 'goal-agent', '--env', 'GITHUB_ALLOWED_REPOS=a/b', '--yes'],
      { home },
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('goal-agent do not read GITHUB_ALLOWED_REPOS');
    const noYes = await runSetup(['--client', 'cursor', '--servers', 'goal-agent'], { home });
    expect(noYes.code).toBe(1);
    expect(noYes.stderr).toContain('pass --yes');
    const noClient = await runSetup(['--servers', 'goal-agent', '--yes'], { home });
    expect(noClient.code).toBe(1);
    expect(noClient.stderr).toContain('--client is required');
    expect(existsSync(join(home, '.cursor'))).toBe(false);
  });

  it('checks a token against the API before writing it, and never prints it', async () => {
    let valid = false;
    const github = await startFakeHttpServer((request, response) => {
      if (request.path === '/user' && valid && request.headers.authorization?.includes(TOKEN))
        sendJson(response, 200, { login: 'octocat' }, { 'x-oauth-scopes': 'repo' });
      else
        sendJson(response, 401, {
          message: 'Bad credentials',
          documentation_url: 'https://docs.github.com/rest',
        });
    });
    try {
      const home = makeHome();
      const args = [
        '--client',
        'claude-desktop',
        '--servers',
        'github',
        '--env',
        `GITHUB_PERSONAL_ACCESS_TOKEN=${TOKEN}`,
        '--env',
        `GITHUB_API_URL=${github.url}`,
        '--yes',
      ];
      const rejected = await runSetup(args, { home });
      expect(rejected.code).toBe(1);
      expect(rejected.stdout).toMatch(/FAIL {2}github: /);
      expect(rejected.stdout + rejected.stderr).not.toContain(TOKEN);
      expect(existsSync(join(home, CLIENTS[0].path))).toBe(false);
      valid = true;
      const accepted = await runSetup(args, { home });
      expect(accepted.code).toBe(0);
      expect(accepted.stdout).toContain('ok    github: --check passed');
      expect(accepted.stdout + accepted.stderr).not.toContain(TOKEN);
      expect(json(join(home, CLIENTS[0].path)).mcpServers!.github).toEqual({
        command: 'node',
        args: [githubBin],
        env: { GITHUB_PERSONAL_ACCESS_TOKEN: TOKEN, GITHUB_API_URL: github.url },
      });
      expect(github.requests.filter((r) => r.path === '/user').length).toBeGreaterThanOrEqual(2);
    } finally {
      await github.close();
    }
  });

  it('asks again for a variable a failed --check blames, when interactive, and checks again', async () => {
    const home = makeHome();
    const answers = ['', '', '60', 'y'].join('\n'); // REDIS_URL, REDIS_PASSWORD, the lease again, confirm
    const result = await runSetup(
      [
        '--interactive',
        '--client',
        'windsurf',
        '--servers',
        'goal-agent',
        '--from',
        'clone',
        '--env',
        'GOAL_AGENT_LEASE_SECONDS=soon',
      ],
      { home, input: `${answers}\n` },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /FAIL {2}goal-agent: GOAL_AGENT_LEASE_SECONDS: [^\n]*\nok {4}goal-agent: --check passed/,
    );
    expect(result.stderr).toContain('goal-agent GOAL_AGENT_LEASE_SECONDS: Default claim lease');
    expect(json(join(home, '.codeium/windsurf/mcp_config.json')).mcpServers).toEqual({
      'goal-agent': { command: 'node', args: [goalBin], env: { GOAL_AGENT_LEASE_SECONDS: '60' } },
    });
  });

  it('says so plainly, with no stack trace, when the answers end early, and writes nothing', async () => {
    const home = makeHome();
    const result = await runSetup(
      ['--interactive', '--client', 'cursor', '--servers', 'github', '--no-check'],
      {
        home,
        input: '\n',
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the input ended before every question was answered');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(home, '.cursor/mcp.json'))).toBe(false);
  });

  it('asks for what is missing when interactive, without printing a secret typed in', async () => {
    const home = makeHome();
    const answers = ['', TOKEN, '', '', 'y'].join('\n'); // clone or npm, the token, REDIS_URL, REDIS_PASSWORD, confirm
    const result = await runSetup(
      ['--interactive', '--client', 'cursor', '--servers', 'github,goal-agent', '--no-check'],
      {
        home,
        input: `${answers}\n`,
      },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('GITHUB_PERSONAL_ACCESS_TOKEN (required, secret)');
    expect(result.stderr).toContain('REDIS_URL (optional, Enter to skip)');
    expect(result.stderr).toContain('Run the servers from this clone');
    expect(result.stderr).toContain('Write these changes? [Y/n]');
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(json(join(home, '.cursor/mcp.json')).mcpServers).toEqual({
      github: { command: 'node', args: [githubBin], env: { GITHUB_PERSONAL_ACCESS_TOKEN: TOKEN } },
      'goal-agent': { command: 'node', args: [goalBin] },
    });
  });
});
