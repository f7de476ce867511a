import { callTool, connectServer, type ServerSession } from '@org/mcp-core/testing';
import { ARTICLE_PARAGRAPHS, startFakeSite, type FakeSite } from '../../test/fake-site/index.js';
import type { Deps } from '../deps.js';
import { server } from '../server.js';
import type { FetchResult } from './shared.js';

let site: FakeSite;
let s: ServerSession<Deps>;
beforeAll(async () => {
  site = await startFakeSite();
  s = await connectServer(server, { INTERNET_FETCH_ALLOW_HOSTS: '127.0.0.1', INTERNET_FETCH_TIMEOUT_SECONDS: '5' });
});
afterAll(async () => {
  await s?.close();
  await site?.close();
});

const fetchPage = (args: Record<string, unknown>) => callTool<FetchResult>(s.client, 'web_fetch', args);
const ok = async (args: Record<string, unknown>) => {
  const r = await fetchPage(args);
  if (!r.ok) throw new Error(`web_fetch failed: ${JSON.stringify(r.error)}`);
  return r;
};

describe('web_fetch: content by type', () => {
  it('an article inside boilerplate becomes readable Markdown with absolute links and metadata', async () => {
    const { data, text } = await ok({ url: `${site.url}/article` });
    expect(data).toMatchObject({
      final_url: `${site.url}/article`,
      status_code: 200,
      format: 'markdown',
      title: expect.stringContaining('Rate limiting, explained'),
      published: '2026-11-03T09:30:00Z',
      encoding: 'utf-8',
      truncated: false,
    });
    expect(data.byline).toMatch(/Ada Example/);
    for (const paragraph of ARTICLE_PARAGRAPHS) expect(data.content).toContain(paragraph.slice(0, 60));
    expect(data.content).toContain(`(${site.url}/docs/windows)`);
    expect(data.content).toContain(`${site.url}/images/bucket.png`);
    expect(data.content).toContain('| Algorithm | Bursts |\n| --- | --- |\n| Token bucket | yes |');
    expect(data.content).toContain('```python\nretry_after = int(response.headers["Retry-After"])\n```');
    for (const boilerplate of ['Accept all', 'Advertisement', 'All rights reserved', 'Careers', 'dataLayer']) {
      expect(data.content).not.toContain(boilerplate);
    }
    expect(text).toContain('# Rate limiting, explained');
    expect(site.userAgents.at(-1)).toMatch(/^OrgMcpInternet\/\d/);
  });

  it('raw: true returns the HTML source', async () => {
    const { data } = await ok({ url: `${site.url}/article`, raw: true });
    expect(data.format).toBe('html');
    expect(data.content).toContain('<div class="cookie-banner">');
  });

  it('a JavaScript-only app shell says it has no text without scripts', async () => {
    const { data } = await ok({ url: `${site.url}/shell` });
    expect(data.warning).toMatch(/JavaScript/);
  });

  it('legacy charsets decode exactly: windows-1252 smart quotes, euro and dash; Shift_JIS; undeclared Latin-1', async () => {
    const cp1252 = (await ok({ url: `${site.url}/windows-1252` })).data;
    expect(cp1252.encoding).toBe('windows-1252');
    expect(cp1252.content).toContain('“Fair” coffee costs 3 € — a bargain in the café');
    expect(cp1252.title).toBe('Café prices');
    const undeclared = (await ok({ url: `${site.url}/undeclared` })).data;
    expect(undeclared.content).toContain('“Fair” coffee costs 3 €');
    const sjis = (await ok({ url: `${site.url}/shift_jis` })).data;
    expect(sjis).toMatchObject({ encoding: 'shift_jis', title: '日本' });
    expect(sjis.content).toContain('こんにちは');
  });

  it('PDF becomes text with its title; JSON is pretty-printed; text stays text; an image is metadata only', async () => {
    const pdf = (await ok({ url: `${site.url}/report.pdf` })).data;
    expect(pdf).toMatchObject({ format: 'pdf', title: 'Quarterly report' });
    expect(pdf.content).toContain('Revenue grew 12 percent');
    const json = (await ok({ url: `${site.url}/data.json` })).data;
    expect(json.format).toBe('json');
    expect(json.content).toBe(JSON.stringify({ name: 'mcp', tags: ['a', 'b'], nested: { ok: true } }, null, 2));
    expect((await ok({ url: `${site.url}/notes.txt` })).data).toMatchObject({ format: 'text', content: 'plain text notes\nline two' });
    const image = (await ok({ url: `${site.url}/logo.png` })).data;
    expect(image).toMatchObject({ format: 'metadata', content: '', content_type: 'image/png', bytes: 0 });
    expect(image.warning).toMatch(/image\/png content is not returned/);
  });

  it('a redirect is followed and shown', async () => {
    const { data } = await ok({ url: `${site.url}/moved` });
    expect(data.final_url).toBe(`${site.url}/article`);
    expect(data.redirects).toEqual([`${site.url}/article`]);
  });
});

