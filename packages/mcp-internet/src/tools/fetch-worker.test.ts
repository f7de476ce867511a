// Through MCP: conversion off the main thread (the server answers while a big page converts,
// cancelling ends the conversion), the text path for huge pages, and the fetch-layer gaps closed
// with it (robots.txt product token and size limit, compressed bodies past the cap, IPv6 forms).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { callTool, connectServer, type ServerSession } from '@org/mcp-core/testing';
import { ARTICLE_PARAGRAPHS, bigArticle, startFakeSite, type FakeSite } from '../../test/fake-site/index.js';
import type { Deps } from '../deps.js';
import { server } from '../server.js';
import type { FetchResult } from './shared.js';

// A page slow to convert to Markdown (seconds) though under the text path's 1 MiB: many small elements.
const SLOW = `<!DOCTYPE html><html><head><title>Catalogue</title></head><body><main>${Array.from(
  { length: 5000 },
  (_, i) =>
    `<div class="item"><h3>Item ${i}</h3><p>${ARTICLE_PARAGRAPHS[i % 3]!.slice(0, 40)} <a href="/i/${i}">details</a></p><ul><li>a</li><li>b</li></ul></div>`,
).join('')}</main></body></html>`;
const HUGE = bigArticle(4 * 1024 * 1024);
const BOMB = gzipSync(Buffer.alloc(20 * 1024 * 1024, 'a'));

let pages: Server;
let base = '';
let site: FakeSite;
let s: ServerSession<Deps>;
beforeAll(async () => {
  pages = createServer((req, res) => {
    if (req.url === '/slow-to-convert') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(SLOW);
    }
    if (req.url === '/huge') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(HUGE);
    }
    if (req.url === '/bomb') {
      res.writeHead(200, {
        'content-type': 'text/plain',
        'content-encoding': 'gzip',
        'content-length': BOMB.byteLength,
      });
      return res.end(BOMB);
    }
    res.writeHead(404);
    return res.end();
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  site = await startFakeSite();
  s = await connectServer(server, {
    INTERNET_FETCH_ALLOW_HOSTS: '127.0.0.1',
    INTERNET_IGNORE_ROBOTS: 'true',
  });
});
afterAll(async () => {
  await s?.close();
  await site?.close();
  pages.closeAllConnections();
  await new Promise((resolve) => pages.close(resolve));
});

const fetchPage = (session: ServerSession<Deps>, args: Record<string, unknown>) =>
  callTool<FetchResult>(session.client, 'web_fetch', args);
const stats = async () => (await s.deps.pages()).converterStats();
const untilBusy = async () => {
  for (let i = 0; i < 3000 && (await stats()).busy === 0; i++) await new Promise((r) => setTimeout(r, 5));
};

