import { parseFrappeError, serverMessages } from './errors.js';

const sm = (...messages: unknown[]) => JSON.stringify(messages.map((m) => JSON.stringify(m)));
const tb =
  'Traceback (most recent call last):\n  File "apps/frappe/frappe/app.py", line 1, in x\nKeyError: 1';

describe('parseFrappeError', () => {
  it.each([
    [
      '_server_messages (JSON of JSON strings), HTML stripped',
      {
        exc_type: 'PermissionError',
        _server_messages: sm({ message: 'No <strong>permission</strong> for X' }),
      },
      403,
      'No permission for X',
      'forbidden',
    ],
    [
      'several messages, joined once each',
      {
        exc_type: 'ValidationError',
        _server_messages: sm({ message: 'A' }, { message: 'B' }, { message: 'A' }),
      },
      417,
      'A | B',
      'validation',
    ],
    [
      'a bare-string server message',
      { _server_messages: JSON.stringify(['plain']) },
      417,
      'plain',
      'validation',
    ],
    [
      'the exception line when there are no messages',
      { exc_type: 'DuplicateEntryError', exception: "frappe.exceptions.DuplicateEntryError: ('Item', 'X')" },
      409,
      "('Item', 'X')",
      'conflict',
    ],
    [
      'exc never read; the class names the error',
      { exc_type: 'TimestampMismatchError', exc: JSON.stringify([tb]) },
      417,
      'Timestamp Mismatch Error (HTTP 417)',
      'conflict',
    ],
    ['an exception that is a traceback is dropped', { exception: tb }, 500, 'HTTP 500', undefined],
    [
      'v2 errors',
      { errors: [{ type: 'DoesNotExistError', message: 'Item X not found', exception: tb }] },
      404,
      'Item X not found',
      'not_found',
    ],
    [
      'v2 errors with only an exception line',
      { errors: [{ type: 'LinkExistsError', exception: 'frappe.exceptions.LinkExistsError: linked' }] },
      417,
      'linked',
      'conflict',
    ],
    [
      'v2 errors, one per message, the exception on the last',
      {
        errors: [
          { type: 'MandatoryError', message: 'Error: Value missing for Sales Invoice: Customer' },
          {
            type: 'MandatoryError',
            message: 'Error: Value missing for Sales Invoice: <b>Date</b>',
            exception: tb,
          },
        ],
      },
      417,
      'Error: Value missing for Sales Invoice: Customer | Error: Value missing for Sales Invoice: Date',
      'validation',
    ],
    [
      'a bulk answer: a bare list of errors, strings among them, tracebacks dropped',
      [
        { type: 'LinkExistsError', message: 'SINV-1 is linked' },
        'Row 2: not permitted',
        tb,
        { exception: tb },
      ],
      417,
      'SINV-1 is linked | Row 2: not permitted',
      'conflict',
    ],
    [
      'v2 errors with a type only',
      { errors: [{ type: 'PermissionError' }] },
      403,
      'Permission Error (HTTP 403)',
      'forbidden',
    ],
    ['HTML', '<html><h1>502 Bad Gateway</h1></html>', 502, 'HTTP 502', undefined],
    ['a traceback as text', tb, 500, 'HTTP 500', undefined],
    [
      '503 read-only mode',
      { exc_type: 'InReadOnlyMode' },
      503,
      'In Read Only Mode (HTTP 503)',
      'unavailable',
    ],
  ])('%s', (_what, body, status, message, type) => {
    const out = parseFrappeError(body, { status });
    expect(out.message).toBe(message);
    expect(out.type).toBe(type);
  });

  it('serverMessages ignores junk and tracebacks', () => {
    expect(serverMessages('not json')).toEqual([]);
    expect(serverMessages(sm({ message: tb }, { title: 'no message' }, { message: 'ok' }))).toEqual(['ok']);
  });
});
