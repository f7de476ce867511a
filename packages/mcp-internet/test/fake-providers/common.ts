// What every provider stand-in shares: a local HTTP server that checks each request against the
// provider's documented API (a request the real API would reject is answered with the provider's
// own error and recorded as a violation), answers with its documented shapes, and fails on demand
// with its documented error bodies.
import type { ServerResponse } from 'node:http';
import { sendJson, startFakeHttpServer, type FakeHttpServer, type RecordedRequest } from '@org/mcp-core/testing';

/** A failure a test asks a stand-in to answer with. */
export type Failure = 'rate_limited' | 'quota' | 'server' | 'auth' | 'slow' | 'invalid';

/** A provider stand-in. */
export interface FakeProvider extends FakeHttpServer {
  key: string;
  /** Requests the real API would have rejected, with why; a test expects none. */
  violations: string[];
  /** The next requests (one each) fail this way. */
  failNext(...failures: Failure[]): void;
  /** Requests answered 200. */
  served(): number;
}

/** How a stand-in builds its result items. */
export interface FakeOptions {
  key?: string;
  /** The URL of result i for a query. @default https://example.com/<provider>/<slug>/<i> */
  resultUrl?: (query: string, i: number) => string;
  /** Answer 429 when two requests arrive closer than this (a per-second plan limit). */
  minGapMs?: number;
  /** How long a 'slow' failure waits before answering. @default 3000 */
  slowMs?: number;
}

/** What a stand-in does with a request once common checks pass. */
export interface ProviderBehaviour {
  name: string;
  /** Checks auth and the request; returns why the real API would reject it, or undefined. */
  check(request: RecordedRequest, key: string): { status: number; body: unknown; why: string } | undefined;
  /** The query text of a valid request and the number of results asked for. */
  read(request: RecordedRequest): { query: string; count: number };
  /** A 200 body with `items` results. */
  answer(query: string, items: { title: string; url: string; snippet: string; published: string }[]): unknown;
  /** The provider's documented answer for a failure. */
  fail(failure: Exclude<Failure, 'slow'>, response: ServerResponse): void;
}

const slug = (q: string) => q.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'q';

/** Starts a stand-in with a behaviour. */
export async function startFakeProvider(
  id: string,
  behaviour: ProviderBehaviour,
  options: FakeOptions = {},
): Promise<FakeProvider> {
  const key = options.key ?? `${id}-test-key-0123456789abcdef`;
  const violations: string[] = [];
  const queue: Failure[] = [];
  let served = 0;
  let last = 0;
  const fake = await startFakeHttpServer(async (request, response) => {
    const now = Date.now();
    const gap = now - last;
    last = now;
    const failure = queue.shift();
    if (failure === 'slow') {
      await new Promise((resolve) => setTimeout(resolve, options.slowMs ?? 3000));
    } else if (failure) {
      behaviour.fail(failure, response);
      return;
    }
    const rejected = behaviour.check(request, key);
    if (rejected) {
      if (rejected.status !== 401 && rejected.status !== 403) violations.push(`${behaviour.name}: ${rejected.why}`);
      if (typeof rejected.body === 'string') {
        // Providers without JSON errors (SearXNG) answer an HTML page.
        response.writeHead(rejected.status, { 'content-type': 'text/html; charset=utf-8' });
        response.end(`<!DOCTYPE html><html><body><h1>${rejected.body}</h1></body></html>`);
      } else sendJson(response, rejected.status, rejected.body);
      return;
    }
    if (options.minGapMs !== undefined && gap < options.minGapMs) {
      violations.push(`${behaviour.name}: two requests ${gap} ms apart (the plan allows one per ${options.minGapMs} ms)`);
      behaviour.fail('rate_limited', response);
      return;
    }
    const { query, count } = behaviour.read(request);
    const items = Array.from({ length: count }, (_, i) => ({
      title: `Result ${i + 1} for ${query}`,
      url: options.resultUrl?.(query, i) ?? `https://example.com/${id}/${slug(query)}/${i + 1}`,
      snippet: `Snippet ${i + 1} about ${query} from ${behaviour.name}.`,
      published: `2026-11-${String(10 + i).padStart(2, '0')}T08:00:00Z`,
    }));
    served++;
    sendJson(response, 200, behaviour.answer(query, items));
  });
  return {
    ...fake,
    key,
    violations,
    failNext: (...failures) => queue.push(...failures),
    served: () => served,
  };
}

/** Names of keys of `value` not in `allowed`. */
export function unknownKeys(value: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(value).filter((k) => !allowed.includes(k));
}

/** The JSON body of a request, or undefined when it is not a JSON object. */
export function jsonBody(request: RecordedRequest): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(request.body) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A day as YYYY-MM-DD. */
export const DAY = /^\d{4}-\d{2}-\d{2}$/;
