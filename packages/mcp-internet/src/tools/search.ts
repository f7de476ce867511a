import { z } from '@org/mcp-core';
import {
  ErrorSchema,
  MAX_BATCH,
  SearchResultSchema,
  batchList,
  filterFields,
  mapBounded,
  pageWindow,
  providerField,
  searchAnswer,
  searchAnswerShape,
  toFilters,
  unique,
} from './shared.js';
import { PAGE_RESULT_META } from './fetch.js';
import { tool } from './tool.js';

const queryField = z.string().trim().min(1).max(400).describe('The search query (at most 400 characters)');
const PROVIDERS_NOTE =
  'Providers are tried in the configured order (SEARCH_PROVIDERS); one that is rate-limited, out of quota, down or rejects its key is skipped for the next, and `provider` names the one that answered. Filters a provider cannot honour are listed in unsupported_filters.';

/** The original's `web_search`, over every configured provider. */
export const webSearch = tool({
  name: 'web_search',
  toolset: 'search',
  title: 'Web search',
  description: `Searches the web and returns results as {title, url, snippet, published?, provider}. ${PROVIDERS_NOTE}`,
  input: z.object({ query: queryField, ...filterFields, provider: providerField }),
  output: z.object({ query: z.string(), ...searchAnswerShape }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler(input, { deps, signal, outputBudget }) {
    const filters = toFilters(input);
    const outcome = await deps.search.search(input.query, filters, {
      signal,
      ...(input.provider ? { only: input.provider } : {}),
    });
    return { query: input.query, ...searchAnswer(outcome, filters.count, outputBudget - 1500) };
  },
});

const searchItem = z.object({
  ok: z.boolean(),
  provider: searchAnswerShape.provider.optional(),
  results: searchAnswerShape.results.optional(),
  truncated: z.boolean().optional(),
  unsupported_filters: searchAnswerShape.unsupported_filters.optional(),
  skipped: searchAnswerShape.skipped.optional(),
  error: ErrorSchema.optional(),
});

/** The original's `batch_search`: several queries, bounded concurrency, in input order. */
export const batchSearch = tool({
  name: 'batch_search',
  toolset: 'search',
  title: 'Search several queries',
  description: `Runs up to ${MAX_BATCH} queries (repeats dropped), a few at a time and paced per provider so no provider's rate limit is tripped, and answers in input order with results or an error per query. ${PROVIDERS_NOTE}`,
  input: z.object({
    queries: batchList(queryField, (q) => q, 'queries').describe(
      `Queries, at most ${MAX_BATCH} (a JSON array, or the same as a JSON string)`,
    ),
    max_results: filterFields.max_results,
    provider: providerField,
  }),
  output: z.object({
    searches: z.array(searchItem.extend({ query: z.string() })),
    total: z.number(),
    successful: z.number(),
    failed: z.number(),
    duplicates_removed: z.number(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ queries, max_results, provider }, { deps, signal, logger, outputBudget, progress }) {
    const { items, duplicates } = unique(queries, (q) => q);
    let done = 0;
    const filters = toFilters({ max_results });
    const share = Math.floor((outputBudget - 1500) / items.length);
    const answers = await mapBounded(
      items,
      deps.config.INTERNET_MAX_CONCURRENCY,
      async (query) => {
        try {
          return searchAnswer(
            await deps.search.search(query, filters, { signal, ...(provider ? { only: provider } : {}) }),
            filters.count,
            share,
          );
        } finally {
          progress(++done, items.length, query);
        }
      },
      logger,
      signal,
    );
    const searches = answers.map((a, i) =>
      a.ok ? { query: items[i]!, ok: true, ...a.value } : { query: items[i]!, ok: false, error: a.error },
    );
    const successful = searches.filter((s) => s.ok).length;
    return {
      searches,
      total: searches.length,
      successful,
      failed: searches.length - successful,
      duplicates_removed: duplicates,
    };
  },
});

const filterSet = z.object(filterFields).partial();
const filterKey = (f: object) => JSON.stringify(Object.entries(f).sort());

/** The original's `parallel_search_with_filters`: one query, several filter sets. */
export const parallelSearchWithFilters = tool({
  name: 'parallel_search_with_filters',
  toolset: 'search',
  title: 'Search with several filter sets',
  description: `Runs one query once per filter set (up to ${MAX_BATCH}, repeats dropped), a few at a time, and answers in input order with each filter set as applied_filters beside its results or error. Filter fields: max_results, search_type, file_type, date_restrict, date_from, date_to, sites, language, safe_search. ${PROVIDERS_NOTE}`,
  input: z.object({
    query: queryField,
    filters: batchList(filterSet, filterKey, 'filter sets').describe(
      `Filter sets, at most ${MAX_BATCH}, e.g. [{"file_type":"pdf"},{"date_restrict":"m1","max_results":5}] (a JSON array, or the same as a JSON string)`,
    ),
    provider: providerField,
  }),
  output: z.object({
    query: z.string(),
    searches: z.array(searchItem.extend({ applied_filters: z.record(z.string(), z.unknown()) })),
    total: z.number(),
    successful: z.number(),
    failed: z.number(),
    duplicates_removed: z.number(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ query, filters, provider }, { deps, signal, logger, outputBudget, progress }) {
    const { items, duplicates } = unique(filters, filterKey);
    let done = 0;
    const share = Math.floor((outputBudget - 1500) / items.length);
    const answers = await mapBounded(
      items,
      deps.config.INTERNET_MAX_CONCURRENCY,
      async (set) => {
        const common = toFilters(set);
        try {
          return searchAnswer(
            await deps.search.search(query, common, { signal, ...(provider ? { only: provider } : {}) }),
            common.count,
            share,
          );
        } finally {
          progress(++done, items.length);
        }
      },
      logger,
      signal,
    );
    const searches = answers.map((a, i) =>
      a.ok
        ? { applied_filters: items[i]! as Record<string, unknown>, ok: true, ...a.value }
        : { applied_filters: items[i]! as Record<string, unknown>, ok: false, error: a.error },
    );
    const successful = searches.filter((s) => s.ok).length;
    return {
      query,
      searches,
      total: searches.length,
      successful,
      failed: searches.length - successful,
      duplicates_removed: duplicates,
    };
  },
});

/** The original's `search_and_fetch`: search, then fetch each result's page. */
export const searchAndFetch = tool({
  name: 'search_and_fetch',
  toolset: 'search',
  title: 'Search and fetch the results',
  description: `Searches, then (unless fetch_content is false) fetches each result's page with web_fetch's rules and adds its readable content (an equal share of the output budget each; page on with web_fetch) or fetch_error. ${PROVIDERS_NOTE}`,
  input: z.object({
    query: queryField,
    max_results: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(5)
      .describe('Results to search and fetch, 1 to 10 (default 5)'),
    fetch_content: z
      .boolean()
      .default(true)
      .describe('Fetch each result (default true); false returns the search results only'),
    provider: providerField,
  }),
  output: z.object({
    query: z.string(),
    ...searchAnswerShape,
    results: z.array(
      SearchResultSchema.extend({
        content: z.string().optional().describe("The page as readable content, cut to this result's share"),
        content_length: z.number().optional(),
        truncated: z
          .boolean()
          .optional()
          .describe('More content follows; fetch the url with web_fetch and start_index'),
        next_start_index: z.number().optional(),
        fetch_error: ErrorSchema.optional(),
      }),
    ),
    fetch_summary: z.object({ attempted: z.number(), successful: z.number(), failed: z.number() }),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  _meta: PAGE_RESULT_META,
  async handler({ query, max_results, fetch_content, provider }, { deps, signal, logger, outputBudget }) {
    const filters = toFilters({ max_results });
    const outcome = await deps.search.search(query, filters, {
      signal,
      ...(provider ? { only: provider } : {}),
    });
    const answer = searchAnswer(outcome, filters.count, Math.floor(outputBudget / 3));
    if (!fetch_content || answer.results.length === 0) {
      return { query, ...answer, fetch_summary: { attempted: 0, successful: 0, failed: 0 } };
    }
    const pages = await deps.pages();
    const share = Math.max(
      500,
      Math.floor((outputBudget - JSON.stringify(answer).length - 1000) / answer.results.length),
    );
    const fetched = await mapBounded(
      answer.results,
      deps.config.INTERNET_MAX_CONCURRENCY,
      async (result) => pageWindow(await pages.fetchPage({ url: result.url, signal }), 0, share),
      logger,
      signal,
    );
    const results = answer.results.map((result, i) => {
      const f = fetched[i]!;
      if (!f.ok) return { ...result, fetch_error: f.error };
      return {
        ...result,
        content: f.value.content,
        content_length: f.value.content_length,
        truncated: f.value.truncated,
        ...(f.value.next_start_index === undefined ? {} : { next_start_index: f.value.next_start_index }),
      };
    });
    const successful = fetched.filter((f) => f.ok).length;
    return {
      query,
      ...answer,
      results,
      fetch_summary: { attempted: fetched.length, successful, failed: fetched.length - successful },
    };
  },
});
