// Tavily stand-in: POST /search (docs.tavily.com API reference; 432/433 are its credit limits).
import { sendJson } from '@org/mcp-core/testing';
import { DAY, jsonBody, startFakeProvider, unknownKeys, type FakeOptions, type FakeProvider } from './common.js';

const FIELDS = ['query', 'auto_parameters', 'topic', 'search_depth', 'chunks_per_source', 'max_results', 'time_range', 'days', 'start_date', 'end_date', 'include_answer', 'include_raw_content', 'include_images', 'include_image_descriptions', 'include_favicon', 'include_domains', 'exclude_domains', 'country'];
const detail = (message: string) => ({ detail: { error: message } });

/** Starts a Tavily stand-in. */
export function startFakeTavily(options: FakeOptions = {}): Promise<FakeProvider> {
  return startFakeProvider('tavily', {
    name: 'Tavily',
    check(request, key) {
      if (request.method !== 'POST' || request.url.pathname !== '/search') return { status: 404, body: { detail: 'Not Found' }, why: `${request.method} ${request.url.pathname}` };
      if (request.headers.authorization !== `Bearer ${key}`) return { status: 401, body: detail('Unauthorized: missing or invalid API key.'), why: 'bad key' };
      const body = jsonBody(request);
      const bad = (why: string) => ({ status: 400, body: detail(why), why });
      if (!body) return bad('the body is not a JSON object');
      if (typeof body['query'] !== 'string' || !body['query']) return bad('query is required');
      const extra = unknownKeys(body, FIELDS);
      if (extra.length) return bad(`unknown field ${extra[0]}`);
      const max = body['max_results'];
      if (max !== undefined && !(Number.isInteger(max) && (max as number) >= 0 && (max as number) <= 20)) return bad('max_results must be between 0 and 20');
      if (body['search_depth'] !== undefined && !['basic', 'advanced', 'fast', 'ultra-fast'].includes(body['search_depth'] as string)) return bad('invalid search_depth');
      if (body['topic'] !== undefined && !['general', 'news', 'finance'].includes(body['topic'] as string)) return bad('invalid topic');
      for (const f of ['start_date', 'end_date']) if (body[f] !== undefined && !DAY.test(String(body[f]))) return bad(`${f} must be YYYY-MM-DD`);
      for (const f of ['include_domains', 'exclude_domains']) if (body[f] !== undefined && !(Array.isArray(body[f]) && (body[f] as unknown[]).every((d) => typeof d === 'string'))) return bad(`${f} must be a list of strings`);
      return undefined;
    },
    read(request) {
      const body = jsonBody(request)!;
      return { query: body['query'] as string, count: (body['max_results'] as number | undefined) ?? 5 };
    },
    answer: (query, items) => ({
      query,
      follow_up_questions: null,
      answer: null,
      images: [],
      results: items.map((item, i) => ({ url: item.url, title: item.title, content: item.snippet, score: 0.9 - i / 100, raw_content: null })),
      response_time: '0.42',
      request_id: '123e4567-e89b-12d3-a456-426614174111',
    }),
    fail(failure, response) {
      if (failure === 'rate_limited') sendJson(response, 429, detail('Your request has been blocked due to excessive requests. Please reduce the rate of requests.'), { 'retry-after': '1' });
      else if (failure === 'quota') sendJson(response, 432, detail("This request exceeds your plan's set usage limit. Please upgrade your plan or contact support@tavily.com"));
      else if (failure === 'auth') sendJson(response, 401, detail('Unauthorized: missing or invalid API key.'));
      else if (failure === 'invalid') sendJson(response, 400, detail('Invalid request'));
      else sendJson(response, 500, detail('Internal Server Error'));
    },
  }, options);
}