describe('conversion off the main thread', () => {
  it('a 4 MB page comes back as text (headings, paragraphs) with a warning, not as a 30-second Markdown conversion', async () => {
    const started = performance.now();
    const r = await fetchPage(s, { url: `${base}/huge`, max_length: 3000 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data).toMatchObject({ format: 'text', title: 'Long read', truncated: true });
    expect(r.data.warning).toMatch(/The page is large \(4\.0 MB\): shown as plain text/);
    expect(r.data.content).toContain('## Section 1');
    expect(r.data.content).toContain(ARTICLE_PARAGRAPHS[0]);
    expect(r.text).toContain('Note: The page is large');
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('while a page converts, the server answers ping and another web_fetch, and its event loop never stalls', async () => {
    // Two warm workers, so the small page below does not wait for a worker to start.
    await Promise.all([
      fetchPage(s, { url: `${site.url}/article` }),
      fetchPage(s, { url: `${site.url}/shell` }),
    ]);
    expect(await stats()).toMatchObject({ workers: 2 });
    expect(SLOW.length).toBeLessThan(1024 * 1024);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    let bigDone = false;
    const big = fetchPage(s, { url: `${base}/slow-to-convert` }).finally(() => {
      bigDone = true;
    });
    await untilBusy();
    const pinged = performance.now();
    await s.client.ping();
    const pingMs = performance.now() - pinged;
    const small = await fetchPage(s, { url: `${site.url}/article?again` });
    const smallWhileBig = !bigDone;
    const result = await big;
    lag.disable();
    expect(small).toMatchObject({ ok: true, data: { format: 'markdown' } });
    expect(result).toMatchObject({ ok: true, data: { title: 'Catalogue' } });
    // If conversion ran on this thread, ping would wait for it and the loop would stall for as long.
    expect(smallWhileBig).toBe(true);
    expect(pingMs).toBeLessThan(1000);
    expect(lag.max / 1e6).toBeLessThan(1000);
  });

  it('cancelling a web_fetch ends its conversion worker', async () => {
    const fresh = await connectServer(server, {
      INTERNET_FETCH_ALLOW_HOSTS: '127.0.0.1',
      INTERNET_IGNORE_ROBOTS: 'true',
    });
    try {
      const converter = async () => (await fresh.deps.pages()).converterStats();
      const controller = new AbortController();
      const call = fresh.client.callTool(
        { name: 'web_fetch', arguments: { url: `${base}/slow-to-convert` } },
        undefined,
        {
          signal: controller.signal,
        },
      );
      call.catch(() => undefined);
      for (let i = 0; i < 3000 && (await converter()).busy === 0; i++)
        await new Promise((r) => setTimeout(r, 5));
      expect(await converter()).toMatchObject({ busy: 1 });
      controller.abort(new Error('user cancelled'));
      await expect(call).rejects.toThrow();
      for (let i = 0; i < 200 && (await converter()).busy > 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(await converter()).toMatchObject({ busy: 0, workers: 0 });
    } finally {
      await fresh.close();
    }
  });
});

describe('fetch layer', () => {
  it('a compressed body is held to INTERNET_MAX_FETCH_BYTES after decompression (a gzip bomb)', async () => {
    const r = await fetchPage(s, { url: `${base}/bomb` });
    expect(r).toMatchObject({
      ok: false,
      error: { type: 'validation', hint: expect.stringContaining('INTERNET_MAX_FETCH_BYTES') },
    });
    if (!r.ok) expect(r.error.error).toMatch(/larger than the 5242880-byte limit: its body is longer/);
  });

  it('IPv4-compatible and other non-global IPv6 forms are refused, not taken for public unicast', async () => {
    const guarded = await connectServer(server, {});
    try {
      for (const url of [
        `http://[::127.0.0.1]:${site.port}/`,
        `http://[::7f00:1]:${site.port}/`,
        'http://[::a9fe:a9fe]/',
        'http://[4000::1]/',
      ]) {
        expect(await fetchPage(guarded, { url })).toMatchObject({ ok: false, error: { type: 'forbidden' } });
      }
    } finally {
      await guarded.close();
    }
  });

  it("robots.txt groups match the User-Agent's first word even without a version (INTERNET_USER_AGENT)", async () => {
    const body = site.robots.body;
    site.robots.body = 'User-agent: *\nAllow: /\n\nUser-agent: AcmeReader\nDisallow: /article\n';
    const acme = await connectServer(server, {
      INTERNET_FETCH_ALLOW_HOSTS: '127.0.0.1',
      INTERNET_USER_AGENT: 'AcmeReader (+https://acme.example/bot)',
    });
    try {
      const r = await fetchPage(acme, { url: `${site.url}/article` });
      expect(r).toMatchObject({
        ok: false,
        error: { type: 'forbidden', error: expect.stringMatching(/disallows \/article/) },
      });
      expect(site.userAgents.at(-1)).toBe('AcmeReader (+https://acme.example/bot)');
    } finally {
      await acme.close();
      site.robots.body = body;
    }
  });

  it('a robots.txt over 500 KiB is read up to its limit (RFC 9309), not taken as a refusal of the whole site', async () => {
    const body = site.robots.body;
    site.robots.body = `User-agent: *\nDisallow: /private/\n${'# padding\n'.repeat(70_000)}`;
    const fresh = await connectServer(server, { INTERNET_FETCH_ALLOW_HOSTS: '127.0.0.1' });
    try {
      expect(await fetchPage(fresh, { url: `${site.url}/article` })).toMatchObject({ ok: true });
      expect(await fetchPage(fresh, { url: `${site.url}/private/page` })).toMatchObject({
        ok: false,
        error: { type: 'forbidden' },
      });
    } finally {
      await fresh.close();
      site.robots.body = body;
    }
  });
});
