import { ToolError } from '@org/mcp-core';
import { ARTICLE_PARAGRAPHS, bigArticle } from '../../test/fake-site/index.js';
import { buildPdf } from '../../test/fake-site/pdf.js';
import { createConverter, type Converter } from './convert-pool.js';

const converters: Converter[] = [];
const make = (...args: Parameters<typeof createConverter>) => {
  const c = createConverter(...args);
  converters.push(c);
  return c;
};
afterAll(async () => {
  await Promise.all(converters.map((c) => c.close()));
});

const html = (text: string) => ({
  kind: 'html' as const,
  bytes: Buffer.from(text),
  contentType: 'text/html; charset=utf-8',
  pageUrl: 'https://example.com/page',
  raw: false,
});

describe('conversion in worker threads', () => {
  it('a page converts to readable Markdown in a worker, which is reused for the next page', async () => {
    const c = make();
    const article = bigArticle(30 * 1024);
    const first = await c.convert(html(article));
    expect(first).toMatchObject({ format: 'markdown', title: 'Long read', encoding: 'utf-8' });
    expect(first.content).toContain('## Section 2');
    expect(first.content).toContain('[more](https://example.com/more)');
    await c.convert(html(article));
    expect(c.stats()).toMatchObject({ started: 1, workers: 1, busy: 0 });
  });

  it('HTML over markdownMaxBytes takes the text path at once, with a warning saying so', async () => {
    const c = make({ markdownMaxBytes: 100 * 1024 });
    const page = bigArticle(400 * 1024).replace(
      '<body>',
      '<body><script>var tracking = "do not show";</script><style>.x{color:red}</style>',
    );
    const started = performance.now();
    const result = await c.convert(html(page));
    expect(result).toMatchObject({ format: 'text', title: 'Long read', encoding: 'utf-8' });
    expect(result.warning).toMatch(/The page is large \(0\.4 MB\): shown as plain text/);
    expect(result.content).toContain('# Long read');
    expect(result.content).toContain('## Section 3');
    expect(result.content).toContain(ARTICLE_PARAGRAPHS[0]);
    expect(result.content).not.toMatch(/tracking|color:red|Home/);
    // Linear: far below the time bound even on a loaded machine.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('Markdown conversion past its time bound ends the worker and falls back to the text path', async () => {
    const c = make({ timeoutMs: 1 });
    const result = await c.convert(html(bigArticle(300 * 1024)));
    expect(result.format).toBe('text');
    expect(result.warning).toMatch(
      /Converting the page to Markdown took longer than 0\.001 s: shown as plain text/,
    );
    expect(result.content).toContain(ARTICLE_PARAGRAPHS[1]);
    // The timed-out worker was ended and a fresh one ran the text path.
    expect(c.stats().started).toBe(2);
  });

  it('a worker past its heap bound (resourceLimits) is ended and the page comes back as text', async () => {
    const c = make({ maxMemoryMb: 24, markdownMaxBytes: 64 * 1024 * 1024 });
    const result = await c.convert(html(bigArticle(3 * 1024 * 1024)));
    expect(result.format).toBe('text');
    expect(result.warning).toMatch(/needed more than 24 MB/);
    expect(result.content).toContain(ARTICLE_PARAGRAPHS[2]);
  });

  it('cancelling ends the worker at once, whatever it was doing, and the pool goes on', async () => {
    const c = make({ markdownMaxBytes: 64 * 1024 * 1024, timeoutMs: 120_000 });
    const controller = new AbortController();
    const converting = c.convert({ ...html(bigArticle(2 * 1024 * 1024)), signal: controller.signal });
    const started = performance.now();
    while (c.stats().busy === 0) await new Promise((r) => setTimeout(r, 10));
    controller.abort(new Error('cancelled by the client'));
    await expect(converting).rejects.toThrow('cancelled by the client');
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(c.stats()).toMatchObject({ workers: 0, busy: 0 });
    expect((await c.convert(html(bigArticle(20 * 1024)))).format).toBe('markdown');
  });

  it('jobs past the pool size wait their turn; a waiting job can be cancelled', async () => {
    const c = make({ workers: 1 });
    const pages = [1, 2, 3].map((n) => c.convert(html(bigArticle(n * 20 * 1024))));
    const controller = new AbortController();
    const cancelled = c.convert({ ...html(bigArticle(10 * 1024)), signal: controller.signal });
    expect(c.stats().waiting).toBeGreaterThan(0);
    controller.abort(new Error('not wanted'));
    await expect(cancelled).rejects.toThrow('not wanted');
    for (const page of await Promise.all(pages)) expect(page.format).toBe('markdown');
    expect(c.stats()).toMatchObject({ started: 1, workers: 1, waiting: 0 });
  });

  it('PDF converts in the worker; a PDF past the time bound is a timeout error; a broken one an error', async () => {
    const c = make();
    const pdf = buildPdf('Quarterly report', ['Revenue grew 12 percent in the third quarter.']);
    const request = {
      kind: 'pdf' as const,
      bytes: pdf,
      contentType: 'application/pdf',
      pageUrl: 'https://example.com/r.pdf',
      raw: false,
    };
    expect(await c.convert(request)).toMatchObject({ format: 'pdf', title: 'Quarterly report' });
    const slow = await make({ timeoutMs: 1 })
      .convert(request)
      .catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(ToolError);
    expect(slow).toMatchObject({
      type: 'timeout',
      message: expect.stringMatching(/Converting https:\/\/example.com\/r.pdf as pdf took longer/),
    });
    await expect(c.convert({ ...request, bytes: Buffer.from('%PDF-1.4 not really') })).rejects.toThrow(/./);
  });

  it('JSON past the time bound comes back as received; metadata-only kinds start no worker', async () => {
    const c = make({ timeoutMs: 1 });
    const json = await c.convert({
      kind: 'json',
      bytes: Buffer.from('{"a":[1,2,3]}'),
      contentType: 'application/json',
      pageUrl: 'https://e.x/',
      raw: false,
    });
    expect(json).toMatchObject({
      format: 'text',
      content: '{"a":[1,2,3]}',
      warning: expect.stringMatching(/shown as received/),
    });
    const other = make();
    expect(
      await other.convert({
        kind: 'other',
        bytes: new Uint8Array(0),
        contentType: 'image/png',
        pageUrl: 'https://e.x/',
        raw: false,
      }),
    ).toMatchObject({
      format: 'metadata',
    });
    expect(other.stats().started).toBe(0);
  });

  it('close ends every worker and refuses further work', async () => {
    const c = make();
    await c.convert(html(bigArticle(10 * 1024)));
    await c.close();
    expect(c.stats().workers).toBe(0);
    await expect(c.convert(html('<p>x</p>'))).rejects.toMatchObject({ type: 'unavailable' });
  });
});
