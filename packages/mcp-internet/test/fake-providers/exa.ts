// Exa stand-in: POST /search (docs.exa.ai API reference).
import { sendJson } from '@org/mcp-core/testing';
import { jsonBody, startFakeProvider, unknownKeys, type FakeOptions, type FakeProvider } from './common.js';

const FIELDS = ['query', 'type', 'category', 'userLocation', 'numResults', 'includeDomains', 'excludeDomains', 'startCrawlDate', 'endCrawlDate', 'startPublishedDate', 'endPublishedDate', 'includeText', 'excludeText', 'context', 'moderation', 'contents'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const error = (message: string, tag: string) => ({ requestId: 'b5947044c4b78efa9552a7c89b306d95', error: message, tag });

/** Starts an Exa stand-in. */
export function startFakeExa(options: FakeOptions = {}): Promise<FakeProvider> {
  return startFakeProvider('exa', {
    name: 'Exa',
    check(request, key) {
      if (request.method !== 'POST' || request.url.pathname !== '/search') return { status: 404, body: error('Not found', 'NOT_FOUND'), why: `${request.method} ${request.url.pathname}` };
      if (request.headers['x-api-key'] !== key) return { status: 401, body: error('Invalid API key', 'INVALID_API_KEY'), why: 'bad key' };
      const body = jsonBody(request);
      const bad = (why: string) => ({ status: 400, body: error(why, 'INVALID_REQUEST_BODY'), why });
      if (!body || typeof body['query'] !== 'string' || !body['query']) return bad('query is required');
      const extra = unknownKeys(body, FIELDS);
      if (extra.length) return bad(`Unrecognized key: ${extra[0]}`);
      if (body['type'] !== undefined && !['auto', 'neural', 'keyword', 'fast', 'deep'].includes(body['type'] as string)) return bad('invalid type');
      const n = body['numResults'];
      if (n !== undefined && !(Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 100)) return bad('numResults must be between 1 and 100');
      for (const f of ['startPublishedDate', 'endPublishedDate']) if (body[f] !== undefined && !ISO.test(String(body[f]))) return bad(`${f} must be ISO 8601`);
      const contents = body['contents'];
      if (contents !== undefined && (typeof contents !== 'object' || contents === null || unknownKeys(contents as Record<string, unknown>, ['text', 'highlights', 'summary', 'livecrawl', 'livecrawlTimeout', 'subpages', 'subpageTarget', 'extras', 'context']).length)) return bad('invalid contents');
      return undefined;
    },
    read(request) {
      const body = jsonBody(request)!;
      return { query: body['query'] as string, count: (body['numResults'] as number | undefined) ?? 10 };
    },
    answer: (_query, items) => ({
      requestId: 'b5947044c4b78efa9552a7c89b306d95',
      resolvedSearchType: 'neural',
      searchType: 'neural',
      results: items.map((item, i) => ({
        id: item.url,
        title: item.title,
        url: item.url,
        publishedDate: i % 2 === 0 ? item.published.replace('Z', '.000Z') : null,
        author: null,
        text: item.snippet,
      })),
      costDollars: { total: 0.005 },
    }),
    fail(failure, response) {
      if (failure === 'rate_limited') sendJson(response, 429, error('Rate limit exceeded', 'RATE_LIMIT_EXCEEDED'), { 'retry-after': '1' });
      else if (failure === 'quota') sendJson(response, 402, error('You have run out of credits', 'NO_MORE_CREDITS'));
      else if (failure === 'auth') sendJson(response, 401, error('Invalid API key', 'INVALID_API_KEY'));
      else if (failure === 'invalid') sendJson(response, 400, error('Invalid request body', 'INVALID_REQUEST_BODY'));
      else sendJson(response, 502, error('Bad gateway', 'INTERNAL_ERROR'));
    },
  }, options);
}
