import { createLogger } from '@org/mcp-core';
import { callTool, connectServer, sendJson, startFakeHttpServer, type ServerSession } from '@org/mcp-core/testing';
import {
  startFakeBrave,
  startFakeExa,
  startFakeGoogle,
  startFakeSearxng,
  startFakeSerper,
  startFakeTavily,
  type FakeProvider,
} from '../../test/fake-providers/index.js';
import { startFakeSite, type FakeSite } from '../../test/fake-site/index.js';
import type { Deps } from '../deps.js';
import { server } from '../server.js';

interface Answer {
  query: string;
  provider: string;
  results: { title: string; url: string; snippet: string; published?: string; provider: string }[];
  truncated: boolean;
  unsupported_filters: { filter: string; detail: string }[];
  skipped: { provider: string; type: string; error: string }[];
}

const fakes: FakeProvider[] = [];
const sessions: ServerSession<Deps>[] = [];
afterEach(async () => {
  const used = fakes.splice(0);
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  await Promise.all(used.map((f) => f.close()));
  // A request the real API would have rejected fails the test that sent it.
  expect(used.flatMap((f) => f.violations)).toEqual([]);
});
const keep = async (fake: Promise<FakeProvider>) => {
  const f = await fake;
  fakes.push(f);
  return f;
};
const connect = async (env: Record<string, string>, logger?: Awaited<ReturnType<typeof createLogger>>['logger']) => {
  const s = await connectServer(server, { SEARCH_MIN_INTERVAL_MS: '0', ...env }, logger ? { logger } : {});
  sessions.push(s);
  return s;
};
const search = async (s: ServerSession<Deps>, args: Record<string, unknown>) => {
  const r = await callTool<Answer>(s.client, 'web_search', args);
  if (!r.ok) throw new Error(`web_search failed: ${JSON.stringify(r.error)}`);
  return r.data;
};

const FILTERS = { sites: ['example.com'], date_from: '2026-01-01', date_to: '2026-06-30', file_type: 'pdf', language: 'en', safe_search: 'strict' };

