import type { KyInstance } from 'ky';
import { ToolError, type ErrorType } from '../errors.js';
import type { Logger } from '../logger.js';
import { createPacer, type Pacer } from './pacer.js';
import {
  DEFAULT_RETRY_POLICY,
  serverWaitMs,
  withRetry,
  type RetryFailure,
  type RetryPolicy,
} from './retry.js';

/** How a client authenticates; the value is sent as a header and never logged or shown. */
export type HttpAuth =
  | { type: 'basic'; username: string; password: string }
  | { type: 'bearer'; token: string }
  | { type: 'header'; name: string; value: string };

/** What a vendor's error body says, as a server's `parseError` reads it. */
export interface VendorError {
  /** The vendor's message (plain text; no HTML, no stack trace). */
  message?: string | undefined;
  /** Field name → message, for validation errors. */
  fields?: Record<string, string> | undefined;
  /** Overrides the type the status implies (e.g. GitHub's 403 that is a rate limit). */
  type?: ErrorType | undefined;
}

export interface HttpClientOptions {
  /** Origin (and base path) every request path is resolved against. */
  baseUrl: string;
  /** The vendor's name, the prefix of every error message: "Jira: Issue does not exist". */
  vendor: string;
  auth?: HttpAuth;
  /** Per request, including reading the body. @default 30000 */
  timeoutMs?: number;
  /** Retries of idempotent requests. @default 2 */
  retries?: number;
  /** Minimum time between the starts of two requests of this client (a rate limit). @default 0 */
  minIntervalMs?: number;
  /** Paces request starts instead of `minIntervalMs` (e.g. a pacer shared through Redis: createPacer). */
  pacer?: Pacer;
  /** A server-named wait above this answers rate_limited at once. @default 60000 */
  maxRetryWaitMs?: number;
  /** First backoff step (tests shrink it). @default 500 */
  retryBaseMs?: number;
  /** Largest response body read, in bytes. @default 20 MiB */
  maxResponseBytes?: number;
  userAgent?: string;
  headers?: Record<string, string>;
  logger?: Logger;
  /** Reads the vendor's error body (parsed JSON, or text) into a message and field errors. */
  parseError?(body: unknown, response: { status: number; headers: Headers }): VendorError | undefined;
  /** An undici Dispatcher (e.g. an SSRF-guarding agent), passed to fetch. */
  dispatcher?: unknown;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Values replaced by [redacted] in every error message (the auth values always are). */
  secrets?: readonly string[];
}

export interface HttpRequest {
  method: string;
  /** Resolved against baseUrl; a full http(s) URL is used as is. */
  path: string;
  query?: Record<string, string | number | boolean | undefined | null | readonly (string | number)[]>;
  json?: unknown;
  body?: string | Uint8Array | FormData | URLSearchParams;
  headers?: Record<string, string>;
  /** Aborted when the tool call is cancelled. */
  signal?: AbortSignal;
  /** @default 'json' (an empty body reads as undefined) */
  responseType?: 'json' | 'text' | 'bytes';
  timeoutMs?: number;
  retries?: number;
  /**
   * false: an error status (once the retries are spent) resolves as a response with that status
   * and its body, for callers that decide themselves (a fallback to another provider).
   * Transport failures still throw. @default true
   */
  throwHttpErrors?: boolean;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  data: T;
}

/** An HTTP client with the house retry policy, pacing, auth and error mapping. */
export interface HttpClient {
  request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>>;
}

const STATUS_TYPES: Record<number, ErrorType> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  422: 'validation',
  429: 'rate_limited',
};

/** The HTTP status behind an error (a ky HTTPError, an Octokit RequestError, a ToolError), if any. */
export function httpStatus(error: unknown): number | undefined {
  if (error instanceof ToolError) return error.statusCode;
  if (typeof error !== 'object' || error === null) return undefined;
  const status =
    (error as { status?: unknown }).status ?? (error as { response?: { status?: unknown } }).response?.status;
  return typeof status === 'number' ? status : undefined;
}

const NETWORK_CODES =
  /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|ETIMEDOUT|UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT|UND_ERR_CLOSED)$/;

/** True for a failure to reach the server at all (refused, reset, DNS), as fetch reports it. */
export function isNetworkError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.test(code)) return true;
  }
  return error instanceof TypeError && /fetch failed|terminated|other side closed/i.test(error.message);
}

/** An attempt answered with an error status (read in full), for the retry loop to classify. */
class StatusFailure extends Error {
  constructor(
    readonly response: Response,
    readonly bytes: Uint8Array,
  ) {
    super(`HTTP ${response.status}`);
  }
}

