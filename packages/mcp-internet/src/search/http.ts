// The one place provider HTTP happens (operator-configured APIs, so not the guarded fetcher), on
// mcp-core's HTTP client: its pacing (per provider, shared through Redis when configured), size
// cap, timeouts and secret scrubbing. It makes no retries of its own: the next provider is the retry.
import { ToolError, createHttpClient, type HttpClient, type Pacer } from '@org/mcp-core';
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

/** The client of one provider: `baseUrl` (credentials written into it become basic auth). */
export function createProviderClient(
  baseUrl: string,
  options: { name: string; timeoutMs: number; userAgent: string; pacer: Pacer; secrets: readonly string[] },
): HttpClient {
  const url = new URL(baseUrl);
  // Credentials written into the base URL (a SearXNG behind basic auth) become a header.
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return createHttpClient({
    baseUrl: url.href,
    vendor: options.name,
    ...(username || password ? { auth: { type: 'basic' as const, username, password } } : {}),
    timeoutMs: options.timeoutMs,
    retries: 0,
    pacer: options.pacer,
    maxResponseBytes: MAX_ANSWER_BYTES,
    userAgent: options.userAgent,
    secrets: options.secrets,
  });
}

/**
 * Sends one request. Never throws with a URL or header in the message (keys stay out of
 * errors); a timeout, network failure or oversized answer is a ProviderTransportError.
 */
export async function sendProviderRequest(
  client: HttpClient,
  request: ProviderRequest,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<ProviderAnswer> {
  let answer: { status: number; headers: Headers; data: string };
  try {
    answer = await client.request<string>({
      method: request.method,
      path: request.path,
      ...(request.query ? { query: request.query } : {}),
      ...(request.json === undefined ? {} : { json: request.json }),
      headers: request.headers,
      responseType: 'text',
      throwHttpErrors: false,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const type = error instanceof ToolError ? error.type : undefined;
    if (type === 'timeout') {
      throw new ProviderTransportError('timeout', `no answer within ${options.timeoutMs / 1000} s`);
    }
    throw new ProviderTransportError(
      'connection',
      type === 'http_error' ? 'the answer is over the 4 MiB limit' : 'could not connect (network error)',
    );
  }
  let body: unknown;
  try {
    body = answer.data ? (JSON.parse(answer.data) as unknown) : undefined;
  } catch {
    body = undefined;
  }
  return { status: answer.status, headers: answer.headers, body, text: answer.data };
}
