// The six providers: each maps the common filters onto its API (reporting what it cannot honour),
// reads its results into SearchResult, and reads its error bodies into a failure kind.
import {
  arr,
  byStatus,
  daysSince,
  plain,
  str,
  today,
  withOperators,
  type Provider,
  type ProviderFailure,
  type SearchFilters,
  type SearchResult,
  type UnsupportedFilter,
} from './types.js';

const cap = (filters: SearchFilters, max: number, name: string, unsupported: UnsupportedFilter[]) => {
  if (filters.count > max) unsupported.push({ filter: 'count', detail: `${name} returns at most ${max} results a request` });
  return Math.min(filters.count, max);
};
const no = (unsupported: UnsupportedFilter[], filters: SearchFilters, name: string, keys: (keyof SearchFilters)[]) => {
  for (const key of keys) {
    const value = filters[key];
    if (value === undefined || (key === 'search_type' && value === 'web')) continue;
    unsupported.push({ filter: key, detail: `${name} has no ${key.replace('_', ' ')} filter; results are not filtered by it` });
  }
};
const quotaWords = /quota|credit|usage limit|plan limit|exceed|billing|payment/i;

/** Brave Search web search (GET /res/v1/web/search, X-Subscription-Token). */
export const brave: Provider = {
  id: 'brave',
  name: 'Brave Search',
  // The free plan allows 1 request a second; the margin absorbs network jitter.
  minIntervalMs: 1100,
  build(query, filters, settings) {
    const unsupported: UnsupportedFilter[] = [];
    const q: Record<string, string> = {
      q: withOperators(query, filters, true),
      count: String(cap(filters, 20, 'Brave Search', unsupported)),
      text_decorations: 'false',
    };
    if (filters.date_from || filters.date_to) {
      q['freshness'] = `${filters.date_from ?? '1970-01-01'}to${filters.date_to ?? today()}`;
    }
    if (filters.language) q['search_lang'] = filters.language;
    if (filters.safe_search) q['safesearch'] = filters.safe_search;
    no(unsupported, filters, 'Brave web search', ['search_type']);
    return {
      request: {
        method: 'GET',
        path: '/res/v1/web/search',
        query: q,
        headers: { accept: 'application/json', 'x-subscription-token': settings.apiKey ?? '' },
      },
      unsupported,
    };
  },
  parse(body) {
    return arr(body, 'web', 'results').map((r) => ({
      title: plain(str(r, 'title')),
      url: str(r, 'url') ?? '',
      snippet: plain(str(r, 'description')),
      ...optional('published', str(r, 'page_age') ?? str(r, 'age')),
      provider: 'brave',
    }));
  },
  classify(status, body, text) {
    const code = str(body, 'error', 'code');
    const message = `Brave Search: ${str(body, 'error', 'detail') ?? (text.slice(0, 200) || `HTTP ${status}`)}`;
    if (code === 'SUBSCRIPTION_TOKEN_INVALID' || status === 401) return { kind: 'auth', message };
    if (code === 'RATE_LIMITED') return { kind: 'rate_limited', message };
    if (code === 'QUOTA_LIMITED' || (status === 429 && /quota/i.test(message))) return { kind: 'quota', message };
    return byStatus(status, message);
  },
};

/** Tavily search (POST /search, Bearer key). */
export const tavily: Provider = {
  id: 'tavily',
  name: 'Tavily',
  minIntervalMs: 100,
  build(query, filters, settings) {
    const unsupported: UnsupportedFilter[] = [];
    const json: Record<string, unknown> = {
      query,
      max_results: cap(filters, 20, 'Tavily', unsupported),
      search_depth: 'basic',
      topic: 'general',
    };
    if (filters.sites?.length) json['include_domains'] = filters.sites;
    if (filters.date_from) json['start_date'] = filters.date_from;
    if (filters.date_to) json['end_date'] = filters.date_to;
    no(unsupported, filters, 'Tavily', ['file_type', 'language', 'safe_search', 'search_type']);
    return {
      request: {
        method: 'POST',
        path: '/search',
        json,
        headers: { authorization: `Bearer ${settings.apiKey ?? ''}`, 'content-type': 'application/json' },
      },
      unsupported,
    };
  },
  parse(body) {
    return arr(body, 'results').map((r) => ({
      title: plain(str(r, 'title')),
      url: str(r, 'url') ?? '',
      snippet: plain(str(r, 'content')),
      ...optional('published', str(r, 'published_date')),
      provider: 'tavily',
    }));
  },
  classify(status, body, text) {
    const detail = str(body, 'detail', 'error') ?? str(body, 'detail') ?? str(body, 'error');
    const message = `Tavily: ${detail ?? (text.slice(0, 200) || `HTTP ${status}`)}`;
    // 432: the plan's credits are used up; 433: the pay-as-you-go limit is reached.
    if (status === 432 || status === 433) return { kind: 'quota', message };
    return byStatus(status, message);
  },
};