describe('each provider, alone, through web_search', () => {
  it('Brave: filters as query operators, freshness range, search_lang, safesearch', async () => {
    const fake = await keep(startFakeBrave());
    const s = await connect({ BRAVE_API_KEY: fake.key, BRAVE_API_URL: fake.url });
    const data = await search(s, { query: 'rate limiting', max_results: 3, ...FILTERS });
    expect(data).toMatchObject({ provider: 'brave', unsupported_filters: [], skipped: [] });
    expect(data.results).toHaveLength(3);
    expect(data.results[0]).toEqual({
      title: 'Result 1 for rate limiting site:example.com filetype:pdf',
      url: 'https://example.com/brave/rate-limiting-site-example-com-filetype-/1',
      snippet: 'Snippet 1 about rate limiting site:example.com filetype:pdf from Brave.',
      published: '2026-11-10T08:00:00Z',
      provider: 'brave',
    });
    const sent = fake.requests.at(-1)!.url.searchParams;
    expect(Object.fromEntries(sent)).toEqual({
      q: 'rate limiting site:example.com filetype:pdf',
      count: '3',
      text_decorations: 'false',
      freshness: '2026-01-01to2026-06-30',
      search_lang: 'en',
      safesearch: 'strict',
    });
  });

  it('Tavily: include_domains and dates; file type, language and safe search reported unsupported', async () => {
    const fake = await keep(startFakeTavily());
    const s = await connect({ TAVILY_API_KEY: fake.key, TAVILY_API_URL: fake.url });
    const data = await search(s, { query: 'rate limiting', max_results: 4, ...FILTERS });
    expect(data.provider).toBe('tavily');
    expect(data.results).toHaveLength(4);
    expect(data.unsupported_filters.map((u) => u.filter)).toEqual(['file_type', 'language', 'safe_search']);
    expect(JSON.parse(fake.requests.at(-1)!.body)).toEqual({
      query: 'rate limiting',
      max_results: 4,
      search_depth: 'basic',
      topic: 'general',
      include_domains: ['example.com'],
      start_date: '2026-01-01',
      end_date: '2026-06-30',
    });
  });

  it('Exa: includeDomains and ISO published-date bounds; published kept where given', async () => {
    const fake = await keep(startFakeExa());
    const s = await connect({ EXA_API_KEY: fake.key, EXA_API_URL: fake.url });
    const data = await search(s, { query: 'vector search', max_results: 2, sites: ['example.com'], date_from: '2026-01-01' });
    expect(data.provider).toBe('exa');
    expect(data.results[0]!.published).toBe('2026-11-10T08:00:00.000Z');
    expect(data.results[1]!.published).toBeUndefined();
    expect(JSON.parse(fake.requests.at(-1)!.body)).toMatchObject({
      numResults: 2,
      includeDomains: ['example.com'],
      startPublishedDate: '2026-01-01T00:00:00.000Z',
    });
  });

  it('Serper: a custom date range as tbs, hl; safe search unsupported', async () => {
    const fake = await keep(startFakeSerper());
    const s = await connect({ SERPER_API_KEY: fake.key, SERPER_API_URL: fake.url });
    const data = await search(s, { query: 'nx monorepo', max_results: 5, ...FILTERS });
    expect(data.provider).toBe('serper');
    expect(data.unsupported_filters.map((u) => u.filter)).toEqual(['safe_search']);
    expect(JSON.parse(fake.requests.at(-1)!.body)).toEqual({
      q: 'nx monorepo site:example.com filetype:pdf',
      num: 5,
      hl: 'en',
      tbs: 'cdr:1,cd_min:1/1/2026,cd_max:6/30/2026',
    });
  });

  it('SearXNG: keyless; count is cut locally; the coarse time range is reported as an approximation', async () => {
    const fake = await keep(startFakeSearxng());
    const s = await connect({ SEARXNG_URL: fake.url });
    const data = await search(s, { query: 'self hosted', max_results: 7, date_restrict: 'w1', safe_search: 'moderate' });
    expect(data.provider).toBe('searxng');
    expect(data.results).toHaveLength(7);
    expect(data.unsupported_filters).toEqual([{ filter: 'date_from', detail: expect.stringContaining('last week') }]);
    expect(Object.fromEntries(fake.requests.at(-1)!.url.searchParams)).toEqual({
      q: 'self hosted',
      format: 'json',
      pageno: '1',
      safesearch: '1',
      time_range: 'week',
    });
  });

  it('SearXNG without the JSON format enabled is reported as a configuration problem', async () => {
    const fake = await keep(startFakeSearxng({ jsonEnabled: false }));
    const s = await connect({ SEARXNG_URL: fake.url });
    const r = await callTool(s.client, 'web_search', { query: 'x' });
    expect(r).toMatchObject({ ok: false, error: { type: 'config' } });
    if (!r.ok) expect(r.error.error).toMatch(/search\.formats/);
  });

  it('Google: the original parameters (search_type, file_type, date_restrict) pass as Google names them; the key goes in a header', async () => {
    const fake = await keep(startFakeGoogle());
    const s = await connect({ GOOGLE_API_KEY: fake.key, GOOGLE_SEARCH_ENGINE_ID: '0123456789abcdef0', GOOGLE_API_URL: fake.url });
    const data = await search(s, { query: 'cats', max_results: 15, search_type: 'image', file_type: 'png', date_restrict: 'd7' });
    expect(data.provider).toBe('google');
    expect(data.results).toHaveLength(10);
    expect(data.unsupported_filters).toEqual([{ filter: 'count', detail: 'Google Custom Search returns at most 10 results a request' }]);
    const request = fake.requests.at(-1)!;
    expect(request.headers['x-goog-api-key']).toBe(fake.key);
    expect(request.url.searchParams.get('key')).toBeNull();
    expect(Object.fromEntries(request.url.searchParams)).toMatchObject({ num: '10', searchType: 'image', fileType: 'png', dateRestrict: 'd7' });
  });
});

