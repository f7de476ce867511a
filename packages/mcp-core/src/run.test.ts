import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnStdioServer, type SpawnedServer } from './testing/stdio.js';
import { connectHttp, readToolResult } from './testing/client.js';
import { makeTempDir, removeTempDirs } from './testing/temp.js';
import { getFreePort } from './testing/net.js';
import { spawnHttpServer, type SpawnedHttpServer } from './testing/spawn-http.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

// The fixture imports ../dist, so this suite runs against the built package (nx test depends on build).
const fixture = fileURLToPath(new URL('../test-fixtures/server.mjs', import.meta.url));
const TOKEN = 'tok_9f8e7d6c5b4a39281706';
const baseEnv = { PATH: process.env['PATH'], FIXTURE_TOKEN: TOKEN };

afterAll(removeTempDirs);

function run(args: string[], env: Record<string, string | undefined> = baseEnv) {
  const result = spawnSync(process.execPath, [fixture, ...args], { env, encoding: 'utf8', timeout: 20000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('runServer flags', () => {
  it('--help lists every variable with its default and hides nothing but values', () => {
    const { code, stdout, stderr } = run(['--help'], { PATH: process.env['PATH'] });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const name of [
      'MCP_LOG_LEVEL',
      'MCP_LOG_FILE',
      'MCP_READ_ONLY',
      'MCP_TOOLSETS',
      'MCP_TOOLS',
      'MCP_EXCLUDE_TOOLS',
      'MCP_MAX_OUTPUT_CHARS',
      'MCP_VALIDATE_OUTPUT',
      'MCP_TRANSPORT',
      'MCP_HTTP_HOST',
      'MCP_HTTP_PORT',
      'MCP_HTTP_ALLOWED_HOSTS',
      'MCP_HTTP_ALLOWED_ORIGINS',
      'MCP_HTTP_MAX_BODY_BYTES',
      'MCP_HTTP_ALLOW_UNAUTHENTICATED',
      '--transport stdio|http',
      'FIXTURE_TOKEN',
      'FIXTURE_PORT',
    ]) {
      expect(stdout).toContain(name);
    }
    expect(stdout).toMatch(/FIXTURE_TOKEN {2}\(required, secret\)/);
    expect(stdout).toMatch(/FIXTURE_PORT {2}\(default: 8080\)/);
    expect(stdout).toMatch(/MCP_HTTP_TOKENS {2}\(optional, secret\)/);
    expect(stdout).toMatch(/MCP_HTTP_MAX_BODY_BYTES {2}\(default: 4194304\)/);
    expect(stdout).toContain('--check');
  });

  it('--version prints the version', () => {
    expect(run(['--version'])).toMatchObject({ code: 0, stdout: '9.9.9\n' });
  });

  it('--check prints a report and exits 0 when all is well, 1 when a probe fails', () => {
    const good = run(['--check']);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/ok {4}configuration: valid/);
    expect(good.stdout).toMatch(/ok {4}upstream: reachable/);
    const bad = run(['--check'], { ...baseEnv, FIXTURE_FAIL_CHECK: 'true' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL {2}upstream: unreachable/);
    for (const out of [good, bad]) expect(out.stdout + out.stderr).not.toContain(TOKEN);
  });

  it('invalid config: one readable message on stderr listing every problem, nothing on stdout, exit 1', () => {
    const { code, stdout, stderr } = run([], {
      PATH: process.env['PATH'],
      FIXTURE_PORT: '70000',
      MCP_LOG_LEVEL: 'loud',
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/Invalid configuration/);
    expect(stderr).toMatch(/FIXTURE_TOKEN: is required/);
    expect(stderr).toMatch(/FIXTURE_PORT:/);
    expect(stderr).toMatch(/MCP_LOG_LEVEL:/);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('an unknown tool name in MCP_TOOLS is a startup error', () => {
    const { code, stdout, stderr } = run([], { ...baseEnv, MCP_TOOLS: 'write_thing,wrte_thing' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/unknown tool "wrte_thing"/);
  });

  it('an unknown flag is refused', () => {
    expect(run(['--frobnicate'])).toMatchObject({ code: 1, stdout: '' });
  });
});

describe('runServer serving over stdio', () => {
  let server: SpawnedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves tools, keeps stdout for protocol only and never logs the token', async () => {
    const dir = makeTempDir('core-run-');
    const logFile = join(dir, 'fixture.log');
    server = await spawnStdioServer({
      command: process.execPath,
      args: [fixture],
      env: { ...baseEnv, MCP_LOG_LEVEL: 'debug', MCP_LOG_FILE: logFile },
    });
    expect(server.client.getServerVersion()).toMatchObject({ name: '@org/core-fixture', version: '9.9.9' });
    const { tools } = await server.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['leak_attempt', 'write_thing']);
    const leak = readToolResult(
      (await server.client.callTool({ name: 'leak_attempt', arguments: {} })) as CallToolResult,
    );
    expect(leak).toMatchObject({ ok: false, error: { type: 'internal' } });
    expect(leak.text).not.toContain(TOKEN);
    const bad = readToolResult(
      (await server.client.callTool({ name: 'write_thing', arguments: { value: 'bad' } })) as CallToolResult,
    );
    expect(bad).toMatchObject({ ok: false, error: { type: 'validation', error: 'value must not be "bad"' } });
    expect(await server.close()).toBe(0);
    expect(server.nonProtocolLines).toEqual([]);
    const stderr = server.stderr();
    const fileLog = readFileSync(logFile, 'utf8'); // the file named, not a numbered sibling
    expect(stderr).toContain('calling upstream'); // the log was written...
    expect(fileLog).toContain('calling upstream');
    expect(stderr).not.toContain(TOKEN); // ...without the token anywhere
    expect(fileLog).not.toContain(TOKEN);
  });

  it('read-only mode hides the writer', async () => {
    server = await spawnStdioServer({
      command: process.execPath,
      args: [fixture],
      env: { ...baseEnv, MCP_READ_ONLY: 'true' },
    });
    const { tools } = await server.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['leak_attempt']);
  });

  for (const how of ['SIGTERM', 'SIGINT', 'stdin end'] as const) {
    it(`shuts down cleanly on ${how}: deps disposed, exit code 0`, async () => {
      const marker = join(makeTempDir('core-stop-'), 'disposed');
      const spawned = await spawnStdioServer({
        command: process.execPath,
        args: [fixture],
        env: { ...baseEnv, FIXTURE_DISPOSED_FILE: marker },
      });
      await spawned.client.listTools();
      if (how === 'stdin end') spawned.child.stdin?.end();
      else spawned.child.kill(how);
      expect(await spawned.exited).toBe(0);
      expect(existsSync(marker)).toBe(true);
      expect(spawned.nonProtocolLines).toEqual([]);
    });
  }
});

describe('runServer serving over HTTP', () => {
  const HTTP_TOKEN = 'http_tok_6b3c9d2e8f1a4b7c';
  const spawned: SpawnedHttpServer[] = [];
  afterEach(async () => {
    await Promise.all(spawned.splice(0).map((s) => s.close('SIGKILL')));
  });
  const spawnHttp = async (args: string[], env: Record<string, string | undefined>) => {
    const server = await spawnHttpServer({ command: process.execPath, args: [fixture, ...args], env });
    spawned.push(server);
    return server;
  };

  for (const [how, args, extra] of [
    ['--transport http, stopped by SIGTERM', ['--transport', 'http'], {}],
    ['MCP_TRANSPORT=http, stopped by SIGINT', [], { MCP_TRANSPORT: 'http' }],
  ] as const) {
    it(`${how}: serves with a token, never logs a secret, disposes deps and exits 0`, async () => {
      const marker = join(makeTempDir('core-http-'), 'disposed');
      const server = await spawnHttp([...args], {
        ...baseEnv,
        ...extra,
        MCP_HTTP_PORT: String(await getFreePort()),
        MCP_HTTP_TOKENS: HTTP_TOKEN,
        MCP_LOG_LEVEL: 'debug',
        FIXTURE_DISPOSED_FILE: marker,
      });
      const { client, close } = await connectHttp(server.url, {
        headers: { authorization: `Bearer ${HTTP_TOKEN}` },
      });
      expect(client.getServerVersion()).toMatchObject({ name: '@org/core-fixture', version: '9.9.9' });
      const written = readToolResult(
        (await client.callTool({ name: 'write_thing', arguments: { value: 'v' } })) as CallToolResult,
      );
      expect(written).toMatchObject({ ok: true, data: { written: 'v' } });
      const leak = readToolResult(
        (await client.callTool({ name: 'leak_attempt', arguments: {} })) as CallToolResult,
      );
      expect(leak).toMatchObject({ ok: false, error: { type: 'internal' } });
      const denied = await fetch(server.url, {
        method: 'POST',
        headers: { authorization: 'Bearer wrong-token' },
      });
      expect(denied.status).toBe(401);
      await close();
      expect(await server.close(how.endsWith('SIGINT') ? 'SIGINT' : 'SIGTERM')).toBe(0);
      expect(existsSync(marker)).toBe(true);
      expect(server.stdout()).toBe('');
      expect(server.stderr()).toContain('calling upstream');
      expect(server.stderr()).toMatch(/"status":401/);
      expect(server.stderr()).not.toContain(TOKEN);
      expect(server.stderr()).not.toContain(HTTP_TOKEN);
    });
  }

  it('refuses to listen beyond loopback without a token, an unknown transport, a port in use', async () => {
    const open = run(['--transport', 'http'], { ...baseEnv, MCP_HTTP_HOST: '0.0.0.0', MCP_HTTP_PORT: '0' });
    expect(open.code).toBe(1);
    expect(open.stdout).toBe('');
    expect(open.stderr).toMatch(
      /MCP_HTTP_HOST: 0\.0\.0\.0 is reachable beyond this machine: set MCP_HTTP_TOKENS/,
    );
    const pigeon = run(['--transport', 'pigeon']);
    expect(pigeon).toMatchObject({ code: 1, stdout: '' });
    expect(pigeon.stderr).toMatch(/--transport: must be stdio or http/);
    const first = await spawnHttp(['--transport', 'http'], {
      ...baseEnv,
      MCP_HTTP_PORT: String(await getFreePort()),
    });
    const port = new URL(first.url).port;
    const busy = run(['--transport', 'http'], { ...baseEnv, MCP_HTTP_PORT: port });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/could not start HTTP: .*EADDRINUSE/);
    expect(await first.close()).toBe(0);
  });
});

describe('runServer help and check output', () => {
  it('--help lists the toolsets with their defaults and each tool with a read-only mark', () => {
    const { code, stdout } = run(['--help'], { PATH: process.env['PATH'] });
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: npx @org/core-fixture [-h | --help | -v | --version | --check]');
    expect(stdout).toMatch(/ {2}fixture {2}\(default\)\n {6}The fixture tools/);
    expect(stdout).toMatch(/- leak_attempt {2}\(read-only\)/);
    expect(stdout).toMatch(/- write_thing\n/);
  });

  it('--check with an invalid configuration reports once, on stdout only', () => {
    const { code, stdout, stderr } = run(['--check'], { PATH: process.env['PATH'], FIXTURE_PORT: 'x' });
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^@org\/core-fixture 9\.9\.9\nFAIL {2}Invalid configuration:/);
    expect(stdout.match(/FIXTURE_TOKEN: is required/g)).toHaveLength(1);
    expect(stdout).toMatch(/FIXTURE_PORT: must be a number/);
  });
});

describe('secretValues', () => {
  it('scrubs a secret URL by its credentials only, and any other secret whole', async () => {
    const { secretValues } = await import('./run.js');
    const { z } = await import('zod');
    const { secret } = await import('./config.js');
    const schema = z.object({ URL: secret(z.string()), BARE: secret(z.string()), TOKEN: secret(z.string()) });
    expect(
      secretValues(schema, {
        URL: 'redis://app:p%40ss@host:6379/0',
        BARE: 'redis://host:6379/0',
        TOKEN: 'tok',
      }).sort(),
    ).toEqual(['app', 'p%40ss', 'p@ss', 'tok'].sort());
  });

  it('scrubs every item of a secret list (MCP_HTTP_TOKENS)', async () => {
    const { secretValues } = await import('./run.js');
    const { CoreConfigSchema, loadConfig } = await import('./config.js');
    const config = loadConfig(CoreConfigSchema, { MCP_HTTP_TOKENS: 'first-token, second-token' });
    expect(secretValues(CoreConfigSchema, config)).toEqual(['first-token', 'second-token']);
  });
});
