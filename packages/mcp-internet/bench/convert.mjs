#!/usr/bin/env node
// HTML → Markdown cost per page: the server's convertHtml (link rewriting, metadata, fallback)
// against the same libraries called directly, on a ~200 KB article; and peak RSS converting a
// 5 MB page (in a child, so the number is that conversion's alone). Run after a build:
//   node packages/mcp-internet/bench/convert.mjs [runs]
import { execFileSync } from 'node:child_process';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import TurndownService from 'turndown';
import { convertHtml } from '../dist/fetch/convert.js';

const runs = Number(process.argv[2] ?? 20);
const para = '<p>Rate limiting protects an API from bursts. A token bucket refills at a fixed rate; <a href="/x">a link</a>, <em>emphasis</em> and <code>code</code>.</p>\n';
const page = (bytes) => {
  let html = '<!DOCTYPE html><html><head><title>Long read</title></head><body><nav><a href="/">Home</a></nav><article><h1>Long read</h1>';
  for (let i = 0; html.length < bytes; i++) html += i % 20 === 0 ? `<h2>Section ${i}</h2>${para}` : para;
  return `${html}</article><footer>(c) 2026</footer></body></html>`;
};

if (process.argv[2] === '--rss') {
  const html = page(5 * 1024 * 1024);
  const before = process.memoryUsage().rss;
  const started = performance.now();
  await convertHtml(html, 'https://example.com/long');
  const ms = performance.now() - started;
  console.log(JSON.stringify({ rssBeforeMb: before / 1048576, peakRssMb: process.resourceUsage().maxRSS / 1024, ms }));
  process.exit(0);
}

const html = page(200 * 1024);
const td = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced' });
const direct = () => {
  const { document } = parseHTML(html);
  const article = new Readability(document).parse();
  return td.turndown(article.content);
};
const server = () => convertHtml(html, 'https://example.com/long');
for (let i = 0; i < 3; i++) {
  direct();
  await server();
}
const a = [];
const b = [];
for (let i = 0; i < runs; i++) {
  let t = performance.now();
  direct();
  a.push(performance.now() - t);
  t = performance.now();
  await server();
  b.push(performance.now() - t);
}
const median = (v) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
console.log(`200 KB article, ${runs} runs: libraries directly ${median(a).toFixed(1)} ms, convertHtml ${median(b).toFixed(1)} ms, ratio ${(median(b) / median(a)).toFixed(2)}`);
const rss = JSON.parse(execFileSync(process.execPath, [new URL(import.meta.url).pathname, '--rss'], { encoding: 'utf8' }));
console.log(`5 MB page: ${(rss.ms / 1000).toFixed(1)} s, peak RSS ${rss.peakRssMb.toFixed(0)} MB (${rss.rssBeforeMb.toFixed(0)} MB before converting)`);
