import { writeSync } from 'node:fs';
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/** Keys whose values are replaced by `[REDACTED]` wherever they appear (up to 3 levels deep). */
const SECRET_KEYS = [
  'token',
  'accessToken',
  'access_token',
  'apiKey',
  'api_key',
  'apiSecret',
  'api_secret',
  'password',
  'passwd',
  'secret',
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'x-api-key',
];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const sep = k.startsWith('[') ? '' : '.';
  return [k, `*${sep}${k}`, `*.*${sep}${k}`];
});

/** Credentials in URLs and auth schemes, whatever their key: `scheme://user:pass@`, `Bearer x`. */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:"]*:[^\s/@"]+@/gi, '$1[REDACTED]@'],
  [/\b(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 [REDACTED]'],
  [/\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}\b/g, '[REDACTED]'],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}\b/g, '[REDACTED]'],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Returns a function that removes every known secret value and every credential-shaped string
 * from a text. Secret values shorter than 4 characters are ignored (they would mangle the log).
 */
export function createScrubber(secrets: readonly string[] = []): (text: string) => string {
  const values = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  // JSON-escaped forms too, since log lines are JSON.
  const forms = values.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]);
  const known = forms.length > 0 ? new RegExp(forms.map(escapeRegExp).join('|'), 'g') : undefined;
  return (text) => {
    let out = known ? text.replace(known, '[REDACTED]') : text;
    for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };
}

export interface LoggerOptions {
  /** Logger name, written on every line. */
  name: string;
  /** @default 'warn' */
  level?: LevelWithSilent;
  /** Also write to this file, rotated at 10 MB with 5 older files kept (`<file>.1`, `<file>.2` …). */
  file?: string;
  /** Values (tokens, passwords) to remove from every line, wherever they appear. */
  secrets?: readonly string[];
  /** Where stderr lines go; for tests. @default fs.writeSync(2, line) */
  writeStderr?: (line: string) => void;
}

export interface LoggerHandle {
  logger: Logger;
  /** Flushes and closes the file, if any. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * A pino logger that writes to stderr (never stdout: stdout is the protocol channel) and,
 * optionally, a rotating file. Every line passes through redaction by key, by known secret
 * value and by credential pattern. Stderr writes are synchronous, so nothing is lost on exit.
 */
export async function createLogger(options: LoggerOptions): Promise<LoggerHandle> {
  const scrub = createScrubber(options.secrets);
  const writeStderr = options.writeStderr ?? ((line: string) => void writeSync(2, line));
  // Loaded only when wanted: pino-roll pulls in date-fns, which costs start-up time.
  const file = options.file
    ? await (
        await import('pino-roll')
      ).default({ file: options.file, size: '10m', limit: { count: 5 }, mkdir: true })
    : undefined;
  const destination = {
    write(line: string) {
      const clean = scrub(line);
      writeStderr(clean);
      file?.write(clean);
    },
  };
  const logger = pino(
    {
      name: options.name,
      level: options.level ?? 'warn',
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
  let closed = false;
  return {
    logger,
    async close() {
      if (closed || !file) return;
      closed = true;
      await new Promise<void>((resolve) => {
        file.once('close', () => resolve());
        file.once('error', () => resolve());
        file.end();
      });
    },
  };
}
