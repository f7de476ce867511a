import type { Socket } from 'node:net';
import { ToolError } from '@org/mcp-core';
import { Agent, buildConnector, fetch as undiciFetch, type Response } from 'undici';
import {
  BlockedAddressError,
  checkAddress,
  checkSocket,
  checkedLookup,
  isIpLiteral,
  systemResolver,
  type AllowList,
  type Resolver,
} from './address-guard.js';

/** Settings of a safe fetcher. */
export interface SafeFetchOptions {
  allow: AllowList;
  /** @default the system resolver */
  resolve?: Resolver;
  /** Sent on every request. */
  userAgent: string;
  /** @default 5 */
  maxRedirects?: number;
}

/** One request through the fetcher. */
export interface SafeRequest {
  /** The whole exchange (every hop and the body read) must finish within this. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Extra request headers; Authorization, Cookie and Proxy-Authorization never leave the first origin. */
  headers?: Record<string, string>;
  /** Called before each hop (the first URL included), e.g. to check robots.txt for its origin. */
  beforeHop?(url: URL): Promise<void>;
  /** @default 'text/html,application/xhtml+xml,application/json,text/plain;q=0.9,application/pdf;q=0.8,*\/*;q=0.5' */
  accept?: string;
}

/** An answer with its body not yet read. */
export interface SafeResponse {
  finalUrl: URL;
  status: number;
  headers: Headers;
  /** Every URL redirected to, in order. */
  redirects: string[];
  /**
   * Reads the body, at most maxBytes after decompression; past that a clear error, or with
   * `truncate` the first maxBytes (the rest is not read).
   */
  read(maxBytes: number, options?: { truncate?: boolean }): Promise<Uint8Array>;
  /** Drops the body unread. */
  discard(): Promise<void>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const SENSITIVE = ['authorization', 'cookie', 'proxy-authorization'];

/** A fetcher for model-supplied URLs: every connection goes only to allowed addresses. */
export interface SafeFetcher {
  fetch(url: string | URL, request: SafeRequest): Promise<SafeResponse>;
  close(): Promise<void>;
}

/**
 * Creates a fetcher whose every connection is checked where it is made: names are resolved by
 * a lookup that refuses non-public answers (and pins the connection to what it checked), IP
 * literals (which skip lookup) are checked before connecting, and the socket's peer address is
 * checked again once connected. Because this is the connector of the one undici Agent used,
 * every redirect hop is covered; redirects are followed by hand (at most 5, http/https only).
 */
export function createSafeFetcher(options: SafeFetchOptions): SafeFetcher {
  const allow = options.allow;
  const base = buildConnector({ lookup: checkedLookup(allow, options.resolve ?? systemResolver) });
  const agent = new Agent({
    connect(connectOptions, callback) {
      const host = connectOptions.hostname;
      try {
        if (isIpLiteral(host)) checkAddress(host, host, allow);
      } catch (error) {
        callback(error as Error, null);
        return;
      }
      base(connectOptions, (error, socket) => {
        if (error) return callback(error, null);
        try {
          checkSocket(host, socket as Socket, allow);
        } catch (blocked) {
          return callback(blocked as Error, null);
        }
        callback(null, socket);
      });
    },
    // A page may keep a connection for later hops; a short idle time keeps few sockets around.
    keepAliveTimeout: 4000,
  });
  const maxRedirects = options.maxRedirects ?? 5;

  async function fetchSafe(input: string | URL, request: SafeRequest): Promise<SafeResponse> {
    let url = parseTarget(String(input));
    const first = url.origin;
    const timeout = AbortSignal.timeout(request.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const redirects: string[] = [];
    const fail = (error: unknown): never => {
      throw fetchError(error, url, request.timeoutMs, timeout, request.signal);
    };
    for (let hop = 0; ; hop++) {
      await request.beforeHop?.(url);
      const headers: Record<string, string> = {
        'user-agent': options.userAgent,
        accept:
          request.accept ??
          'text/html,application/xhtml+xml,application/json,text/plain;q=0.9,application/pdf;q=0.8,*/*;q=0.5',
      };
      for (const [name, value] of Object.entries(request.headers ?? {})) {
        if (url.origin !== first && SENSITIVE.includes(name.toLowerCase())) continue;
        headers[name.toLowerCase()] = value;
      }
      let response: Response;
      try {
        response = await undiciFetch(url, { dispatcher: agent, redirect: 'manual', headers, signal });
      } catch (error) {
        return fail(error);
      }
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || location === null) {
        return answer(response, url, redirects, signal, (error) => fail(error));
      }
      await response.body?.cancel().catch(() => undefined);
      if (hop >= maxRedirects) {
        throw new ToolError(
          'http_error',
          `Too many redirects (more than ${maxRedirects}) from ${String(input)}`,
          {
            statusCode: response.status,
            retryable: false,
          },
        );
      }
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new ToolError('http_error', `${url.href} redirected to an invalid URL`, { retryable: false });
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new ToolError(
          'forbidden',
          `${url.href} redirected to ${next.protocol} URL; only http and https are fetched`,
        );
      }
      next.username = '';
      next.password = '';
      redirects.push(next.href);
      url = next;
    }
  }