describe('fallback', () => {
  let brave: FakeProvider;
  let tavily: FakeProvider;
  let s: ServerSession<Deps>;
  beforeEach(async () => {
    brave = await keep(startFakeBrave({ slowMs: 2500 }));
    tavily = await keep(startFakeTavily());
    s = await connect({
      BRAVE_API_KEY: brave.key,
      BRAVE_API_URL: brave.url,
      TAVILY_API_KEY: tavily.key,
      TAVILY_API_URL: tavily.url,
      SEARCH_TIMEOUT_SECONDS: '1',
    });
  });

  it.each([
    ['rate_limited', 'rate_limited'],
    ['quota', 'quota'],
    ['server', 'unavailable'],
    ['slow', 'timeout'],
  ] as const)('Brave answering %s is skipped for Tavily, and the answer says so', async (failure, type) => {
    brave.failNext(failure);
    const data = await search(s, { query: 'fallback' });
    expect(data.provider).toBe('tavily');
    expect(data.results.every((r) => r.provider === 'tavily')).toBe(true);
    expect(data.skipped).toEqual([{ provider: 'brave', type, error: expect.stringContaining('Brave Search') }]);
    expect(tavily.served()).toBe(1);
  });

  it('a rate-limited provider rests for its Retry-After: the next search does not ask it', async () => {
    brave.failNext('rate_limited');
    await search(s, { query: 'one' });
    const asked = brave.requests.length;
    const data = await search(s, { query: 'two' });
    expect(brave.requests.length).toBe(asked);
    expect(data.skipped[0]).toMatchObject({ provider: 'brave', type: 'cooling_down' });
  });

  it('a rejected key is a configuration problem, reported, and the next provider serves', async () => {
    brave.failNext('auth');
    const data = await search(s, { query: 'keys' });
    expect(data).toMatchObject({ provider: 'tavily', skipped: [{ provider: 'brave', type: 'auth' }] });
  });

  it('every provider rejecting its key is a config error naming the variables', async () => {
    brave.failNext('auth');
    tavily.failNext('auth');
    const r = await callTool(s.client, 'web_search', { query: 'keys' });
    expect(r).toMatchObject({ ok: false, error: { type: 'config', retryable: false, hint: 'Check BRAVE_API_KEY, TAVILY_API_KEY.' } });
  });

  it('all providers failing is unavailable; a rejected query (400/422) stops the chain as a validation error', async () => {
    brave.failNext('server');
    tavily.failNext('server');
    expect(await callTool(s.client, 'web_search', { query: 'down' })).toMatchObject({ ok: false, error: { type: 'unavailable', retryable: true } });
    brave.failNext('invalid');
    const before = tavily.requests.length;
    expect(await callTool(s.client, 'web_search', { query: 'bad' })).toMatchObject({ ok: false, error: { type: 'validation' } });
    expect(tavily.requests.length).toBe(before);
  });

  it('provider: names one provider, skipping the chain; an unconfigured one is a config error', async () => {
    expect((await search(s, { query: 'only', provider: 'tavily' })).provider).toBe('tavily');
    expect(brave.requests.length).toBe(0);
    expect(await callTool(s.client, 'web_search', { query: 'x', provider: 'exa' })).toMatchObject({
      ok: false,
      error: { type: 'config', hint: expect.stringContaining('EXA_API_KEY') },
    });
  });

  it('SEARCH_PROVIDERS orders the chain', async () => {
    const ordered = await connect({
      SEARCH_PROVIDERS: 'tavily,brave',
      BRAVE_API_KEY: brave.key,
      BRAVE_API_URL: brave.url,
      TAVILY_API_KEY: tavily.key,
      TAVILY_API_URL: tavily.url,
    });
    expect((await search(ordered, { query: 'order' })).provider).toBe('tavily');
    expect(brave.requests.length).toBe(0);
  });
});