describe('web_fetch: paging', () => {
  it('windows of a long page come from one fetch, with the continuation hint; past the end says so', async () => {
    const before = site.hits.get('/long') ?? 0;
    const first = await ok({ url: `${site.url}/long`, max_length: 5000 });
    expect(first.data).toMatchObject({ start_index: 0, truncated: true, next_start_index: 5000 });
    expect(first.data.content).toHaveLength(5000);
    expect(first.text).toContain('Call web_fetch with a start_index of 5000 to get more content.');
    const second = await ok({ url: `${site.url}/long`, max_length: 5000, start_index: 5000 });
    expect(second.data.content).toBe(
      (await ok({ url: `${site.url}/long`, max_length: 10000 })).data.content.slice(5000, 10000),
    );
    const past = await ok({ url: `${site.url}/long`, start_index: 10_000_000 });
    expect(past.data).toMatchObject({ content: '', truncated: false });
    expect(past.text).toContain('No more content available.');
    expect(site.hits.get('/long')! - before).toBe(1);
  });

  it('max_length above the output budget is held to the budget', async () => {
    const { data } = await ok({ url: `${site.url}/long`, max_length: 500_000 });
    expect(data.content.length).toBeLessThanOrEqual(20_000);
    expect(data.truncated).toBe(true);
  });
});

