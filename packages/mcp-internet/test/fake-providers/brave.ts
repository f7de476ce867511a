// Brave Search API stand-in: GET /res/v1/web/search (api-dashboard.search.brave.com documentation).
import { sendJson } from '@org/mcp-core/testing';
import { startFakeProvider, unknownKeys, type FakeOptions, type FakeProvider } from './common.js';

const PARAMS = ['q', 'country', 'search_lang', 'ui_lang', 'count', 'offset', 'safesearch', 'freshness', 'text_decorations', 'spellcheck', 'result_filter', 'goggles', 'units', 'extra_snippets', 'summary'];
const error = (status: number, code: string, detail: string, meta?: unknown) => ({
  type: 'ErrorResponse',
  error: { id: '6f5d2c1e-0000-4000-8000-000000000000', status, code, detail, ...(meta ? { meta } : {}) },
  time: 1764600000,
});
const rateHeaders = { 'x-ratelimit-limit': '1, 2000', 'x-ratelimit-policy': '1;w=1, 2000;w=2592000', 'x-ratelimit-remaining': '0, 1990', 'x-ratelimit-reset': '1, 2419200' };

/** Starts a Brave Search stand-in. */
export function startFakeBrave(options: FakeOptions = {}): Promise<FakeProvider> {
  return startFakeProvider('brave', {
    name: 'Brave',
    check(request, key) {
      if (request.method !== 'GET' || request.url.pathname !== '/res/v1/web/search') {
        return { status: 404, body: error(404, 'NOT_FOUND', 'Resource not found'), why: `${request.method} ${request.url.pathname}` };
      }
      if (request.headers['x-subscription-token'] !== key) {
        return { status: 401, body: error(401, 'SUBSCRIPTION_TOKEN_INVALID', 'The provided subscription token is invalid.'), why: 'bad token' };
      }
      const p = request.url.searchParams;
      const invalid = (loc: string, msg: string) => ({
        status: 422,
        body: error(422, 'VALIDATION', 'Unable to validate request parameter(s)', { errors: [{ type: 'value_error', loc: ['query', loc], msg }] }),
        why: `${loc}: ${msg}`,
      });
      const q = p.get('q') ?? '';
      if (!q) return invalid('q', 'Field required');
      if (q.length > 400 || q.split(/\s+/).length > 50) return invalid('q', 'at most 400 characters and 50 words');
      const count = p.get('count');
      if (count !== null && !(Number.isInteger(Number(count)) && Number(count) >= 1 && Number(count) <= 20)) return invalid('count', 'between 1 and 20');
      const safe = p.get('safesearch');
      if (safe !== null && !['off', 'moderate', 'strict'].includes(safe)) return invalid('safesearch', 'off, moderate or strict');
      const fresh = p.get('freshness');
      if (fresh !== null && !/^(pd|pw|pm|py|\d{4}-\d{2}-\d{2}to\d{4}-\d{2}-\d{2})$/.test(fresh)) return invalid('freshness', 'pd, pw, pm, py or YYYY-MM-DDtoYYYY-MM-DD');
      const lang = p.get('search_lang');
      if (lang !== null && !/^[a-z]{2}(-[a-z]+)?$/.test(lang)) return invalid('search_lang', 'a language code');
      const td = p.get('text_decorations');
      if (td !== null && !['true', 'false', '1', '0'].includes(td)) return invalid('text_decorations', 'a boolean');
      const extra = unknownKeys(Object.fromEntries(p), PARAMS);
      if (extra.length) return invalid(extra[0]!, 'not a parameter of this endpoint');
      return undefined;
    },
    read: (request) => ({ query: request.url.searchParams.get('q')!, count: Number(request.url.searchParams.get('count') ?? 20) }),
    answer: (query, items) => ({
      type: 'search',
      query: { original: query, show_strict_warning: false, is_navigational: false, more_results_available: true },
      mixed: { type: 'mixed', main: items.map((_, index) => ({ type: 'web', index, all: false })) },
      web: {
        type: 'search',
        family_friendly: true,
        results: items.map((item, i) => ({
          type: 'search_result',
          subtype: 'generic',
          title: item.title,
          url: item.url,
          description: item.snippet,
          ...(i % 2 === 0 ? { page_age: item.published, age: 'November 10, 2026' } : {}),
          language: 'en',
          family_friendly: true,
          is_source_local: false,
          meta_url: { scheme: 'https', netloc: 'example.com', hostname: 'example.com', path: new URL(item.url).pathname },
        })),
      },
    }),
    fail(failure, response) {
      if (failure === 'rate_limited') sendJson(response, 429, error(429, 'RATE_LIMITED', 'Request rate limit exceeded for plan.', { plan: 'Free', rate_limit: 1, rate_current: 2, component: 'rate_limiter' }), { ...rateHeaders, 'retry-after': '1' });
      else if (failure === 'quota') sendJson(response, 429, error(429, 'QUOTA_LIMITED', 'Request quota limit exceeded for plan.', { plan: 'Free', quota_limit: 2000, quota_current: 2000 }), rateHeaders);
      else if (failure === 'auth') sendJson(response, 401, error(401, 'SUBSCRIPTION_TOKEN_INVALID', 'The provided subscription token is invalid.'));
      else if (failure === 'invalid') sendJson(response, 422, error(422, 'VALIDATION', 'Unable to validate request parameter(s)'));
      else sendJson(response, 503, error(503, 'SERVICE_UNAVAILABLE', 'Service temporarily unavailable.'));
    },
  }, options);
}