describe('secrets', () => {
  it('API keys never appear in errors, outputs or logs at trace, even when a provider echoes them', async () => {
    const brave = await keep(startFakeBrave({ key: 'BSA-very-secret-brave-key-123' }));
    const tavily = await keep(startFakeTavily({ key: 'tvly-very-secret-tavily-key-456' }));
    const google = await keep(startFakeGoogle({ key: 'AIza-very-secret-google-key-789' }));
    const lines: string[] = [];
    // No secrets given to the logger: nothing scrubs, so only code that never logs a key passes.
    const { logger } = await createLogger({ name: 'test', level: 'trace', writeStderr: (l) => lines.push(l) });
    const env = {
      SEARCH_PROVIDERS: 'brave,tavily,google',
      BRAVE_API_KEY: 'BSA-wrong-secret-brave-key-000',
      BRAVE_API_URL: brave.url,
      TAVILY_API_KEY: tavily.key,
      TAVILY_API_URL: tavily.url,
      GOOGLE_API_KEY: google.key,
      GOOGLE_SEARCH_ENGINE_ID: '0123456789abcdef0',
      GOOGLE_API_URL: google.url,
    };
    const s = await connect(env, logger);
    tavily.failNext('server');
    google.failNext('rate_limited');
    const answers = [
      await callTool(s.client, 'web_search', { query: 'secrets' }),
      await callTool(s.client, 'batch_search', { queries: ['a', 'b'] }),
      await callTool(s.client, 'parallel_search_with_filters', { query: 'c', filters: [{}, { file_type: 'pdf' }] }),
    ];
    const everything = [...answers.map((a) => a.text), ...lines].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const key of [env.BRAVE_API_KEY, tavily.key, google.key]) expect(everything).not.toContain(key);
  });

  it('a provider error body that quotes the key is scrubbed', async () => {
    const key = 'tvly-echoed-secret-key-000111';
    const echoing = await startFakeHttpServer((request, response) =>
      sendJson(response, 500, { detail: { error: `internal error for ${String(request.headers.authorization)}` } }),
    );
    const s = await connect({ TAVILY_API_KEY: key, TAVILY_API_URL: echoing.url });
    const r = await callTool(s.client, 'web_search', { query: 'x' });
    expect(r.ok).toBe(false);
    expect(r.text).toContain('[redacted]');
    expect(r.text).not.toContain(key);
    await echoing.close();
  });
});

describe('no provider configured', () => {
  it('the search tools answer a config error naming the variables to set', async () => {
    const s = await connect({});
    for (const [name, args] of [
      ['web_search', { query: 'x' }],
      ['search_and_fetch', { query: 'x' }],
    ] as const) {
      const r = await callTool(s.client, name, args);
      expect(r).toMatchObject({ ok: false, error: { type: 'config', hint: expect.stringContaining('BRAVE_API_KEY') } });
      if (!r.ok) expect(r.error.hint).toMatch(/SEARXNG_URL.*GOOGLE_SEARCH_ENGINE_ID.*web_fetch works/);
    }
    const batch = await callTool<{ searches: { ok: boolean; error?: { type: string } }[] }>(s.client, 'batch_search', { queries: ['x'] });
    expect(batch).toMatchObject({ ok: true, data: { searches: [{ ok: false, error: { type: 'config' } }] } });
  });
});