/** Exa search (POST /search, x-api-key). */
export const exa: Provider = {
  id: 'exa',
  name: 'Exa',
  minIntervalMs: 200,
  build(query, filters, settings) {
    const unsupported: UnsupportedFilter[] = [];
    const json: Record<string, unknown> = {
      query,
      type: 'auto',
      numResults: cap(filters, 100, 'Exa', unsupported),
      contents: { text: { maxCharacters: 400 } },
    };
    if (filters.sites?.length) json['includeDomains'] = filters.sites;
    if (filters.date_from) json['startPublishedDate'] = `${filters.date_from}T00:00:00.000Z`;
    if (filters.date_to) json['endPublishedDate'] = `${filters.date_to}T23:59:59.999Z`;
    no(unsupported, filters, 'Exa', ['file_type', 'language', 'safe_search', 'search_type']);
    return {
      request: {
        method: 'POST',
        path: '/search',
        json,
        headers: { 'x-api-key': settings.apiKey ?? '', 'content-type': 'application/json' },
      },
      unsupported,
    };
  },
  parse(body) {
    return arr(body, 'results').map((r) => ({
      title: plain(str(r, 'title')),
      url: str(r, 'url') ?? '',
      snippet: plain(str(r, 'text') ?? arr(r, 'highlights').filter((h) => typeof h === 'string').join(' … ')).slice(0, 400),
      ...optional('published', str(r, 'publishedDate')),
      provider: 'exa',
    }));
  },
  classify(status, body, text) {
    const message = `Exa: ${str(body, 'error') ?? (text.slice(0, 200) || `HTTP ${status}`)}`;
    const tag = str(body, 'tag') ?? '';
    if (/CREDITS|QUOTA|LIMIT_EXCEEDED/i.test(tag)) return { kind: 'quota', message };
    return byStatus(status, message);
  },
};

const usDate = (day: string) => {
  const [y, m, d] = day.split('-');
  return `${Number(m)}/${Number(d)}/${y}`;
};

/** Serper, Google results (POST /search, X-API-KEY). */
export const serper: Provider = {
  id: 'serper',
  name: 'Serper',
  minIntervalMs: 200,
  build(query, filters, settings) {
    const unsupported: UnsupportedFilter[] = [];
    const json: Record<string, unknown> = { q: withOperators(query, filters, true), num: cap(filters, 100, 'Serper', unsupported) };
    if (filters.language) json['hl'] = filters.language;
    if (filters.date_from || filters.date_to) {
      const range = ['cdr:1'];
      if (filters.date_from) range.push(`cd_min:${usDate(filters.date_from)}`);
      if (filters.date_to) range.push(`cd_max:${usDate(filters.date_to)}`);
      json['tbs'] = range.join(',');
    }
    no(unsupported, filters, 'Serper web search', ['safe_search', 'search_type']);
    return {
      request: {
        method: 'POST',
        path: '/search',
        json,
        headers: { 'x-api-key': settings.apiKey ?? '', 'content-type': 'application/json' },
      },
      unsupported,
    };
  },
  parse(body) {
    return arr(body, 'organic').map((r) => ({
      title: plain(str(r, 'title')),
      url: str(r, 'link') ?? '',
      snippet: plain(str(r, 'snippet')),
      ...optional('published', str(r, 'date')),
      provider: 'serper',
    }));
  },
  classify(status, body, text) {
    const message = `Serper: ${str(body, 'message') ?? (text.slice(0, 200) || `HTTP ${status}`)}`;
    if (quotaWords.test(message) && status !== 401 && status !== 403) return { kind: 'quota', message };
    return byStatus(status, message);
  },
};

/** A self-hosted SearXNG (GET /search?format=json; needs `json` in search.formats). */
export const searxng: Provider = {
  id: 'searxng',
  name: 'SearXNG',
  minIntervalMs: 500,
  build(query, filters) {
    const unsupported: UnsupportedFilter[] = [];
    const q: Record<string, string> = { q: withOperators(query, filters, false), format: 'json', pageno: '1' };
    if (filters.language) q['language'] = filters.language;
    if (filters.safe_search) q['safesearch'] = { off: '0', moderate: '1', strict: '2' }[filters.safe_search];
    if (filters.date_from) {
      const days = daysSince(filters.date_from);
      const range = days <= 1 ? 'day' : days <= 7 ? 'week' : days <= 31 ? 'month' : days <= 366 ? 'year' : undefined;
      if (range) {
        q['time_range'] = range;
        unsupported.push({ filter: 'date_from', detail: `SearXNG filters by the last ${range} only (approximates date_from)` });
      } else {
        unsupported.push({ filter: 'date_from', detail: 'SearXNG filters by the last day, week, month or year only' });
      }
    }
    if (filters.date_to) unsupported.push({ filter: 'date_to', detail: 'SearXNG has no end-date filter' });
    if (filters.count > 20) unsupported.push({ filter: 'count', detail: 'SearXNG returns one page of about 20 results' });
    no(unsupported, filters, 'SearXNG', ['file_type', 'search_type']);
    return { request: { method: 'GET', path: '/search', query: q, headers: { accept: 'application/json' } }, unsupported };
  },
  parse(body) {
    return arr(body, 'results').map((r) => ({
      title: plain(str(r, 'title')),
      url: str(r, 'url') ?? '',
      snippet: plain(str(r, 'content')),
      ...optional('published', str(r, 'publishedDate')),
      provider: 'searxng',
    }));
  },
  classify(status, _body, text) {
    if (status === 403) {
      return {
        kind: 'auth',
        message: 'SearXNG: 403 Forbidden (enable the JSON format: add "json" to search.formats in settings.yml, or allow this client in the limiter)',
      };
    }
    return byStatus(status, `SearXNG: ${plain(text).slice(0, 200) || `HTTP ${status}`}`);
  },
};

