/** Provider ids, in the default fallback order. */
export const PROVIDER_IDS = ['brave', 'tavily', 'exa', 'serper', 'searxng', 'google'] as const;
/** A search provider id. */
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** Filters in one vocabulary; each provider maps what it can and reports the rest. */
export interface SearchFilters {
  /** Results wanted. */
  count: number;
  /** Published on or after this day (YYYY-MM-DD). */
  date_from?: string;
  /** The same start as Google writes it (d7, w2, m6, y1), when the model gave it so. */
  date_restrict?: string;
  /** Published on or before this day (YYYY-MM-DD). */
  date_to?: string;
  /** Only results from these sites (host names, sub-domains included). */
  sites?: string[];
  /** Only documents of this file type (pdf, docx, …). */
  file_type?: string;
  /** Results in this language (ISO 639-1, e.g. en). */
  language?: string;
  safe_search?: 'off' | 'moderate' | 'strict';
  /** `image` asks for image results (the original's search_type). */
  search_type?: 'web' | 'image';
}

/** One search result, the same from every provider. */
export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
  /** When the page was published, as the provider gives it (ISO 8601 or a phrase such as "3 days ago"). */
  published?: string;
  provider: ProviderId;
}

/** A filter the serving provider could not honour (or honoured only approximately). */
export interface UnsupportedFilter {
  filter: keyof SearchFilters;
  detail: string;
}

/** An HTTP request to a provider, relative to its API origin. */
export interface ProviderRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  headers: Record<string, string>;
}

/** Why a provider call failed, in the terms the fallback decides on. */
export type FailureKind = 'rate_limited' | 'quota' | 'unavailable' | 'timeout' | 'auth' | 'invalid';

/** A provider's failure as read from its answer. */
export interface ProviderFailure {
  kind: FailureKind;
  message: string;
}

/** What a provider needs from the configuration. */
export interface ProviderSettings {
  /** The API origin (or the SearXNG base URL). */
  baseUrl: string;
  apiKey?: string;
  /** Google's search engine id (cx). */
  engineId?: string;
}

/** A search provider: how to ask it and how to read its answers. */
export interface Provider {
  id: ProviderId;
  /** Shown in messages, e.g. "Brave Search". */
  name: string;
  /** The gap kept between two requests to it, unless SEARCH_MIN_INTERVAL_MS says otherwise. */
  minIntervalMs: number;
  build(query: string, filters: SearchFilters, settings: ProviderSettings): {
    request: ProviderRequest;
    unsupported: UnsupportedFilter[];
  };
  /** The results of a 2xx answer (already JSON-parsed). */
  parse(body: unknown): SearchResult[];
  /** Reads a non-2xx answer. */
  classify(status: number, body: unknown, text: string): ProviderFailure;
}

/** Whole days from `from` (YYYY-MM-DD) to `now`, at least 1. */
export function daysSince(from: string, now = new Date()): number {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Math.max(1, Math.floor((now.getTime() - start) / 86_400_000));
}

/** Today as YYYY-MM-DD (UTC). */
export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The query with `site:` (OR-ed) and `filetype:` operators, for providers that read them. */
export function withOperators(query: string, filters: SearchFilters, fileType: boolean): string {
  const parts = [query];
  if (filters.sites && filters.sites.length > 0) {
    const sites = filters.sites.map((s) => `site:${s}`);
    parts.push(sites.length === 1 ? sites[0]! : `(${sites.join(' OR ')})`);
  }
  if (fileType && filters.file_type) parts.push(`filetype:${filters.file_type}`);
  return parts.join(' ');
}

/** The common reading of an HTTP status when a provider's body says nothing more specific. */
export function byStatus(status: number, message: string): ProviderFailure {
  if (status === 401 || status === 403) return { kind: 'auth', message };
  if (status === 402) return { kind: 'quota', message };
  if (status === 429) return { kind: 'rate_limited', message };
  if (status === 408) return { kind: 'timeout', message };
  if (status >= 500) return { kind: 'unavailable', message };
  return { kind: 'invalid', message };
}

/** A string field of an unknown JSON value, or undefined. */
export function str(value: unknown, ...path: string[]): string | undefined {
  let v = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** An array field of an unknown JSON value ([] when absent). */
export function arr(value: unknown, ...path: string[]): unknown[] {
  let v = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return [];
    v = (v as Record<string, unknown>)[key];
  }
  return Array.isArray(v) ? v : [];
}

/** Removes HTML tags and decodes the few entities providers put in snippets. */
export function plain(text: string | undefined): string {
  return (text ?? '')
    .replace(/<[^>]*>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}