describe('web_fetch: failures are clear envelopes', () => {
  it('a body over INTERNET_MAX_FETCH_BYTES (declared, chunked or endless) is a validation error', async () => {
    for (const path of ['/huge', '/huge-chunked', '/endless']) {
      const r = await fetchPage({ url: `${site.url}${path}` });
      expect(r).toMatchObject({ ok: false, error: { type: 'validation', hint: expect.stringContaining('INTERNET_MAX_FETCH_BYTES') } });
      if (!r.ok) expect(r.error.error).toMatch(/larger than the 5242880-byte limit/);
    }
  });

  it('a page slower than the timeout is a timeout error', async () => {
    const r = await fetchPage({ url: `${site.url}/slow`, timeout: 1 });
    expect(r).toMatchObject({ ok: false, error: { type: 'timeout', retryable: true } });
  });

  it('404 is not_found with its status; bad URLs and schemes are validation errors', async () => {
    expect(await fetchPage({ url: `${site.url}/missing` })).toMatchObject({ ok: false, error: { type: 'not_found', status_code: 404 } });
    for (const url of ['example.com', 'ftp://example.com/x', 'javascript:alert(1)']) {
      expect(await fetchPage({ url })).toMatchObject({ ok: false, error: { type: 'validation' } });
    }
    expect(await fetchPage({})).toMatchObject({ ok: false, error: { type: 'validation' } });
    expect(await fetchPage({ url: `${site.url}/article`, start_index: -1 })).toMatchObject({ ok: false, error: { type: 'validation' } });
  });

  it('a redirect to the metadata address is refused even with loopback opted in', async () => {
    const r = await fetchPage({ url: `${site.url}/to-metadata` });
    expect(r).toMatchObject({ ok: false, error: { type: 'forbidden' } });
    if (!r.ok) expect(r.error.error).toMatch(/169\.254\.169\.254 \(linkLocal/);
  });
});

describe('web_fetch: robots.txt', () => {
  it('a group for our user-agent token wins over *; * applies when there is none; INTERNET_IGNORE_ROBOTS turns it off', async () => {
    // The site's robots.txt has a group for OrgMcpInternet (Disallow /no-bots/) and one for *.
    const refused = await fetchPage({ url: `${site.url}/no-bots/page` });
    expect(refused).toMatchObject({ ok: false, error: { type: 'forbidden', hint: expect.stringContaining('INTERNET_IGNORE_ROBOTS') } });
    expect(site.hits.get('/no-bots/page')).toBeUndefined();
    expect(await fetchPage({ url: `${site.url}/private/page` })).toMatchObject({ ok: true });
    const body = site.robots.body;
    site.robots.body = 'User-agent: *\nDisallow: /private/\n';
    const fresh = await connectServer(server, { INTERNET_FETCH_ALLOW_HOSTS: '127.0.0.1' });
    expect(await callTool(fresh.client, 'web_fetch', { url: `${site.url}/private/page?x=1` })).toMatchObject({
      ok: false,
      error: { type: 'forbidden' },
    });
    await fresh.close();
    site.robots.body = body;
    const ignoring = await connectServer(server, { INTERNET_FETCH_ALLOW_HOSTS: '127.0.0.1', INTERNET_IGNORE_ROBOTS: 'true' });
    expect(await callTool(ignoring.client, 'web_fetch', { url: `${site.url}/no-bots/page` })).toMatchObject({ ok: true });
    await ignoring.close();
  });

  it('a 401/403 robots.txt denies the whole site; a 404 allows it', async () => {
    for (const [status, allowed] of [
      [403, false],
      [401, false],
      [404, true],
    ] as const) {
      site.robots.status = status;
      const fresh = await connectServer(server, { INTERNET_FETCH_ALLOW_HOSTS: '127.0.0.1' });
      const r = await callTool(fresh.client, 'web_fetch', { url: `${site.url}/article` });
      expect(r.ok).toBe(allowed);
      if (!r.ok) expect(r.error.error).toMatch(new RegExp(`robots.txt answered ${status}`));
      await fresh.close();
    }
    site.robots.status = 200;
  });
});

describe('web_fetch: safe by default', () => {
  it('without INTERNET_FETCH_ALLOW_HOSTS, loopback, metadata and private targets are forbidden', async () => {
    const guarded = await connectServer(server, {});
    for (const url of [
      `${site.url}/article`,
      `http://localhost:${site.port}/article`,
      `http://2130706433:${site.port}/article`,
      `http://[::ffff:127.0.0.1]:${site.port}/article`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/',
      'http://192.168.0.1/',
    ]) {
      const r = await callTool(guarded.client, 'web_fetch', { url });
      expect(r).toMatchObject({ ok: false, error: { type: 'forbidden', hint: expect.stringContaining('INTERNET_FETCH_ALLOW_HOSTS') } });
    }
    await guarded.close();
  });
});

describe('batch_fetch_urls', () => {
  it('answers in input order with one result or error per URL, repeats dropped, a JSON string accepted', async () => {
    const urls = [`${site.url}/article`, `${site.url}/missing`, 'not a url', `${site.url}/data.json`, `${site.url}/article`];
    const r = await callTool<{
      results: { url: string; ok: boolean; result?: FetchResult; error?: { type: string } }[];
      total: number;
      successful: number;
      failed: number;
      duplicates_removed: number;
    }>(s.client, 'batch_fetch_urls', { urls: JSON.stringify(urls) });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.data).toMatchObject({ total: 4, successful: 2, failed: 2, duplicates_removed: 1 });
    expect(r.data.results.map((x) => [x.url, x.ok, x.error?.type])).toEqual([
      [`${site.url}/article`, true, undefined],
      [`${site.url}/missing`, false, 'not_found'],
      ['not a url', false, 'validation'],
      [`${site.url}/data.json`, true, undefined],
    ]);
    expect(r.text.length).toBeLessThan(25_000);
  });

  it('more than 20 URLs is a validation error', async () => {
    const urls = Array.from({ length: 21 }, (_, i) => `${site.url}/p${i}`);
    expect(await callTool(s.client, 'batch_fetch_urls', { urls })).toMatchObject({ ok: false, error: { type: 'validation' } });
  });
});
