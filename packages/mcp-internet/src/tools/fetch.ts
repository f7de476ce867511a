import { z } from '@org/mcp-core';
import {
  ErrorSchema,
  FetchResultSchema,
  MAX_BATCH,
  batchList,
  mapBounded,
  pageWindow,
  renderFetch,
  unique,
} from './shared.js';
import { tool } from './tool.js';

// Room left in the output budget for the fields around the content.
const META_CHARS = 1500;

/**
 * Tells a client that keeps large tool results out of the conversation to let pages through
 * whole: a page is cut to MCP_MAX_OUTPUT_CHARS (20000 by default), and the text beside the
 * structured content roughly doubles it. A static value: tools/list is precomputed at build time.
 */
export const PAGE_RESULT_META = { 'anthropic/maxResultSizeChars': 100_000 };

const timeoutField = z
  .number()
  .int()
  .min(0)
  .max(300)
  .nullish()
  .describe('Seconds the whole fetch may take (0 or unset: INTERNET_FETCH_TIMEOUT_SECONDS, default 30)');
const maxLengthField = z
  .number()
  .int()
  .min(1)
  .max(1_000_000)
  .optional()
  .describe(
    'Most characters of content to return (default and upper bound: the output budget, MCP_MAX_OUTPUT_CHARS)',
  );

/** The original's `web_fetch`, with paging as the reference fetch server does it. */
export const webFetch = tool({
  name: 'web_fetch',
  toolset: 'fetch',
  title: 'Fetch a web page',
  description:
    'Fetches one http(s) URL and returns its content: HTML as readable Markdown (main content, absolute links, title/byline/published), JSON pretty-printed, text as is, PDF as text; other types (images, archives) as metadata only. Long content comes in windows: when truncated is true, call again with start_index = next_start_index (the page is kept in memory for a while, not refetched). Only public addresses are reached; robots.txt is honoured. raw: true returns HTML source instead of Markdown.',
  input: z.object({
    url: z.string().min(1).max(8192).describe('An absolute http or https URL'),
    timeout: timeoutField,
    max_length: maxLengthField,
    start_index: z.number().int().min(0).default(0).describe('Character offset to start from (default 0)'),
    raw: z.boolean().default(false).describe('Return HTML source instead of converting it to Markdown'),
  }),
  output: FetchResultSchema,
  annotations: { readOnlyHint: true, openWorldHint: true },
  _meta: PAGE_RESULT_META,
  async handler({ url, timeout, max_length, start_index, raw }, { deps, signal, outputBudget }) {
    const pages = await deps.pages();
    const page = await pages.fetchPage({
      url,
      raw,
      signal,
      ...(timeout ? { timeoutMs: timeout * 1000 } : {}),
    });
    const room = Math.max(1000, outputBudget - META_CHARS);
    return pageWindow(page, start_index, Math.min(max_length ?? room, room));
  },
  render: (result) => renderFetch(result),
});

/** The original's `batch_fetch_urls`: bounded, de-duplicated, in input order, one answer per URL. */
export const batchFetchUrls = tool({
  name: 'batch_fetch_urls',
  toolset: 'fetch',
  title: 'Fetch several web pages',
  description: `Fetches up to ${MAX_BATCH} URLs (repeats dropped) a few at a time and answers in input order, one result or error per URL; one bad URL never fails the call. Each page gets an equal share of the output budget unless max_length is smaller; page on with web_fetch and start_index. Same conversion and safety rules as web_fetch.`,
  input: z.object({
    urls: batchList(z.string().min(1).max(8192), (u) => u.trim(), 'URLs').describe(
      `URLs to fetch, at most ${MAX_BATCH} (a JSON array, or the same as a JSON string)`,
    ),
    timeout: timeoutField,
    max_length: maxLengthField.describe(
      'Most characters of content per page (default: an equal share of the output budget)',
    ),
  }),
  output: z.object({
    results: z.array(
      z.object({
        url: z.string(),
        ok: z.boolean(),
        result: FetchResultSchema.optional(),
        error: ErrorSchema.optional(),
      }),
    ),
    total: z.number(),
    successful: z.number(),
    failed: z.number(),
    duplicates_removed: z.number(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  _meta: PAGE_RESULT_META,
  async handler({ urls, timeout, max_length }, { deps, signal, logger, outputBudget, progress }) {
    const { items, duplicates } = unique(urls, (u) => u.trim());
    const pages = await deps.pages();
    const share = Math.max(500, Math.floor((outputBudget - META_CHARS) / items.length) - 600);
    let done = 0;
    const answers = await mapBounded(
      items,
      deps.config.INTERNET_MAX_CONCURRENCY,
      async (url) => {
        try {
          return pageWindow(
            await pages.fetchPage({ url, signal, ...(timeout ? { timeoutMs: timeout * 1000 } : {}) }),
            0,
            Math.min(max_length ?? share, share),
          );
        } finally {
          progress(++done, items.length, url);
        }
      },
      logger,
      signal,
    );
    const results = answers.map((a, i) =>
      a.ok ? { url: items[i]!, ok: true, result: a.value } : { url: items[i]!, ok: false, error: a.error },
    );
    const successful = results.filter((r) => r.ok).length;
    return {
      results,
      total: results.length,
      successful,
      failed: results.length - successful,
      duplicates_removed: duplicates,
    };
  },
});
