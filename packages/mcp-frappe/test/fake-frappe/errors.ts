// Frappe's error responses as frappe/utils/response.py builds them: the status comes from the
// exception class's http_status_code (frappe/exceptions.py), the v1 body carries exc_type,
// exception, exc (a JSON string of a list of tracebacks) and _server_messages (a JSON string of
// a list of JSON strings); the v2 body carries errors: [{type, message, exception}].
import type { ServerResponse } from 'node:http';
import { sendJson } from '@org/mcp-core/testing';

/** HTTP status of each Frappe exception class the fake raises. */
export const STATUS_OF: Record<string, number> = {
  ValidationError: 417,
  MandatoryError: 417,
  LinkValidationError: 417,
  LinkExistsError: 417,
  TimestampMismatchError: 417,
  UpdateAfterSubmitError: 417,
  DocstatusTransitionError: 417,
  AuthenticationError: 401,
  PermissionError: 403,
  DoesNotExistError: 404,
  DuplicateEntryError: 409,
  RateLimitExceededError: 429,
  TooManyRequestsError: 429,
  WorkflowStateError: 417,
  WorkflowTransitionError: 417,
  WorkflowPermissionError: 417,
  OperationalError: 500,
};

/** A marker inside every traceback the fake sends: a test that finds it in tool output found a leak. */
export const TRACEBACK_MARKER = 'apps/frappe/frappe/model/document.py';

/** A Python traceback ending in the exception, as Frappe puts it in `exc`. */
export function traceback(excType: string, message: string): string {
  return [
    'Traceback (most recent call last):',
    '  File "apps/frappe/frappe/app.py", line 114, in application',
    '    response = frappe.api.handle(request)',
    '  File "apps/frappe/frappe/api/__init__.py", line 49, in handle',
    '    data = endpoint(**arguments)',
    `  File "${TRACEBACK_MARKER}", line 1029, in _validate_mandatory`,
    '    raise frappe.MandatoryError(',
    `frappe.exceptions.${excType}: ${message}`,
  ].join('\n');
}

/** What the fake answers with when it raises: one place for every error body. */
export class FrappeException extends Error {
  constructor(
    readonly excType: string,
    message: string,
    readonly options: {
      status?: number;
      serverMessage?: string;
      /** Several messages (frappe.msgprint more than once before the raise): each its own entry. */
      serverMessages?: string[];
      headers?: Record<string, string>;
      /** Raised without a message (`raise frappe.PermissionError`): no _server_messages. */
      bare?: boolean;
    } = {},
  ) {
    super(message);
  }

  get status(): number {
    return this.options.status ?? STATUS_OF[this.excType] ?? 500;
  }
}

/** Writes the error body of `error` in the shape of the API version that raised it. */
export function sendFrappeError(res: ServerResponse, error: FrappeException, v2: boolean): void {
  const messages = error.options.bare
    ? []
    : (error.options.serverMessages ?? [error.options.serverMessage ?? error.message]);
  const tb = traceback(error.excType, error.message);
  if (v2) {
    // frappe/utils/response.py on /api/v2: one entry per message, the last with the exception.
    const errors: Record<string, unknown>[] = messages.map((message) => ({
      type: error.excType,
      message,
      indicator: 'red',
      title: 'Message',
    }));
    if (errors.length === 0) errors.push({ type: error.excType });
    errors[errors.length - 1]!['exception'] = tb;
    sendJson(res, error.status, { errors }, error.options.headers);
    return;
  }
  const body: Record<string, unknown> = {
    exception: `frappe.exceptions.${error.excType}: ${error.message}`,
    exc_type: error.excType,
    exc: JSON.stringify([tb]),
  };
  if (error.options.bare) body['exception'] = `frappe.exceptions.${error.excType}`;
  else if (error.excType !== 'AuthenticationError' && error.excType !== 'OperationalError') {
    body['_server_messages'] = JSON.stringify(
      messages.map((message) =>
        JSON.stringify({
          message,
          title: 'Message',
          indicator: 'red',
          raise_exception: 1,
          __frappe_exc_id: 'a1b2c3',
        }),
      ),
    );
  }
  if (error.excType === 'AuthenticationError') body['exception'] = 'frappe.exceptions.AuthenticationError';
  sendJson(res, error.status, body, error.options.headers);
}
