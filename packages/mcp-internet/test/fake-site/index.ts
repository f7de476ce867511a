// A local web site with pages shaped like real ones: an article inside boilerplate, a JavaScript
// app shell, a huge page, a slow page, legacy charsets, a PDF, JSON, an image, robots.txt rules,
// redirects and an endless body. Each path counts its hits.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildPdf } from './pdf.js';

/** The local site. */
export interface FakeSite {
  url: string;
  host: string;
  port: number;
  hits: Map<string, number>;
  userAgents: string[];
  /** Replace robots.txt's answer: a body, or a status code. */
  robots: { status: number; body: string };
  close(): Promise<void>;
}

/** The article page's paragraphs (long enough for Readability to find the article). */
export const ARTICLE_PARAGRAPHS = [
  'Rate limiting protects an API from bursts that would otherwise exhaust its capacity. A token bucket refills at a fixed rate and lets short bursts through while holding the average steady.',
  'A sliding window counts requests over the last interval instead of a fixed calendar window, which avoids the double burst at window edges that fixed windows allow.',
  'Clients should honour the Retry-After header: it tells them how long to wait before the next attempt, and ignoring it turns a short overload into a long one.',
];

function article(base: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Rate limiting, explained | Example Engineering Blog</title>
<meta property="article:published_time" content="2026-11-03T09:30:00Z">
<meta name="author" content="Ada Example">
<link rel="stylesheet" href="/site.css"><script src="/analytics.js"></script></head>
<body>
<header class="site-header"><nav><a href="/">Home</a> <a href="/blog">Blog</a> <a href="/about">About</a> <a href="/careers">Careers</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div></header>
<aside class="sidebar"><h3>Popular posts</h3><ul><li><a href="/p/1">Ten tips for caching</a></li><li><a href="/p/2">Why queues matter</a></li></ul>
<div class="ad">Advertisement: buy our premium plan today!</div></aside>
<main><article>
<h1>Rate limiting, explained</h1>
<p class="byline">By <span class="author">Ada Example</span></p>
<p>${ARTICLE_PARAGRAPHS[0]}</p>
<h2>Sliding windows</h2>
<p>${ARTICLE_PARAGRAPHS[1]} See <a href="/docs/windows">the window guide</a> and <a href="${base}/abs">an absolute link</a>.</p>
<img src="images/bucket.png" alt="A token bucket">
<h2>Retry-After</h2>
<p>${ARTICLE_PARAGRAPHS[2]}</p>
<table><thead><tr><th>Algorithm</th><th>Bursts</th></tr></thead><tbody><tr><td>Token bucket</td><td>yes</td></tr><tr><td>Fixed window</td><td>at edges</td></tr></tbody></table>
<pre><code class="language-python">retry_after = int(response.headers["Retry-After"])</code></pre>
</article>
<section class="comments"><h3>42 comments</h3><p>First! Great post.</p></section></main>
<footer><p>© 2026 Example Inc. All rights reserved.</p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} </script>
</body></html>`;
}

const SHELL = `<!DOCTYPE html><html><head><title>Dashboard</title><script type="module" src="/assets/index-4f2a.js"></script></head>
<body><div id="root"></div><noscript>You need to enable JavaScript to run this app.</noscript></body></html>`;

/** A ~200 KB article (for the conversion benchmark) or a page of about `bytes` bytes. */
export function bigArticle(bytes: number): string {
  const para = `<p>${ARTICLE_PARAGRAPHS.join(' ')} <a href="/more">more</a> <em>emphasis</em> and <code>code</code>.</p>\n`;
  const parts = [`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Long read</title></head><body><nav><a href="/">Home</a></nav><article><h1>Long read</h1>`];
  let size = parts[0]!.length;
  for (let i = 0; size < bytes; i++) {
    const chunk = i % 20 === 0 ? `<h2>Section ${i / 20 + 1}</h2>\n${para}` : para;
    parts.push(chunk);
    size += chunk.length;
  }
  parts.push('</article><footer>© 2026</footer></body></html>');
  return parts.join('');
}

// “Smart quotes”, the euro sign and an em dash are 0x93 0x94 0x80 0x97 in windows-1252.
const WINDOWS_1252 = Buffer.concat([
  Buffer.from('<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><title>Caf'),
  Buffer.from([0xe9]),
  Buffer.from(' prices</title></head><body><article><h1>Prices</h1><p>'),
  Buffer.from([0x93]),
  Buffer.from('Fair'),
  Buffer.from([0x94]),
  Buffer.from(' coffee costs 3 '),
  Buffer.from([0x80]),
  Buffer.from(' '),
  Buffer.from([0x97]),
  Buffer.from(' a bargain in the caf'),
  Buffer.from([0xe9]),
  Buffer.from(`. ${ARTICLE_PARAGRAPHS[0]}</p><p>${ARTICLE_PARAGRAPHS[1]}</p></article></body></html>`),
]);
/** The same text, undeclared and not valid UTF-8 (the wrong-charset case). */
const UNDECLARED = Buffer.from(WINDOWS_1252.toString('latin1').replace(/<meta[^>]*>/, ''), 'latin1');
const SHIFT_JIS = Buffer.concat([
  Buffer.from('<html><head><title>'),
  new Uint8Array([0x93, 0xfa, 0x96, 0x7b]), // 日本
  Buffer.from('</title></head><body><p>'),
  new Uint8Array([0x82, 0xb1, 0x82, 0xf1, 0x82, 0xc9, 0x82, 0xbf, 0x82, 0xcd]), // こんにちは
  Buffer.from('</p></body></html>'),
]);

/** Starts the site on 127.0.0.1. */
export async function startFakeSite(): Promise<FakeSite> {
  const hits = new Map<string, number>();
  const userAgents: string[] = [];
  const robots = { status: 200, body: 'User-agent: *\nDisallow: /private/\n\nUser-agent: OrgMcpInternet\nDisallow: /no-bots/\n' };
  let url = '';
  const pdf = buildPdf('Quarterly report', ['Revenue grew 12 percent in the third quarter.', 'Costs were flat.']);
  const huge = bigArticle(6 * 1024 * 1024);
  const server = createServer((req, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    userAgents.push(String(req.headers['user-agent']));
    const send = (status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
      res.end(body);
    };
    if (path === '/robots.txt') {
      if (robots.status !== 200) return send(robots.status, 'text/plain', 'nope');
      return send(200, 'text/plain', robots.body);
    }
    if (path === '/article' || path === '/private/page' || path === '/no-bots/page') return send(200, 'text/html; charset=utf-8', article(url));
    if (path === '/shell') return send(200, 'text/html', SHELL);
    if (path === '/long') return send(200, 'text/html; charset=utf-8', bigArticle(200 * 1024));
    if (path === '/huge') return send(200, 'text/html; charset=utf-8', huge);
    if (path === '/huge-chunked') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(huge);
    }
    if (path === '/windows-1252') return send(200, 'text/html', WINDOWS_1252);
    if (path === '/undeclared') return send(200, 'text/html', UNDECLARED);
    if (path === '/shift_jis') return send(200, 'text/html; charset=Shift_JIS', SHIFT_JIS);
    if (path === '/report.pdf') return send(200, 'application/pdf', pdf);
    if (path === '/data.json') return send(200, 'application/json', '{"name":"mcp","tags":["a","b"],"nested":{"ok":true}}');
    if (path === '/notes.txt') return send(200, 'text/plain; charset=utf-8', 'plain text notes\nline two');
    if (path === '/logo.png') return send(200, 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
    if (path === '/moved') return send(301, 'text/html', 'moved', { location: '/article' });
    if (path === '/to-loopback') return send(302, 'text/html', '', { location: `http://127.0.0.1:${(server.address() as AddressInfo).port}/article` });
    if (path === '/to-metadata') return send(302, 'text/html', '', { location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' });
    if (path === '/missing') return send(404, 'text/html', '<h1>Not found</h1>');
    if (path === '/slow') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><body><p>loading');
      const timer = setInterval(() => res.write('.'), 200);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (path === '/endless') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'z');
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
      return;
    }
    send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    host: '127.0.0.1',
    port,
    hits,
    userAgents,
    robots,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
