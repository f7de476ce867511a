#!/usr/bin/env node
// HTML → Markdown cost per page on a ~200 KB article: linkedom + Readability + Turndown called
// directly, the server's convertHtml on this thread, and the server's path (the worker pool, warm);
// and a 5 MB page converted the old way (convertHtml on the main thread) against the new one (the
// pool, which sends it down the text path): time, peak RSS and the main thread's longest stall,
// each in a child process so the numbers are that conversion's alone. Run after a build:
//   node packages/mcp-internet/bench/convert.mjs [runs] [--skip-before]
import { execFileSync } from 'node:child_process';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import TurndownService from 'turndown';
import { convertHtml } from '../dist/fetch/convert.js';
import { createConverter } from '../dist/fetch/convert-pool.js';

const para =
  '<p>Rate limiting protects an API from bursts. A token bucket refills at a fixed rate; <a href="/x">a link</a>, <em>emphasis</em> and <code>code</code>.</p>\n';
const page = (bytes) => {
  let html =
    '<!DOCTYPE html><html><head><title>Long read</title></head><body><nav><a href="/">Home</a></nav><article><h1>Long read</h1>';
  for (let i = 0; html.length < bytes; i++) html += i % 20 === 0 ? `<h2>Section ${i}</h2>${para}` : para;
  return `${html}</article><footer>(c) 2026</footer></body></html>`;
};

if (process.argv[2] === '--big') {
  // Child: one 5 MB conversion, the way argv[3] says.
  const html = page(5 * 1024 * 1024);
  const before = process.memoryUsage().rss;
  // A timer every 50 ms stands in for ping: how late it fires is how late a ping would be answered.
  let last = performance.now();
  let worst = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 50);
    last = now;
  }, 50);
  const started = performance.now();
  let format;
  if (process.argv[3] === 'main') {
    format = (await convertHtml(html, 'https://example.com/long')).format;
  } else {
    const pool = createConverter();
    format = (
      await pool.convert({
        kind: 'html',
        bytes: Buffer.from(html),
        contentType: 'text/html; charset=utf-8',
        pageUrl: 'https://example.com/long',
        raw: false,
      })
    ).format;
    await pool.close();
  }
  const ms = performance.now() - started;
  clearInterval(tick);
  console.log(
    JSON.stringify({
      format,
      ms,
      rssBeforeMb: before / 1048576,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      worstTimerLateMs: worst,
    }),
  );
  process.exit(0);
}

const runs = Number(process.argv[2] ?? 20);
const html = page(200 * 1024);
const td = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced' });
const direct = () => {
  const { document } = parseHTML(html);
  const article = new Readability(document).parse();
  return td.turndown(article.content);
};
const inline = () => convertHtml(html, 'https://example.com/long');
const pool = createConverter({ workers: 1 });
const bytes = Buffer.from(html);
const pooled = () =>
  pool.convert({
    kind: 'html',
    bytes,
    contentType: 'text/html; charset=utf-8',
    pageUrl: 'https://example.com/long',
    raw: false,
  });
for (let i = 0; i < 3; i++) {
  direct();
  await inline();
  await pooled();
}
const times = { direct: [], inline: [], pooled: [] };
for (let i = 0; i < runs; i++) {
  for (const [label, run] of [
    ['direct', direct],
    ['inline', inline],
    ['pooled', pooled],
  ]) {
    const t = performance.now();
    await run();
    times[label].push(performance.now() - t);
  }
}
await pool.close();
const median = (v) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
const [d, i, p] = [median(times.direct), median(times.inline), median(times.pooled)];
console.log(
  `200 KB article, median of ${runs}: libraries directly ${d.toFixed(1)} ms, convertHtml on this thread ${i.toFixed(1)} ms (${(i / d).toFixed(2)}x), through the worker pool ${p.toFixed(1)} ms (${(p / d).toFixed(2)}x)`,
);
const child = (how) =>
  JSON.parse(
    execFileSync(process.execPath, [new URL(import.meta.url).pathname, '--big', how], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    }),
  );
const show = (label, r) =>
  console.log(
    `5 MB page, ${label}: ${(r.ms / 1000).toFixed(1)} s as ${r.format}, peak RSS ${r.peakRssMb.toFixed(0)} MB (${r.rssBeforeMb.toFixed(0)} MB before), main thread's longest stall ${(r.worstTimerLateMs / 1000).toFixed(2)} s`,
  );
const after = child('pool');
if (!process.argv.includes('--skip-before')) {
  const before = child('main');
  show('before (convertHtml on the main thread)', before);
  show('after (worker pool, text path)', after);
  console.log(
    `after/before: time ${(after.ms / before.ms).toFixed(3)}x, peak RSS ${(after.peakRssMb / before.peakRssMb).toFixed(2)}x`,
  );
} else {
  show('after (worker pool, text path)', after);
}
