// Serper stand-in: POST /search (serper.dev playground and API documentation).
import { sendJson } from '@org/mcp-core/testing';
import { jsonBody, startFakeProvider, unknownKeys, type FakeOptions, type FakeProvider } from './common.js';

const FIELDS = ['q', 'gl', 'hl', 'num', 'page', 'tbs', 'location', 'autocorrect', 'type', 'engine'];
const error = (statusCode: number, message: string) => ({ message, statusCode });

/** Starts a Serper stand-in. */
export function startFakeSerper(options: FakeOptions = {}): Promise<FakeProvider> {
  return startFakeProvider('serper', {
    name: 'Serper',
    check(request, key) {
      if (request.method !== 'POST' || request.url.pathname !== '/search') return { status: 404, body: error(404, 'Not found.'), why: `${request.method} ${request.url.pathname}` };
      if (request.headers['x-api-key'] !== key) return { status: 403, body: error(403, 'Unauthorized.'), why: 'bad key' };
      const body = jsonBody(request);
      const bad = (why: string) => ({ status: 400, body: error(400, why), why });
      if (!body || typeof body['q'] !== 'string' || !body['q']) return bad('Missing query parameter.');
      const extra = unknownKeys(body, FIELDS);
      if (extra.length) return bad(`Unknown parameter ${extra[0]}.`);
      const num = body['num'];
      if (num !== undefined && !(Number.isInteger(num) && (num as number) >= 1 && (num as number) <= 100)) return bad('num must be between 1 and 100.');
      const tbs = body['tbs'];
      if (tbs !== undefined && !/^(qdr:[hdwmy]\d*|cdr:1(,cd_min:\d{1,2}\/\d{1,2}\/\d{4})?(,cd_max:\d{1,2}\/\d{1,2}\/\d{4})?)$/.test(String(tbs))) return bad('Invalid tbs.');
      if (body['hl'] !== undefined && !/^[a-z]{2}(-[a-z]{2})?$/i.test(String(body['hl']))) return bad('Invalid hl.');
      return undefined;
    },
    read(request) {
      const body = jsonBody(request)!;
      return { query: body['q'] as string, count: (body['num'] as number | undefined) ?? 10 };
    },
    answer: (query, items) => ({
      searchParameters: { q: query, type: 'search', engine: 'google', num: items.length },
      organic: items.map((item, i) => ({ title: item.title, link: item.url, snippet: item.snippet, position: i + 1, ...(i === 0 ? { date: 'Nov 10, 2026' } : {}) })),
      relatedSearches: [{ query: `${query} tutorial` }],
      credits: 1,
    }),
    fail(failure, response) {
      if (failure === 'rate_limited') sendJson(response, 429, error(429, 'Too many requests.'));
      else if (failure === 'quota') sendJson(response, 400, error(400, 'Not enough credits'));
      else if (failure === 'auth') sendJson(response, 403, error(403, 'Unauthorized.'));
      else if (failure === 'invalid') sendJson(response, 400, error(400, 'Query not allowed.'));
      else sendJson(response, 500, error(500, 'Internal server error.'));
    },
  }, options);
}
