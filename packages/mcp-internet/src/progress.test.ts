// The fetch tools' _meta in tools/list, and batch progress through MCP, with and without a token.
import { callTool, connectServer, type ServerSession } from '@org/mcp-core/testing';
import { startFakeSite, type FakeSite } from '../test/fake-site/index.js';
import type { Deps } from './deps.js';
import { server } from './server.js';

let site: FakeSite;
let s: ServerSession<Deps>;
beforeAll(async () => {
  site = await startFakeSite();
  s = await connectServer(server, {
    INTERNET_FETCH_ALLOW_HOSTS: '127.0.0.1',
    INTERNET_FETCH_TIMEOUT_SECONDS: '5',
  });
});
afterAll(async () => {
  await s?.close();
  await site?.close();
});

it('web_fetch, batch_fetch_urls and search_and_fetch advertise maxResultSizeChars in _meta; the others nothing', async () => {
  const { tools } = await s.client.listTools();
  const meta = Object.fromEntries(tools.map((t) => [t.name, t._meta]));
  for (const name of ['web_fetch', 'batch_fetch_urls', 'search_and_fetch']) {
    expect(meta[name]).toEqual({ 'anthropic/maxResultSizeChars': 100000 });
  }
  expect(meta['web_search']).toBeUndefined();
});

it('batch_fetch_urls reports one step per finished page to a client that asks, ending at the total', async () => {
  const urls = [`${site.url}/article`, `${site.url}/missing-page`, `${site.url}/article?b`];
  const seen: { progress: number; total?: number }[] = [];
  const result = await s.client.callTool({ name: 'batch_fetch_urls', arguments: { urls } }, undefined, {
    onprogress: ({ progress, total }) => seen.push({ progress, total }),
  });
  expect(result.isError).toBeFalsy();
  expect((result.structuredContent as { total: number }).total).toBe(3);
  expect(seen.length).toBeGreaterThanOrEqual(2);
  expect(seen.at(-1)).toEqual({ progress: 3, total: 3 });
  expect(seen.every((p) => p.total === 3)).toBe(true);
});

it('without a progress token, no notification is sent and the answer is the same', async () => {
  const methods: string[] = [];
  s.client.fallbackNotificationHandler = async (n) => {
    methods.push(n.method);
  };
  const r = await callTool<{ total: number; successful: number }>(s.client, 'batch_fetch_urls', {
    urls: [`${site.url}/article`],
  });
  expect(r).toMatchObject({ ok: true, data: { total: 1, successful: 1 } });
  expect(methods).toEqual([]);
});
