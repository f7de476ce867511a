import { fileURLToPath } from 'node:url';
import {
  callTool,
  connectHttp,
  getFreePort,
  makeTempDir,
  removeTempDirs,
  spawnHttpServer,
  type SpawnedHttpServer,
} from '@org/mcp-core/testing';

const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));
const TOKEN = 'cache_http_tok_7d2a91e4b6c3f805';
const running: SpawnedHttpServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close('SIGKILL')));
});
afterAll(removeTempDirs);

async function start(dir: string): Promise<SpawnedHttpServer> {
  const server = await spawnHttpServer({
    command: process.execPath,
    args: [bin, '--transport', 'http'],
    env: {
      PATH: process.env['PATH'],
      CACHE_DATA_DIR: dir,
      MCP_HTTP_PORT: String(await getFreePort()),
      MCP_HTTP_TOKENS: TOKEN,
      MCP_LOG_LEVEL: 'info',
    },
  });
  running.push(server);
  return server;
}

describe('the built bin over Streamable HTTP (file backend)', () => {
  it('serves concurrent clients, keeps values across a SIGTERM restart, and never logs the token', async () => {
    const dir = makeTempDir('cache-http-');
    const first = await start(dir);
    const headers = { authorization: `Bearer ${TOKEN}` };
    const clients = await Promise.all([
      connectHttp(first.url, { headers }),
      connectHttp(first.url, { headers }),
    ]);
    expect(
      await callTool(clients[0]!.client, 'cache_set', { key: 'kept', value: { a: [1, 2] } }),
    ).toMatchObject({
      ok: true,
    });
    // 2 clients × 25 increments, all in flight at once: each one is its own request and protocol server.
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => callTool(clients[i % 2]!.client, 'cache_incr', { key: 'hits' })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await callTool(clients[1]!.client, 'cache_get', { key: 'hits' })).toMatchObject({
      ok: true,
      data: { found: true, value: 50 },
    });
    const anonymous = await fetch(first.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer resource_metadata="/);
    await Promise.all(clients.map((c) => c.close()));
    expect(await first.close('SIGTERM')).toBe(0);
    expect(first.stdout()).toBe('');
    expect(first.stderr()).toMatch(/"msg":"request"/);
    expect(first.stderr()).not.toContain(TOKEN);

    const second = await start(dir);
    const again = await connectHttp(second.url, { headers });
    expect(await callTool(again.client, 'cache_get', { key: 'kept' })).toMatchObject({
      ok: true,
      data: { value: { a: [1, 2] } },
    });
    await again.close();
    expect(await second.close('SIGTERM')).toBe(0);
  });
});
