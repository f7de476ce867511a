import type { ErrorType, VendorError } from '@org/mcp-core';

/** Frappe exception classes (`exc_type`) whose meaning is sharper than their HTTP status. */
const TYPE_BY_EXCEPTION: Record<string, ErrorType> = {
  ValidationError: 'validation',
  MandatoryError: 'validation',
  LinkValidationError: 'validation',
  InvalidStatusError: 'validation',
  DataError: 'validation',
  CharacterLengthExceededError: 'validation',
  PermissionError: 'forbidden',
  DoesNotExistError: 'not_found',
  PageDoesNotExistError: 'not_found',
  DuplicateEntryError: 'conflict',
  UniqueValidationError: 'conflict',
  NameError: 'conflict',
  TimestampMismatchError: 'conflict',
  DocstatusTransitionError: 'conflict',
  LinkExistsError: 'conflict',
  CannotChangeConstantError: 'conflict',
  UpdateAfterSubmitError: 'conflict',
  // frappe/model/workflow.py: all ValidationError (417), meaning sharper than that.
  WorkflowStateError: 'validation',
  WorkflowTransitionError: 'conflict',
  WorkflowPermissionError: 'forbidden',
  AuthenticationError: 'unauthorized',
  SessionExpired: 'unauthorized',
  CSRFTokenError: 'unauthorized',
  TooManyRequestsError: 'rate_limited',
  RateLimitExceededError: 'rate_limited',
  InReadOnlyMode: 'unavailable',
  SessionBootFailed: 'unavailable',
  QueryTimeoutError: 'timeout',
};

const TYPE_BY_STATUS: Record<number, ErrorType> = {
  417: 'validation',
  503: 'unavailable',
};

/** Text that is (part of) a Python traceback or a server-side stack: never shown to the model. */
const TRACEBACK = /Traceback \(most recent call last\)|^\s*File ".*", line \d+|\n\s+at\s/m;

/** Plain text of a Frappe message: tags removed, entities decoded, whitespace collapsed. */
export function plainText(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The messages of `_server_messages`: a JSON string holding a list of JSON strings, each an
 * object `{message, title, indicator, raise_exception}` (or, on old sites, a bare string).
 */
export function serverMessages(raw: unknown): string[] {
  const list = typeof raw === 'string' ? parseJson(raw) : raw;
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const item of list) {
    const entry = typeof item === 'string' ? (parseJson(item) ?? item) : item;
    const message =
      typeof entry === 'string'
        ? entry
        : entry && typeof entry === 'object' && typeof (entry as { message?: unknown }).message === 'string'
          ? (entry as { message: string }).message
          : undefined;
    if (message && !TRACEBACK.test(message)) out.push(plainText(message));
  }
  return out.filter(Boolean);
}

/** `frappe.exceptions.ValidationError: Customer is mandatory` → the part after the class. */
function exceptionLine(raw: unknown): { type?: string; message?: string } {
  if (typeof raw !== 'string' || TRACEBACK.test(raw)) return {};
  const line = raw.split('\n').find((l) => l.trim() !== '') ?? '';
  const match = /^(?:[\w.]+\.)?(\w+)(?::\s*(.*))?$/.exec(line.trim());
  if (!match) return {};
  return { type: match[1], ...(match[2] ? { message: plainText(match[2]) } : {}) };
}

const unique = (items: string[]) => [...new Set(items)];

/**
 * Reads a Frappe error body into a message and a type. v1 bodies carry `exc_type`, `exception`,
 * `_server_messages` and `_error_message`; v2 bodies carry `errors: [{type, message, exception}]`.
 * `exc` (the traceback list) is never read, nor is HTML: a body without a usable message becomes
 * the exception class or the status, so no traceback reaches a tool result.
 */
export function parseFrappeError(body: unknown, response: { status: number }): VendorError {
  let excType: string | undefined;
  let messages: string[] = [];
  // A bare list of error objects (as bulk answers carry them) reads as a v2 `errors` list.
  if (Array.isArray(body)) body = { errors: body };
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (Array.isArray(b['errors'])) {
      for (const e of b['errors'] as unknown[]) {
        if (typeof e === 'string') {
          if (!TRACEBACK.test(e)) messages.push(plainText(e));
          continue;
        }
        if (!e || typeof e !== 'object') continue;
        const err = e as { type?: unknown; message?: unknown; exception?: unknown };
        if (typeof err.type === 'string') excType ??= err.type;
        if (typeof err.message === 'string' && !TRACEBACK.test(err.message))
          messages.push(plainText(err.message));
        else {
          const line = exceptionLine(err.exception);
          excType ??= line.type;
          if (line.message) messages.push(line.message);
        }
      }
    }
    if (typeof b['exc_type'] === 'string') excType ??= b['exc_type'];
    messages.push(...serverMessages(b['_server_messages']));
    if (
      messages.length === 0 &&
      typeof b['_error_message'] === 'string' &&
      !TRACEBACK.test(b['_error_message'])
    ) {
      messages.push(plainText(b['_error_message']));
    }
    if (messages.length === 0) {
      const line = exceptionLine(b['exception']);
      excType ??= line.type;
      if (line.message) messages.push(line.message);
    }
    if (messages.length === 0 && typeof b['message'] === 'string' && !TRACEBACK.test(b['message'])) {
      messages.push(plainText(b['message']));
    }
  }
  messages = unique(messages.filter(Boolean));
  const type = (excType && TYPE_BY_EXCEPTION[excType]) || TYPE_BY_STATUS[response.status];
  const fallback = excType
    ? `${excType.replace(/([a-z])([A-Z])/g, '$1 $2')} (HTTP ${response.status})`
    : `HTTP ${response.status}`;
  const message = messages.length > 0 ? messages.join(' | ') : fallback;
  return {
    message: message.length > 1000 ? `${message.slice(0, 1000)}…` : message,
    ...(type ? { type } : {}),
  };
}