  return { fetch: fetchSafe, close: () => agent.close() };
}

/** Parses a model-supplied URL: absolute http(s) without credentials. */
export function parseTarget(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw ToolError.validation(
      `Not a valid URL: ${JSON.stringify(input.slice(0, 200))}`,
      'Give an absolute http or https URL.',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw ToolError.validation(`Only http and https URLs are fetched, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw ToolError.validation('URLs with a user name or password are not fetched');
  }
  url.hash = '';
  return url;
}

function answer(
  response: Response,
  url: URL,
  redirects: string[],
  signal: AbortSignal,
  fail: (error: unknown) => never,
): SafeResponse {
  return {
    finalUrl: url,
    status: response.status,
    headers: response.headers as unknown as Headers,
    redirects,
    async discard() {
      await response.body?.cancel().catch(() => undefined);
    },
    async read(maxBytes, { truncate = false } = {}) {
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (declared > maxBytes && !truncate) {
        await response.body?.cancel().catch(() => undefined);
        throw tooLarge(url, maxBytes, `it declares ${declared} bytes`);
      }
      if (!response.body) return new Uint8Array(0);
      const chunks: Uint8Array[] = [];
      let size = 0;
      const reader = response.body.getReader();
      try {
        for (;;) {
          if (signal.aborted) throw signal.reason;
          const { done, value } = await reader.read();
          if (done) break;
          size += value.byteLength;
          if (size > maxBytes) {
            await reader.cancel().catch(() => undefined);
            if (!truncate) throw tooLarge(url, maxBytes, 'its body is longer');
            chunks.push(value.subarray(0, value.byteLength - (size - maxBytes)));
            size = maxBytes;
            break;
          }
          chunks.push(value);
        }
      } catch (error) {
        if (error instanceof ToolError) throw error;
        return fail(error);
      }
      return Buffer.concat(chunks, size);
    },
  };
}

function tooLarge(url: URL, maxBytes: number, why: string): ToolError {
  return new ToolError('validation', `${url.href} is larger than the ${maxBytes}-byte limit: ${why}`, {
    hint: 'The operator can raise INTERNET_MAX_FETCH_BYTES.',
  });
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (
    let e = error;
    e !== undefined && e !== null && chain.length < 8;
    e = (e as { cause?: unknown }).cause
  ) {
    chain.push(e);
  }
  return chain;
}

/** Maps what undici threw for a request to a ToolError. */
function fetchError(
  error: unknown,
  url: URL,
  timeoutMs: number,
  timeout: AbortSignal,
  callerSignal: AbortSignal | undefined,
): unknown {
  if (error instanceof ToolError) return error;
  const chain = causes(error);
  const blocked = chain.find((e): e is BlockedAddressError => e instanceof BlockedAddressError);
  if (blocked) {
    return new ToolError('forbidden', blocked.message, {
      hint: 'Loopback, private, link-local and other non-public ranges are refused. The operator can allow intranet hosts with INTERNET_FETCH_ALLOW_HOSTS.',
    });
  }
  if (callerSignal?.aborted) return callerSignal.reason ?? error;
  if (timeout.aborted) {
    return new ToolError('timeout', `Fetching ${url.href} took longer than ${timeoutMs / 1000} s`);
  }
  const code = chain
    .map((e) => (e as { code?: unknown }).code)
    .find((c): c is string => typeof c === 'string');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ToolError('connection', `Could not resolve ${url.hostname}`, {
      retryable: code === 'EAI_AGAIN',
    });
  }
  const detail = code ?? (chain.at(-1) instanceof Error ? (chain.at(-1) as Error).message : 'unknown error');
  return new ToolError('connection', `Could not fetch ${url.href}: ${detail}`);
}
