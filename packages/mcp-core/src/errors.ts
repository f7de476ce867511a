import type { Logger } from './logger.js';

/** Every failure a tool reports has one of these types (ARCHITECTURE.md, decision 8). */
export const ERROR_TYPES = [
  'validation',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'timeout',
  'connection',
  'http_error',
  'config',
  'unavailable',
  'internal',
] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

/** The error envelope returned (as `structuredContent` and JSON text) with `isError: true`. */
export interface ErrorEnvelope {
  error: string;
  type: ErrorType;
  status_code?: number;
  retryable: boolean;
  /** With rate_limited: how long the vendor asked to wait, in seconds. */
  retry_after_s?: number;
  hint?: string;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorType> = new Set([
  'rate_limited',
  'timeout',
  'connection',
  'unavailable',
]);

export interface ToolErrorOptions {
  statusCode?: number;
  /** Defaults to true for rate_limited, timeout, connection, unavailable and 5xx http errors. */
  retryable?: boolean;
  hint?: string;
  /** With rate_limited: how long the vendor asked to wait, in seconds. */
  retryAfterS?: number;
  cause?: unknown;
}

/**
 * The one error a handler throws to report a failure to the client. Its message is shown to the
 * model as is, so it must never contain a secret.
 */
export class ToolError extends Error {
  readonly type: ErrorType;
  readonly statusCode: number | undefined;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  readonly retryAfterS: number | undefined;

  constructor(type: ErrorType, message: string, options: ToolErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ToolError';
    this.type = type;
    this.statusCode = options.statusCode;
    this.hint = options.hint;
    this.retryAfterS = options.retryAfterS;
    this.retryable =
      options.retryable ??
      (RETRYABLE_BY_DEFAULT.has(type) || (type === 'http_error' && (options.statusCode ?? 0) >= 500));
  }

  static validation(message: string, hint?: string): ToolError {
    return new ToolError('validation', message, { hint });
  }

  static notFound(message: string, hint?: string): ToolError {
    return new ToolError('not_found', message, { hint });
  }

  static conflict(message: string, hint?: string): ToolError {
    return new ToolError('conflict', message, { hint });
  }

  /** The envelope for this error. */
  toEnvelope(): ErrorEnvelope {
    const envelope: ErrorEnvelope = { error: this.message, type: this.type, retryable: this.retryable };
    if (this.statusCode !== undefined) envelope.status_code = this.statusCode;
    if (this.retryAfterS !== undefined) envelope.retry_after_s = this.retryAfterS;
    if (this.hint !== undefined) envelope.hint = this.hint;
    return envelope;
  }
}

/** Type guard that also recognises a ToolError from another copy of this package. */
export function isToolError(error: unknown): error is ToolError {
  return (
    error instanceof ToolError ||
    (error instanceof Error &&
      error.name === 'ToolError' &&
      typeof (error as Partial<ToolError>).type === 'string' &&
      (ERROR_TYPES as readonly string[]).includes((error as ToolError).type))
  );
}

/**
 * Turns anything a handler threw into the envelope. A ToolError passes through; anything else
 * becomes `internal` with a fixed message, and the original (with its stack) goes to the log only,
 * so no stack trace or secret reaches the client.
 */
export function toErrorEnvelope(error: unknown, logger?: Logger): ErrorEnvelope {
  if (isToolError(error)) return error.toEnvelope();
  if (error instanceof Error && error.name === 'AbortError') {
    return { error: 'The request was cancelled', type: 'timeout', retryable: true };
  }
  logger?.error({ err: error }, 'unexpected error in tool handler');
  return {
    error: 'Internal error: the server failed unexpectedly while handling this call',
    type: 'internal',
    retryable: false,
    hint: 'The details are in the server log (MCP_LOG_FILE or stderr).',
  };
}

/** Thrown by loadConfig and the tool filters: every problem with the configuration at once. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
