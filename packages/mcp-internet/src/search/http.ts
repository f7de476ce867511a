// The one place provider HTTP happens (operator-configured APIs, so not the guarded fetcher).
// Kept to one small function so moving to mcp-core's createHttpClient changes this file only.
import type { ProviderRequest } from './types.js';

/** A provider's answer, whatever its status. */
export interface ProviderAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when it is not JSON. */
  body: unknown;
  text: string;
}

/** Why a request got no answer. */
export class ProviderTransportError extends Error {
  constructor(
    readonly kind: 'timeout' | 'connection',
    message: string,
  ) {
    super(message);
    this.name = 'ProviderTransportError';
  }
}

const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * Sends one request to `baseUrl` + request.path. Never throws with a URL or header in the
 * message (keys stay out of errors); a timeout or network failure is a ProviderTransportError.
 */
export async function sendProviderRequest(
  baseUrl: string,
  request: ProviderRequest,
  options: { timeoutMs: number; userAgent: string; signal?: AbortSignal },
): Promise<ProviderAnswer> {
  const url = new URL(request.path.replace(/^\//, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = { 'user-agent': options.userAgent, ...request.headers };
  // Credentials written into the base URL (a SearXNG behind basic auth) become a header.
  if (url.username || url.password) {
    headers['authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: request.method,
      headers,
      signal,
      ...(request.json === undefined ? {} : { body: JSON.stringify(request.json) }),
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    text = Buffer.from(bytes.subarray(0, MAX_ANSWER_BYTES)).toString('utf8');
  } catch (error) {
    if (options.signal?.aborted) throw error;
    if (timeout.aborted) throw new ProviderTransportError('timeout', `no answer within ${options.timeoutMs / 1000} s`);
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    throw new ProviderTransportError('connection', `could not connect (${typeof code === 'string' ? code : 'network error'})`);
  }
  let body: unknown;
  try {
    body = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}
