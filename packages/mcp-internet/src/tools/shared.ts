import { jsonish, ToolError, z, type ErrorEnvelope, type Logger } from '@org/mcp-core';
import type { FetchedPage } from '../fetch/pages.js';
import type { SearchOutcome } from '../search/engine.js';
import { PROVIDER_IDS, type SearchFilters } from '../search/types.js';

/** At most this many URLs, queries or filter sets in one batch call (after repeats are dropped). */
export const MAX_BATCH = 20;

/** A batch list: 1 to MAX_BATCH distinct entries (repeats are dropped, so up to 5x as many raw). */
export function batchList<T extends z.ZodType>(item: T, key: (value: z.output<T>) => string, what: string) {
  return jsonish(
    z
      .array(item)
      .min(1)
      .max(MAX_BATCH * 5)
      .refine((list) => new Set(list.map(key)).size <= MAX_BATCH, `at most ${MAX_BATCH} distinct ${what}`),
  );
}

// ---- search input fields -------------------------------------------------------------------

const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD');
const HOST = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'must be a host name such as example.com');

/** The filter fields every search tool takes (the original's four first). */
export const filterFields = {
  max_results: z.number().int().min(1).max(20).default(10).describe('Results wanted, 1 to 20 (default 10; Google gives at most 10)'),
  search_type: z
    .enum(['web', 'image'])
    .nullish()
    .describe('"image" for image results (Google only; other providers report it as unsupported)'),
  file_type: z
    .string()
    .regex(/^[A-Za-z0-9]{1,10}$/, 'must be an extension such as pdf')
    .nullish()
    .describe('Only documents of this type, e.g. pdf, docx'),
  date_restrict: z
    .string()
    .regex(/^[dwmy][1-9]\d{0,3}$/, 'must be d, w, m or y and a number, e.g. d7')
    .nullish()
    .describe('Only results from the last n days (d7), weeks (w2), months (m6) or years (y1), as Google writes it'),
  date_from: DAY.nullish().describe('Only results published on or after this day (YYYY-MM-DD)'),
  date_to: DAY.nullish().describe('Only results published on or before this day (YYYY-MM-DD)'),
  sites: jsonish(z.array(HOST).min(1).max(10))
    .nullish()
    .describe('Only results from these sites (host names; sub-domains included), at most 10'),
  language: z
    .string()
    .regex(/^[a-z]{2}$/, 'must be a two-letter ISO 639-1 code such as en')
    .nullish()
    .describe('Results in this language (ISO 639-1, e.g. en, de)'),
  safe_search: z.enum(['off', 'moderate', 'strict']).nullish().describe('Adult-content filtering (default: the provider\'s own)'),
};

/** The `provider` field: force one provider instead of the fallback chain. */
export const providerField = z
  .enum(PROVIDER_IDS)
  .nullish()
  .describe('Use only this provider (it must be configured); default: the configured providers in order, with fallback');

/** The filter fields as the model gave them. */
export type FilterInput = {
  max_results?: number | undefined;
  search_type?: 'web' | 'image' | null | undefined;
  file_type?: string | null | undefined;
  date_restrict?: string | null | undefined;
  date_from?: string | null | undefined;
  date_to?: string | null | undefined;
  sites?: string[] | null | undefined;
  language?: string | null | undefined;
  safe_search?: 'off' | 'moderate' | 'strict' | null | undefined;
};

/** The first day of a Google-style date_restrict (d7, w2, m6, y1) counted back from `now`. */
export function restrictStart(restrict: string, now = new Date()): string {
  const n = Number(restrict.slice(1));
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const unit = restrict[0];
  if (unit === 'd') d.setUTCDate(d.getUTCDate() - n);
  else if (unit === 'w') d.setUTCDate(d.getUTCDate() - 7 * n);
  else if (unit === 'm') d.setUTCMonth(d.getUTCMonth() - n);
  else d.setUTCFullYear(d.getUTCFullYear() - n);
  return d.toISOString().slice(0, 10);
}

/** The common filters from a tool's input; contradictory dates are a validation error. */
export function toFilters(input: FilterInput, defaultCount = 10): SearchFilters {
  const filters: SearchFilters = { count: input.max_results ?? defaultCount };
  if (input.date_restrict && input.date_from) {
    throw ToolError.validation('Give date_restrict or date_from, not both');
  }
  const from = input.date_from ?? (input.date_restrict ? restrictStart(input.date_restrict) : undefined);
  if (from) filters.date_from = from;
  if (input.date_restrict) filters.date_restrict = input.date_restrict;
  if (input.date_to) filters.date_to = input.date_to;
  if (filters.date_from && filters.date_to && filters.date_from > filters.date_to) {
    throw ToolError.validation(`date_from (${filters.date_from}) is after date_to (${filters.date_to})`);
  }
  if (input.sites?.length) filters.sites = [...new Set(input.sites)];
  if (input.file_type) filters.file_type = input.file_type.toLowerCase();
  if (input.language) filters.language = input.language;
  if (input.safe_search) filters.safe_search = input.safe_search;
  if (input.search_type) filters.search_type = input.search_type;
  return filters;
}

// ---- output schemas -------------------------------------------------------------------------

/** The error envelope, as one item of a batch carries it. */
export const ErrorSchema = z
  .object({
    error: z.string(),
    type: z.string(),
    status_code: z.number().optional(),
    retryable: z.boolean(),
    hint: z.string().optional(),
  })
  .describe('Why this item failed (the error envelope)');

/** One search result, the same from every provider. */
export const SearchResultSchema = z.object({
  title: z.string(),
  url: z.string(),
  snippet: z.string(),
  published: z.string().optional().describe('Publication time as the provider gives it'),
  provider: z.enum(PROVIDER_IDS),
});

