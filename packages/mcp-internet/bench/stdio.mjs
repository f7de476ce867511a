#!/usr/bin/env node
// Spawned bundle: cold start to the first tools/list beside the bare SDK server bundled the same
// way (in turns), and batch_fetch_urls of 20 local pages against one web_fetch. Run after bundle:
//   node packages/mcp-internet/bench/stdio.mjs [runs]
import { createServer } from 'node:http';
import { bundledBareServer, percentile, spawnStdioServer } from '../../mcp-core/bench/measure.mjs';

const runs = Number(process.argv[2] ?? 15);
const bin = new URL('../dist/bundle/bin.js', import.meta.url).pathname;
const bare = await bundledBareServer();
const env = {
  PATH: process.env.PATH,
  INTERNET_FETCH_ALLOW_HOSTS: '127.0.0.1',
  INTERNET_IGNORE_ROBOTS: 'true',
};

const cold = { bare: [], internet: [] };
for (let i = 0; i < runs; i++) {
  for (const [label, path] of [
    ['bare', bare],
    ['internet', bin],
  ]) {
    const t = performance.now();
    const s = await spawnStdioServer({ command: process.execPath, args: [path], env });
    await s.client.listTools();
    cold[label].push(performance.now() - t);
    await s.close();
  }
}
const p50 = (v) => percentile(v, 50);
console.log(
  `spawn → first tools/list, p50 of ${runs}: bare ${p50(cold.bare).toFixed(0)} ms, internet ${p50(cold.internet).toFixed(0)} ms, ratio ${(p50(cold.internet) / p50(cold.bare)).toFixed(2)}`,
);

const body = `<!DOCTYPE html><html><head><title>Page</title></head><body><article>${'<p>Some readable text about a subject, long enough to be an article. </p>'.repeat(200)}</article></body></html>`;
const site = createServer((req, res) => {
  setTimeout(() => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(body);
  }, 20); // a little server latency, as real pages have
});
await new Promise((r) => site.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${site.address().port}`;
const s = await spawnStdioServer({ command: process.execPath, args: [bin], env });
await s.client.callTool({ name: 'web_fetch', arguments: { url: `${base}/warm` } });
const one = [];
const batch = [];
for (let i = 0; i < 5; i++) {
  let t = performance.now();
  await s.client.callTool({ name: 'web_fetch', arguments: { url: `${base}/one/${i}` } });
  one.push(performance.now() - t);
  t = performance.now();
  const r = await s.client.callTool({
    name: 'batch_fetch_urls',
    arguments: { urls: Array.from({ length: 20 }, (_, j) => `${base}/batch/${i}/${j}`) },
  });
  batch.push(performance.now() - t);
  if (r.structuredContent.successful !== 20) throw new Error('a batch fetch failed');
}
console.log(
  `one web_fetch ${p50(one).toFixed(0)} ms; batch_fetch_urls of 20 ${p50(batch).toFixed(0)} ms (${(p50(batch) / p50(one)).toFixed(1)}x one, concurrency 5)`,
);
await s.close();
site.close();