describe('batch tools', () => {
  it('batch_search: 20 queries against a plan of one request per 100 ms, paced at 200 ms, never trip the limit; in input order, repeats dropped', async () => {
    const brave = await keep(startFakeBrave({ minGapMs: 100 }));
    const s = await connect({ BRAVE_API_KEY: brave.key, BRAVE_API_URL: brave.url, SEARCH_MIN_INTERVAL_MS: '200' });
    const queries = Array.from({ length: 20 }, (_, i) => `query ${i}`);
    const started = Date.now();
    const r = await callTool<{ searches: (Answer & { ok: boolean })[]; total: number; successful: number; duplicates_removed: number }>(
      s.client,
      'batch_search',
      { queries: [...queries, 'query 3'], max_results: 2 },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.data).toMatchObject({ total: 20, successful: 20, duplicates_removed: 1 });
    expect(r.data.searches.map((x) => x.query)).toEqual(queries);
    expect(r.data.searches[5]!.results[0]!.title).toBe('Result 1 for query 5');
    expect(brave.requests.length).toBe(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(19 * 200 - 50);
  });

  it('parallel_search_with_filters: each filter set beside its answer; a bad set fails alone', async () => {
    const tavily = await keep(startFakeTavily());
    const s = await connect({ TAVILY_API_KEY: tavily.key, TAVILY_API_URL: tavily.url });
    const filters = [{ max_results: 2 }, { date_from: '2026-05-01', date_to: '2026-01-01' }, { file_type: 'pdf', max_results: 1 }];
    const r = await callTool<{ searches: { applied_filters: object; ok: boolean; results?: unknown[]; unsupported_filters?: { filter: string }[]; error?: { type: string } }[] }>(
      s.client,
      'parallel_search_with_filters',
      { query: 'filters', filters: JSON.stringify(filters) },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.data.searches.map((x) => x.applied_filters)).toEqual([filters[0], { ...filters[1], max_results: 10 }, filters[2]]);
    expect(r.data.searches.map((x) => x.ok)).toEqual([true, false, true]);
    expect(r.data.searches[0]!.results).toHaveLength(2);
    expect(r.data.searches[1]!.error!.type).toBe('validation');
    expect(r.data.searches[2]!.unsupported_filters!.map((u) => u.filter)).toEqual(['file_type']);
  });

  it('bad batch input is a validation error, never a crash', async () => {
    const s = await connect({});
    for (const [name, args] of [
      ['batch_search', { queries: [] }],
      ['batch_search', { queries: 'not json' }],
      ['batch_search', { queries: Array.from({ length: 21 }, (_, i) => `q${i}`) }],
      ['parallel_search_with_filters', { query: 'x', filters: [{ max_results: 0 }] }],
      ['parallel_search_with_filters', { query: 'x', filters: [{ date_restrict: 'weekly' }] }],
      ['web_search', { query: '' }],
      ['web_search', { query: 'x', max_results: 21 }],
      ['web_search', { query: 'x', sites: ['not a host!'] }],
    ] as const) {
      expect(await callTool(s.client, name, args)).toMatchObject({ ok: false, error: { type: 'validation' } });
    }
  });
});

describe('search_and_fetch', () => {
  let site: FakeSite;
  beforeAll(async () => {
    site = await startFakeSite();
  });
  afterAll(() => site.close());

  it('searches, fetches each result as readable content, and reports failed fetches per result', async () => {
    const paths = ['/article', '/missing', '/data.json'];
    const serper = await keep(startFakeSerper({ resultUrl: (_q, i) => `${site.url}${paths[i % 3]}` }));
    const s = await connect({ SERPER_API_KEY: serper.key, SERPER_API_URL: serper.url, INTERNET_FETCH_ALLOW_HOSTS: '127.0.0.1' });
    const r = await callTool<Answer & {
      results: (Answer['results'][number] & { content?: string; fetch_error?: { type: string } })[];
      fetch_summary: object;
    }>(s.client, 'search_and_fetch', { query: 'rate limiting', max_results: 3 });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.data.provider).toBe('serper');
    expect(r.data.fetch_summary).toEqual({ attempted: 3, successful: 2, failed: 1 });
    expect(r.data.results[0]!.content).toContain('Rate limiting protects an API');
    expect(r.data.results[1]!.fetch_error!.type).toBe('not_found');
    expect(r.data.results[2]!.content).toContain('"name": "mcp"');
    const plain = await callTool<{ results: object[]; fetch_summary: object }>(s.client, 'search_and_fetch', {
      query: 'rate limiting',
      max_results: 2,
      fetch_content: false,
    });
    expect(plain).toMatchObject({ ok: true, data: { fetch_summary: { attempted: 0, successful: 0, failed: 0 } } });
  });
});
