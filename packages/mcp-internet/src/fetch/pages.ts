import { ToolError } from '@org/mcp-core';
import type { AllowList, Resolver } from './address-guard.js';
import { bodyKind, mimeType, type Converted } from './convert.js';
import { createConverter, type Converter, type ConverterOptions } from './convert-pool.js';
import { createRobotsCheck, type RobotsCheck } from './robots.js';
import { createSafeFetcher, parseTarget, type SafeFetcher } from './safe-fetch.js';

/** A fetched and converted page, whole (the tools cut it into pieces). */
export interface FetchedPage extends Converted {
  url: string;
  final_url: string;
  status_code: number;
  content_type: string;
  /** Bytes of the body as received (after decompression); 0 when it was not read. */
  bytes: number;
  redirects: string[];
  /** When it was fetched (ISO 8601); a cached page keeps its time. */
  fetched_at: string;
}

/** Settings of the page fetcher (from the environment). */
export interface PageFetcherOptions {
  allow: AllowList;
  resolve?: Resolver;
  userAgent: string;
  maxBytes: number;
  timeoutMs: number;
  ignoreRobots: boolean;
  /** How long converted pages (and robots.txt rules) are kept; 0 keeps nothing. */
  cacheTtlMs: number;
  /** @default 64 MiB of text (counted as 2 bytes a character) */
  cacheMaxBytes?: number;
  /** Bounds of the conversion workers (see createConverter). */
  convert?: ConverterOptions;
}

/** One page request. */
export interface PageRequest {
  url: string;
  raw?: boolean;
  /** @default the fetcher's timeout */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Fetches model-supplied URLs safely (see createSafeFetcher), honours robots.txt, converts by
 * content type, and keeps converted pages in process memory (least recently used first out,
 * for cacheTtlMs and at most cacheMaxBytes) so paging through a long page fetches it once.
 */
export function createPageFetcher(options: PageFetcherOptions) {
  const fetcher: SafeFetcher = createSafeFetcher({
    allow: options.allow,
    userAgent: options.userAgent,
    ...(options.resolve ? { resolve: options.resolve } : {}),
  });
  const robots: RobotsCheck | undefined = options.ignoreRobots
    ? undefined
    : createRobotsCheck({
        fetcher,
        userAgent: options.userAgent,
        ttlMs: Math.max(options.cacheTtlMs, 60_000),
      });
  const converter: Converter = createConverter(options.convert);
  const maxCache = options.cacheMaxBytes ?? 64 * 1024 * 1024;
  const cache = new Map<string, { page: FetchedPage; expires: number; size: number }>();
  let cached = 0;

  function remember(key: string, page: FetchedPage): void {
    if (options.cacheTtlMs <= 0) return;
    const size = page.content.length * 2;
    if (size > maxCache) return;
    forget(key);
    cache.set(key, { page, expires: Date.now() + options.cacheTtlMs, size });
    cached += size;
    for (const [oldest, entry] of cache) {
      if (cached <= maxCache) break;
      cache.delete(oldest);
      cached -= entry.size;
    }
  }

  function forget(key: string): void {
    const entry = cache.get(key);
    if (!entry) return;
    cache.delete(key);
    cached -= entry.size;
  }

  async function fetchPage(request: PageRequest): Promise<FetchedPage> {
    const target = parseTarget(request.url);
    const key = `${request.raw ? 'raw' : 'md'} ${target.href}`;
    const hit = cache.get(key);
    if (hit && hit.expires > Date.now()) {
      // Re-inserted: the Map's order is the eviction order.
      cache.delete(key);
      cache.set(key, hit);
      return hit.page;
    }
    forget(key);
    const response = await fetcher.fetch(target, {
      timeoutMs: request.timeoutMs ?? options.timeoutMs,
      ...(request.signal ? { signal: request.signal } : {}),
      ...(robots ? { beforeHop: (url: URL) => robots.check(url, request.signal) } : {}),
    });
    const contentType = response.headers.get('content-type');
    if (response.status < 200 || response.status >= 300) {
      await response.discard();
      throw statusError(response.status, response.finalUrl.href, response.headers.get('retry-after'));
    }
    // The kind is judged by type first; sniffing needs the bytes, so unknown types are read.
    const declared = bodyKind(contentType, new Uint8Array(0));
    let bytes: Uint8Array = new Uint8Array(0);
    let kind = declared;
    if (declared !== 'other' || mimeType(contentType) === 'application/octet-stream') {
      bytes = await response.read(options.maxBytes);
      kind = bodyKind(contentType, bytes);
    } else {
      await response.discard();
    }
    const converted = await converter
      .convert({
        kind,
        bytes,
        contentType,
        pageUrl: response.finalUrl.href,
        raw: request.raw ?? false,
        ...(request.signal ? { signal: request.signal } : {}),
      })
      .catch((error: unknown) => {
        if (error instanceof ToolError || request.signal?.aborted) throw error;
        throw new ToolError(
          'validation',
          `Could not read ${response.finalUrl.href} as ${kind}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    const page: FetchedPage = {
      url: request.url,
      final_url: response.finalUrl.href,
      status_code: response.status,
      content_type: contentType ?? 'unknown',
      bytes: bytes.byteLength,
      redirects: response.redirects,
      fetched_at: new Date().toISOString(),
      ...converted,
    };
    remember(key, page);
    return page;
  }

  return {
    fetchPage,
    /** Pages in the cache now (for tests and --check). */
    cachedPages: () => cache.size,
    /** The conversion workers now (for tests). */
    converterStats: () => converter.stats(),
    close: async () => {
      await Promise.all([fetcher.close(), converter.close()]);
    },
  };
}

/** The page fetcher (see createPageFetcher). */
export type PageFetcher = ReturnType<typeof createPageFetcher>;

function statusError(status: number, url: string, retryAfter: string | null): ToolError {
  const message = `${url} answered HTTP ${status}`;
  if (status === 404 || status === 410) return new ToolError('not_found', message, { statusCode: status });
  if (status === 429) {
    return new ToolError('rate_limited', message, {
      statusCode: status,
      ...(retryAfter ? { hint: `The site asks to wait (Retry-After: ${retryAfter.slice(0, 40)}).` } : {}),
    });
  }
  return new ToolError('http_error', message, { statusCode: status });
}
