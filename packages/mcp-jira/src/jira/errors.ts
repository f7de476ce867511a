import { ToolError, type ErrorType } from '@org/mcp-core';
import { parseRetryAfter } from './retry.js';

/** Jira's error body: `errorMessages` and field `errors` (or, from gateways, plain text). */
export interface JiraErrorBody {
  messages: string[];
  fields: Record<string, string>;
}

/** Reads Jira's error body from a response's data (object, JSON text, bytes or plain text). */
export function parseJiraError(data: unknown): JiraErrorBody {
  let body = data;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body))
    body = Buffer.from(body as ArrayBuffer).toString('utf8');
  if (typeof body === 'string') {
    const raw: string = body;
    try {
      body = JSON.parse(raw) as unknown;
    } catch {
      const text = raw
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 300);
      return { messages: text ? [text] : [], fields: {} };
    }
  }
  const out: JiraErrorBody = { messages: [], fields: {} };
  if (!body || typeof body !== 'object') return out;
  const o = body as { errorMessages?: unknown; errors?: unknown; message?: unknown };
  if (Array.isArray(o.errorMessages)) out.messages.push(...o.errorMessages.map(String));
  if (typeof o.message === 'string') out.messages.push(o.message);
  if (o.errors && typeof o.errors === 'object') {
    for (const [k, v] of Object.entries(o.errors as Record<string, unknown>)) out.fields[k] = String(v);
  }
  return out;
}

/** The HTTP status of a jira.js failure, or undefined for anything else. */
export function httpStatus(error: unknown): number | undefined {
  const e = error as { name?: string; status?: unknown; response?: { status?: unknown } } | undefined;
  if (e?.name === 'HttpException' && typeof e.status === 'number') return e.status;
  if (typeof e?.response?.status === 'number') return e.response.status;
  return undefined;
}

/** The response body and headers behind a jira.js HttpException (its cause is the AxiosError). */
function responseOf(error: unknown): { data: unknown; headers: Record<string, unknown> } | undefined {
  const e = error as {
    cause?: { response?: { data?: unknown; headers?: Record<string, unknown> } };
    response?: unknown;
  };
  const r = e?.cause?.response;
  if (r) return { data: r.data, headers: r.headers ?? {} };
  return undefined;
}

/** The Jira error body behind a failure, when there is one. */
export function jiraErrorBody(error: unknown): JiraErrorBody | undefined {
  const r = responseOf(error);
  return r ? parseJiraError(r.data) : undefined;
}

const BY_STATUS: Record<number, ErrorType> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  422: 'validation',
  429: 'rate_limited',
};

const HINTS: Partial<Record<ErrorType, string>> = {
  unauthorized: 'Check JIRA_EMAIL and JIRA_API_TOKEN (an API token of that Atlassian account).',
  forbidden: 'The account lacks a Jira permission for this (for example Browse projects or Edit issues).',
  rate_limited: 'Jira is rate limiting this account; wait before retrying.',
};

/**
 * Turns a jira.js or axios failure into the error envelope: the status's type, Jira's own
 * messages ("Jira: Issue does not exist…" plus "field: message" pairs), retryability and hints.
 * Returns undefined for anything that is not a request failure.
 */
export function toToolError(error: unknown): ToolError | undefined {
  if (error instanceof ToolError) return error;
  const status = httpStatus(error);
  if (status !== undefined) {
    const body = jiraErrorBody(error) ?? { messages: [], fields: {} };
    const parts = [...body.messages, ...Object.entries(body.fields).map(([k, v]) => `${k}: ${v}`)].filter(
      Boolean,
    );
    const text = parts.length ? parts.join(' | ') : `HTTP ${status}`;
    const type: ErrorType = BY_STATUS[status] ?? (status === 503 ? 'unavailable' : 'http_error');
    let hint = HINTS[type];
    if (status === 429) {
      const after = parseRetryAfter(String(responseOf(error)?.headers['retry-after'] ?? '') || undefined);
      if (after !== undefined)
        hint = `Jira asks to wait ${Math.ceil(after)} s before retrying (Retry-After).`;
    }
    if (status === 410) hint = 'Jira removed this API; the server must use its replacement.';
    return new ToolError(type, `Jira: ${text}`.slice(0, 2000), {
      statusCode: status,
      ...(hint ? { hint } : {}),
      cause: error,
    });
  }
  const e = error as { isAxiosError?: boolean; code?: string; name?: string; message?: string };
  if (e?.name === 'CanceledError' || e?.code === 'ERR_CANCELED') {
    return new ToolError('timeout', 'Jira: the request was cancelled', { retryable: true });
  }
  if (e?.isAxiosError || e?.name === 'AxiosError') {
    if (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT') {
      return new ToolError('timeout', 'Jira: the request timed out', {
        hint: 'Raise JIRA_TIMEOUT (seconds) if Jira is slow; a write that timed out may still have happened.',
      });
    }
    return new ToolError('connection', `Jira: could not reach the server (${e.code ?? 'network error'})`, {
      hint: 'Check JIRA_BASE_URL and the network.',
    });
  }
  return undefined;
}