/** What one search answered: the serving provider, its results, and what it could not honour. */
export const searchAnswerShape = {
  provider: z.enum(PROVIDER_IDS).describe('The provider that served these results'),
  results: z.array(SearchResultSchema),
  truncated: z.boolean().describe('True when results were left out to stay within the output budget'),
  unsupported_filters: z
    .array(z.object({ filter: z.string(), detail: z.string() }))
    .describe('Filters the serving provider could not honour (results are not filtered by them) or only approximated'),
  skipped: z
    .array(z.object({ provider: z.enum(PROVIDER_IDS), type: z.string(), error: z.string() }))
    .describe('Providers tried first that failed (rate limit, quota, outage, rejected key), in order'),
};

/** A search outcome cut to `budget` characters of results. */
export function searchAnswer(outcome: SearchOutcome, count: number, budget: number) {
  const results = outcome.results.slice(0, count);
  let used = 0;
  let kept = 0;
  for (const r of results) {
    used += JSON.stringify(r).length + 1;
    if (used > budget && kept > 0) break;
    kept++;
  }
  return {
    provider: outcome.provider,
    results: results.slice(0, kept),
    truncated: kept < results.length,
    unsupported_filters: outcome.unsupported_filters,
    skipped: outcome.skipped,
  };
}

/** A fetched page, or the requested window of it. */
export const FetchResultSchema = z.object({
  url: z.string().describe('The URL asked for'),
  final_url: z.string().describe('The URL after redirects'),
  status_code: z.number(),
  content_type: z.string(),
  format: z.enum(['markdown', 'html', 'json', 'text', 'pdf', 'metadata']).describe('How the body was turned into content'),
  title: z.string().optional(),
  byline: z.string().optional(),
  published: z.string().optional(),
  site_name: z.string().optional(),
  language: z.string().optional(),
  encoding: z.string().optional().describe('The charset the body was decoded with'),
  content: z.string().describe('The converted content, from start_index on, at most max_length characters'),
  content_length: z.number().describe('Characters of the whole converted content'),
  start_index: z.number(),
  truncated: z.boolean().describe('True when more content follows; call again with start_index = next_start_index'),
  next_start_index: z.number().optional(),
  bytes: z.number().describe('Bytes of the body read'),
  redirects: z.array(z.string()),
  fetched_at: z.string().describe('When the page was fetched; paging reuses a fetch for a while'),
  warning: z.string().optional(),
});
/** A fetch result. */
export type FetchResult = z.infer<typeof FetchResultSchema>;

/** The window [start, start + max) of a page, not splitting a surrogate pair. */
export function pageWindow(page: FetchedPage, start: number, max: number): FetchResult {
  const { content, ...meta } = page;
  let end = Math.min(content.length, start + max);
  if (end < content.length && end > start) {
    const code = content.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end--;
  }
  const result: FetchResult = {
    ...meta,
    content: start >= content.length ? '' : content.slice(start, end),
    content_length: content.length,
    start_index: start,
    truncated: end < content.length,
  };
  if (end < content.length) result.next_start_index = end;
  if (start > 0 && start >= content.length) {
    result.warning = `No more content: start_index ${start} is past the end (${content.length} characters).`;
  }
  return result;
}

/** The text shown for a fetch: a short header, the content, and how to get more. */
export function renderFetch(result: FetchResult, tool = 'web_fetch'): string {
  const head = [
    result.title ? `# ${result.title}` : undefined,
    `URL: ${result.final_url}`,
    result.byline ? `By: ${result.byline}` : undefined,
    result.published ? `Published: ${result.published}` : undefined,
    `Type: ${result.content_type} (${result.format}), ${result.content_length} characters`,
    result.warning ? `Note: ${result.warning}` : undefined,
  ].filter(Boolean);
  const tail = result.truncated
    ? `\n\n<error>Content truncated. Call ${tool} with a start_index of ${result.next_start_index} to get more content.</error>`
    : result.start_index > 0 && result.content === ''
      ? '\n\n<error>No more content available.</error>'
      : '';
  return `${head.join('\n')}\n\n${result.content}${tail}`;
}

/**
 * Runs `work` over `items` with at most `limit` running at once; results in input order. A
 * failed item becomes its error envelope (ToolError as is; anything else `internal`, logged);
 * a cancelled call stops the batch.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  logger: Logger,
  signal?: AbortSignal,
): Promise<({ ok: true; value: R } | { ok: false; error: ErrorEnvelope })[]> {
  const out = new Array<{ ok: true; value: R } | { ok: false; error: ErrorEnvelope }>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      signal?.throwIfAborted();
      const index = next++;
      try {
        out[index] = { ok: true, value: await work(items[index]!, index) };
      } catch (error) {
        if (signal?.aborted) throw error;
        out[index] = { ok: false, error: envelope(error, logger) };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The envelope of one failed batch item. */
export function envelope(error: unknown, logger: Logger): ErrorEnvelope {
  if (error instanceof ToolError) return error.toEnvelope();
  logger.error({ err: error }, 'unexpected error in a batch item');
  return {
    error: 'Internal error: this item failed unexpectedly',
    type: 'internal',
    retryable: false,
    hint: 'The details are in the server log (MCP_LOG_FILE or stderr).',
  };
}

/** The unique entries of a list (by key), in first-seen order, and how many repeats were dropped. */
export function unique<T>(items: readonly T[], key: (item: T) => string): { items: T[]; duplicates: number } {
  const seen = new Set<string>();
  const kept = items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return { items: kept, duplicates: items.length - kept.length };
}