/** Google Programmable Search, Custom Search JSON API (closed to existing customers on 2027-01-01). */
export const google: Provider = {
  id: 'google',
  name: 'Google Custom Search',
  minIntervalMs: 100,
  build(query, filters, settings) {
    const unsupported: UnsupportedFilter[] = [];
    const sites = filters.sites ?? [];
    const q: Record<string, string> = {
      cx: settings.engineId ?? '',
      q: sites.length > 1 ? withOperators(query, filters, false) : query,
      num: String(cap(filters, 10, 'Google Custom Search', unsupported)),
    };
    if (sites.length === 1) {
      q['siteSearch'] = sites[0]!;
      q['siteSearchFilter'] = 'i';
    }
    if (filters.date_restrict && !filters.date_to) q['dateRestrict'] = filters.date_restrict;
    else if (filters.date_from && !filters.date_to) q['dateRestrict'] = `d${daysSince(filters.date_from)}`;
    else if (filters.date_from || filters.date_to) {
      const compact = (d: string) => d.replaceAll('-', '');
      q['sort'] = `date:r:${compact(filters.date_from ?? '1970-01-01')}:${compact(filters.date_to ?? today())}`;
    }
    if (filters.file_type) q['fileType'] = filters.file_type;
    if (filters.language) q['lr'] = `lang_${filters.language}`;
    if (filters.safe_search) {
      q['safe'] = filters.safe_search === 'off' ? 'off' : 'active';
      if (filters.safe_search === 'moderate') {
        unsupported.push({ filter: 'safe_search', detail: 'Google has only off and active; moderate was sent as active' });
      }
    }
    if (filters.search_type === 'image') q['searchType'] = 'image';
    // The key goes in a header, never in the URL, so no URL (in a log or an error) carries it.
    return {
      request: { method: 'GET', path: '/customsearch/v1', query: q, headers: { 'x-goog-api-key': settings.apiKey ?? '' } },
      unsupported,
    };
  },
  parse(body) {
    return arr(body, 'items').map((r) => {
      const tags = arr(r, 'pagemap', 'metatags')[0];
      return {
        title: plain(str(r, 'title')),
        url: str(r, 'link') ?? '',
        snippet: plain(str(r, 'snippet')),
        ...optional('published', str(tags, 'article:published_time')),
        provider: 'google',
      };
    });
  },
  classify(status, body, text): ProviderFailure {
    const message = `Google Custom Search: ${str(body, 'error', 'message') ?? (text.slice(0, 200) || `HTTP ${status}`)}`;
    const reasons = [
      ...arr(body, 'error', 'errors').map((e) => str(e, 'reason')),
      ...arr(body, 'error', 'details').map((e) => str(e, 'reason')),
      str(body, 'error', 'status'),
    ].filter((r): r is string => r !== undefined);
    if (reasons.some((r) => /API_KEY_INVALID|keyInvalid|PERMISSION_DENIED|accessNotConfigured|SERVICE_DISABLED/.test(r))) {
      return { kind: 'auth', message };
    }
    if (reasons.some((r) => /dailyLimitExceeded|quotaExceeded|RESOURCE_EXHAUSTED|rateLimitExceeded/.test(r))) {
      return { kind: status === 429 && !/day/i.test(message) ? 'rate_limited' : 'quota', message };
    }
    return byStatus(status, message);
  },
};

/** Every provider by id. */
export const PROVIDERS = { brave, tavily, exa, serper, searxng, google } as const;

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value ? { [key]: value } : {}) as { [P in K]?: string };
}

/** Drops results without a URL and repeated URLs, keeping the first. */
export function cleanResults(results: SearchResult[]): SearchResult[] {
  const seen = new Set<string>();
  return results.filter((r) => {
    if (!r.url || seen.has(r.url)) return false;
    seen.add(r.url);
    return true;
  });
}
