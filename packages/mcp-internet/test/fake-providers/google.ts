// Google Custom Search JSON API stand-in: GET /customsearch/v1 (developers.google.com/custom-search/v1/reference/rest/v1/cse/list).
import { sendJson } from '@org/mcp-core/testing';
import { startFakeProvider, unknownKeys, type FakeOptions, type FakeProvider } from './common.js';

const PARAMS = ['key', 'cx', 'q', 'num', 'start', 'dateRestrict', 'exactTerms', 'excludeTerms', 'fileType', 'filter', 'gl', 'hl', 'hq', 'lr', 'orTerms', 'rights', 'safe', 'searchType', 'siteSearch', 'siteSearchFilter', 'sort', 'imgSize', 'imgType', 'imgColorType', 'imgDominantColor', 'linkSite', 'relatedSite', 'c2coff', 'cr', 'googlehost', 'lowRange', 'highRange', 'fields', 'prettyPrint', 'alt'];
const error = (code: number, message: string, status: string, reason: string, info?: string) => ({
  error: {
    code,
    message,
    errors: [{ message, domain: 'global', reason }],
    status,
    ...(info ? { details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: info, domain: 'googleapis.com', metadata: { service: 'customsearch.googleapis.com' } }] } : {}),
  },
});
const badKey = () => error(400, 'API key not valid. Please pass a valid API key.', 'INVALID_ARGUMENT', 'badRequest', 'API_KEY_INVALID');
const invalid = () => error(400, 'Request contains an invalid argument.', 'INVALID_ARGUMENT', 'badRequest');

/** Starts a Google Custom Search stand-in; the engine id is `engineId`. */
export function startFakeGoogle(options: FakeOptions & { engineId?: string } = {}): Promise<FakeProvider> {
  const cx = options.engineId ?? '0123456789abcdef0';
  return startFakeProvider('google', {
    name: 'Google',
    check(request, key) {
      if (request.method !== 'GET' || request.url.pathname !== '/customsearch/v1') return { status: 404, body: error(404, 'Not Found', 'NOT_FOUND', 'notFound'), why: `${request.method} ${request.url.pathname}` };
      const p = request.url.searchParams;
      const given = request.headers['x-goog-api-key'] ?? p.get('key');
      if (given !== key) return { status: 400, body: badKey(), why: 'bad key' };
      const bad = (why: string) => ({ status: 400, body: invalid(), why });
      if (p.get('cx') !== cx) return bad(`cx ${p.get('cx')} is not the engine`);
      if (!p.get('q')) return bad('q is required');
      const extra = unknownKeys(Object.fromEntries(p), PARAMS);
      if (extra.length) return bad(`unknown parameter ${extra[0]}`);
      const num = p.get('num');
      if (num !== null && !(Number.isInteger(Number(num)) && Number(num) >= 1 && Number(num) <= 10)) return bad('num must be between 1 and 10');
      const dr = p.get('dateRestrict');
      if (dr !== null && !/^[dwmy]\d+$/.test(dr)) return bad('dateRestrict must be d[n], w[n], m[n] or y[n]');
      const safe = p.get('safe');
      if (safe !== null && !['active', 'off'].includes(safe)) return bad('safe must be active or off');
      const ssf = p.get('siteSearchFilter');
      if (ssf !== null && !['e', 'i'].includes(ssf)) return bad('siteSearchFilter must be e or i');
      const lr = p.get('lr');
      if (lr !== null && !/^lang_[a-z]{2}(-[A-Za-z]{2})?$/.test(lr)) return bad('lr must be lang_xx');
      const st = p.get('searchType');
      if (st !== null && st !== 'image') return bad('searchType must be image');
      const sort = p.get('sort');
      if (sort !== null && !/^date(:r:\d{8}:\d{8})?$/.test(sort)) return bad('sort must be date or date:r:YYYYMMDD:YYYYMMDD');
      return undefined;
    },
    read: (request) => ({ query: request.url.searchParams.get('q')!, count: Number(request.url.searchParams.get('num') ?? 10) }),
    answer: (query, items) => ({
      kind: 'customsearch#search',
      queries: { request: [{ title: `Google Custom Search - ${query}`, totalResults: '1230', searchTerms: query, count: items.length, startIndex: 1, cx }] },
      searchInformation: { searchTime: 0.21, formattedSearchTime: '0.21', totalResults: '1230', formattedTotalResults: '1,230' },
      items: items.map((item, i) => ({
        kind: 'customsearch#result',
        title: item.title,
        htmlTitle: item.title.replace('Result', '<b>Result</b>'),
        link: item.url,
        displayLink: 'example.com',
        snippet: item.snippet,
        htmlSnippet: item.snippet,
        formattedUrl: item.url,
        ...(i === 0 ? { pagemap: { metatags: [{ 'article:published_time': item.published }] } } : {}),
      })),
    }),
    fail(failure, response) {
      if (failure === 'rate_limited') sendJson(response, 429, error(429, "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute' of service 'customsearch.googleapis.com' for consumer 'project_number:123456'.", 'RESOURCE_EXHAUSTED', 'rateLimitExceeded', 'RATE_LIMIT_EXCEEDED'));
      else if (failure === 'quota') sendJson(response, 429, error(429, "Quota exceeded for quota metric 'Queries' and limit 'Queries per day' of service 'customsearch.googleapis.com' for consumer 'project_number:123456'.", 'RESOURCE_EXHAUSTED', 'rateLimitExceeded', 'RATE_LIMIT_EXCEEDED'));
      else if (failure === 'auth') sendJson(response, 403, error(403, 'This project does not have the access to Custom Search JSON API.', 'PERMISSION_DENIED', 'forbidden', 'SERVICE_DISABLED'));
      else if (failure === 'invalid') sendJson(response, 400, invalid());
      else sendJson(response, 500, error(500, 'Internal error encountered.', 'INTERNAL', 'backendError'));
    },
  }, options);
}