/** An attempt got no answer: a timeout, or the server could not be reached. */
class TransportFailure extends Error {
  constructor(readonly timedOut: boolean) {
    super(timedOut ? 'timed out' : 'unreachable');
  }
}

function authHeader(auth: HttpAuth | undefined): [string, string] | undefined {
  if (!auth) return undefined;
  if (auth.type === 'basic') {
    return ['authorization', `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`];
  }
  if (auth.type === 'bearer') return ['authorization', `Bearer ${auth.token}`];
  return [auth.name.toLowerCase(), auth.value];
}

async function readBody(response: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await response.body?.cancel();
    throw new RangeError(`response body of ${declared} bytes is over the ${limit}-byte limit`);
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new RangeError(`response body is over the ${limit}-byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function parseBody(bytes: Uint8Array, type: string | null): unknown {
  const text = Buffer.from(bytes).toString('utf8');
  if (text.trim() === '') return undefined;
  if (type?.includes('json') || /^\s*[[{"]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function decode<T>(bytes: Uint8Array, response: Response, request: HttpRequest): T {
  const type = request.responseType ?? 'json';
  return (
    type === 'bytes'
      ? bytes
      : type === 'text'
        ? Buffer.from(bytes).toString('utf8')
        : parseBody(bytes, response.headers.get('content-type'))
  ) as T;
}

/** Plain text of a vendor message: no HTML, no stack trace, bounded. */
function cleanMessage(text: string): string {
  const plain = text
    .replace(/<[^>]*>/g, ' ')
    .split('\n')
    .filter((line) => !/^\s+at\s|Traceback|File ".*", line \d+/.test(line))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > 500 ? `${plain.slice(0, 500)}…` : plain;
}

/**
 * An HTTP client on ky: keep-alive connections (Node's fetch pools them), a timeout per request,
 * the caller's AbortSignal, auth injected as a header, an optional minimum interval between
 * requests (createPacer: timers, not a busy wait; or a `pacer` shared through Redis), and the
 * retry policy of retry.ts (withRetry): idempotent
 * requests only, on connection failures, timeouts, 408/429/5xx, never sooner than the server
 * asked and never past `maxRetryWaitMs`. Every failure is a ToolError by kind; messages carry
 * the vendor's words (via `parseError`) but never the credentials, HTML or a stack trace;
 * `throwHttpErrors: false` hands an error status back to the caller instead.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    retries: options.retries ?? DEFAULT_RETRY_POLICY.retries,
    baseMs: options.retryBaseMs ?? DEFAULT_RETRY_POLICY.baseMs,
    maxWaitMs: options.maxRetryWaitMs ?? DEFAULT_RETRY_POLICY.maxWaitMs,
  };
  const vendor = options.vendor;
  const auth = authHeader(options.auth);
  const limit = options.maxResponseBytes ?? 20 * 1024 * 1024;
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  // ky is imported at the first request, not with this module: evaluating it reads
  // globalThis.Request, which makes Node load its fetch (undici, ~20 ms) in every server's start.
  let kyClient: Promise<KyInstance> | undefined;
  const client = () =>
    (kyClient ??= import('ky').then(({ default: ky }) =>
      ky.create({
        retry: 0,
        timeout: false,
        throwHttpErrors: false,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        headers: {
          ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
          ...options.headers,
          ...(auth ? { [auth[0]]: auth[1] } : {}),
        },
      }),
    ));
  const pace = options.pacer ?? createPacer(options.minIntervalMs ?? 0);
  const secrets = [
    ...(options.secrets ?? []),
    ...(options.auth?.type === 'basic' ? [options.auth.password] : []),
    ...(options.auth?.type === 'bearer' ? [options.auth.token] : []),
    ...(options.auth?.type === 'header' ? [options.auth.value] : []),
  ].filter((value) => value.length >= 4);
  const scrub = (text: string) => secrets.reduce((t, value) => t.split(value).join('[redacted]'), text);

  const failure = (status: number, headers: Headers, body: unknown): ToolError => {
    const vendorError = options.parseError?.(body, { status, headers });
    const fields =
      vendorError?.fields && Object.keys(vendorError.fields).length > 0 ? vendorError.fields : undefined;
    const said =
      vendorError?.message ??
      (typeof body === 'string' && !/^\s*</.test(body) ? body : undefined) ??
      `HTTP ${status}`;
    const detail = [
      cleanMessage(said),
      ...(fields ? Object.entries(fields).map(([k, v]) => `${k}: ${cleanMessage(v)}`) : []),
    ]
      .filter(Boolean)
      .join('; ');
    const type: ErrorType =
      vendorError?.type ?? STATUS_TYPES[status] ?? (status >= 500 ? 'http_error' : 'http_error');
    const wait = serverWaitMs(headers);
    const retryAfterS = type === 'rate_limited' && wait !== undefined ? Math.ceil(wait / 1000) : undefined;
    return new ToolError(type, scrub(`${vendor}: ${detail}`), {
      statusCode: status,
      ...(retryAfterS !== undefined ? { retryAfterS } : {}),
      ...(type === 'rate_limited'
        ? {
            hint: `${vendor} rate limit: retry${retryAfterS !== undefined ? ` in ${retryAfterS} s` : ' later'}.`,
          }
        : type === 'unauthorized'
          ? { hint: `Check the ${vendor} credentials the server was configured with.` }
          : {}),
    });
  };

  return {
    async request<T>(request: HttpRequest): Promise<HttpResponse<T>> {
      const method = request.method.toUpperCase();
      const url = /^https?:\/\//i.test(request.path)
        ? new URL(request.path)
        : new URL(request.path.replace(/^\//, ''), base);
      for (const [key, value] of Object.entries(request.query ?? {})) {
        if (value === undefined || value === null) continue;
        if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, String(v));
        else url.searchParams.set(key, String(value));
      }
      const timeoutMs = request.timeoutMs ?? options.timeoutMs ?? 30_000;
      const localPolicy = request.retries === undefined ? policy : { ...policy, retries: request.retries };
      const attempt = async (n: number): Promise<HttpResponse<T>> => {
        await pace(request.signal);
        const timeout = AbortSignal.timeout(timeoutMs);
        const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
        let response: Response;
        let bytes: Uint8Array;
        try {
          const ky = await client();
          response = await ky(url, {
            method,
            signal,
            ...(request.json !== undefined ? { json: request.json } : {}),
            ...(request.body !== undefined ? { body: request.body } : {}),
            ...(request.headers ? { headers: request.headers } : {}),
            ...(options.dispatcher ? ({ dispatcher: options.dispatcher } as object) : {}),
          });
          bytes = await readBody(response, limit);
        } catch (error) {
          if (request.signal?.aborted) throw request.signal.reason ?? error;
          if (error instanceof RangeError) {
            throw new ToolError('http_error', `${vendor}: ${error.message}`, { retryable: false });
          }
          const timedOut = timeout.aborted;
          if (!timedOut && !isNetworkError(error)) throw error;
          options.logger?.debug(
            { method, path: url.pathname, attempt: n, timedOut },
            `${vendor} request failed`,
          );
          throw new TransportFailure(timedOut);
        }
        if (response.status < 400)
          return {
            status: response.status,
            headers: response.headers,
            data: decode<T>(bytes, response, request),
          };
        options.logger?.debug(
          { method, path: url.pathname, status: response.status, attempt: n },
          `${vendor} answered an error`,
        );
        throw new StatusFailure(response, bytes);
      };
      const classify = (error: unknown): RetryFailure | undefined =>
        error instanceof StatusFailure
          ? { method, status: error.response.status, headers: error.response.headers }
          : error instanceof TransportFailure
            ? { method, networkError: true }
            : undefined;
      const giveUp = (error: unknown, info: { tooLong?: { waitMs: number } }): unknown => {
        if (error instanceof TransportFailure) {
          return error.timedOut
            ? new ToolError('timeout', `${vendor}: no answer within ${Math.round(timeoutMs / 1000)} s`, {
                hint: 'Retry; a request that changes something may or may not have been applied.',
              })
            : new ToolError('connection', `${vendor}: cannot reach ${url.host}`, {
                hint: 'Check the URL the server was configured with and the network.',
              });
        }
        if (!(error instanceof StatusFailure)) return error;
        if (request.throwHttpErrors === false) return error;
        const { status, headers } = error.response;
        const failed = failure(status, headers, parseBody(error.bytes, headers.get('content-type')));
        if (info.tooLong && failed.type !== 'rate_limited') {
          const waitS = Math.ceil(info.tooLong.waitMs / 1000);
          return new ToolError('rate_limited', failed.message, {
            statusCode: status,
            retryAfterS: waitS,
            hint: `${vendor} asks to wait ${waitS} s before retrying.`,
          });
        }
        return failed;
      };
      try {
        return await withRetry(attempt, classify, localPolicy, request.signal, { giveUp });
      } catch (error) {
        if (!(error instanceof StatusFailure)) throw error;
        const { status, headers } = error.response;
        return { status, headers, data: decode<T>(error.bytes, error.response, request) };
      }
    },
  };
}
