// SearXNG stand-in: GET /search?format=json (docs.searxng.org/dev/search_api.html); keyless.
import { startFakeProvider, unknownKeys, type FakeOptions, type FakeProvider } from './common.js';

const PARAMS = ['q', 'categories', 'engines', 'language', 'pageno', 'time_range', 'format', 'results_on_new_tab', 'image_proxy', 'autocomplete', 'safesearch', 'theme', 'enabled_plugins', 'disabled_plugins', 'enabled_engines', 'disabled_engines'];
const html = (response: import('node:http').ServerResponse, status: number, text: string) => {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  response.end(`<!DOCTYPE html><html><head><title>${status} ${text}</title></head><body><h1>${text}</h1></body></html>`);
};

/** Starts a SearXNG stand-in; `jsonEnabled: false` answers 403 as an instance without the JSON format does. */
export function startFakeSearxng(options: FakeOptions & { jsonEnabled?: boolean } = {}): Promise<FakeProvider> {
  return startFakeProvider('searxng', {
    name: 'SearXNG',
    check(request) {
      if (request.method !== 'GET' || request.url.pathname !== '/search') return { status: 404, body: 'Not Found', why: `${request.method} ${request.url.pathname}` };
      const p = request.url.searchParams;
      if (p.get('format') !== 'json' || options.jsonEnabled === false) return { status: 403, body: 'Forbidden', why: 'format json not enabled' };
      const bad = (why: string) => ({ status: 400, body: 'Bad Request', why });
      if (!p.get('q')) return bad('q is required');
      const extra = unknownKeys(Object.fromEntries(p), PARAMS);
      if (extra.length) return bad(`unknown parameter ${extra[0]}`);
      const range = p.get('time_range');
      if (range !== null && !['day', 'week', 'month', 'year'].includes(range)) return bad('time_range must be day, week, month or year');
      const safe = p.get('safesearch');
      if (safe !== null && !['0', '1', '2'].includes(safe)) return bad('safesearch must be 0, 1 or 2');
      return undefined;
    },
    read: (request) => ({ query: request.url.searchParams.get('q')!, count: 20 }),
    answer: (query, items) => ({
      query,
      number_of_results: 0,
      results: items.map((item, i) => ({
        url: item.url,
        title: item.title,
        content: item.snippet,
        engine: 'duckduckgo',
        engines: ['duckduckgo', 'startpage'],
        parsed_url: ['https', 'example.com', new URL(item.url).pathname, '', '', ''],
        template: 'default.html',
        positions: [i + 1],
        score: 2 - i / 10,
        category: 'general',
        publishedDate: i === 0 ? '2026-11-10T08:00:00' : null,
      })),
      answers: [],
      corrections: [],
      infoboxes: [],
      suggestions: [],
      unresponsive_engines: [],
    }),
    fail(failure, response) {
      if (failure === 'rate_limited' || failure === 'quota') html(response, 429, 'Too Many Requests');
      else if (failure === 'auth') html(response, 403, 'Forbidden');
      else if (failure === 'invalid') html(response, 400, 'Bad Request');
      else html(response, 502, 'Bad Gateway');
    },
  }, options);
}
