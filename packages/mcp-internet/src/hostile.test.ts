// Randomized hostile calls (fixed seed, bounded count) to every internet tool, with a search
// provider stand-in and a local site: the server keeps answering, every answer is a result or a
// well-formed envelope, and nothing sent is a request the provider's real API would reject.
import { connectServer, runHostileCalls } from '@org/mcp-core/testing';
import { startFakeBrave } from '../test/fake-providers/index.js';
import { startFakeSite } from '../test/fake-site/index.js';
import { server } from './server.js';

it('hostile calls never wedge or crash the server', { timeout: 180_000 }, async () => {
  const site = await startFakeSite();
  const pages = ['/article', '/data.json', '/notes.txt', '/report.pdf', '/missing', '/moved'].map(
    (p) => `${site.url}${p}`,
  );
  const brave = await startFakeBrave({ resultUrl: (_q, i) => pages[i % 4]! });
  const s = await connectServer(server, {
    BRAVE_API_KEY: brave.key,
    BRAVE_API_URL: brave.url,
    SEARCH_MIN_INTERVAL_MS: '0',
    INTERNET_FETCH_ALLOW_HOSTS: site.host,
    INTERNET_FETCH_TIMEOUT_SECONDS: '5',
    SEARCH_TIMEOUT_SECONDS: '5',
  });
  const report = await runHostileCalls(s.client, {
    seed: 18,
    callsPerTool: 40,
    known: {
      url: pages,
      urls: [pages.slice(0, 3), pages],
      query: ['rate limiting', 'mcp servers'],
      queries: [['a', 'b']],
    },
  });
  await s.close();
  const violations = [...brave.violations];
  await brave.close();
  await site.close();
  expect(report.problems).toEqual([]);
  expect(violations).toEqual([]);
  expect(report.calls).toBe(240);
  expect(report.types['validation']).toBeGreaterThan(50);
  expect(report.accepted).toBeGreaterThan(20);
});
