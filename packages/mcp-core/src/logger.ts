import { nodeFs } from './node-builtins.js';
import type { Writable } from 'node:stream';
import type { Logger as PinoLogger, LevelWithSilent } from 'pino';

export type LevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
const LEVEL_VALUES: Record<LevelWithSilent, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

/** Logs an object of fields with an optional message, or a message alone (pino's signature). */
export interface LogMethod {
  (fields: object, msg?: string): void;
  (msg: string): void;
}

/** The logger servers receive: pino's level methods and child(), backed by pino. */
export interface Logger {
  readonly level: LevelWithSilent;
  fatal: LogMethod;
  error: LogMethod;
  warn: LogMethod;
  info: LogMethod;
  debug: LogMethod;
  trace: LogMethod;
  /** A logger that adds `bindings` to every line. */
  child(bindings: Record<string, unknown>): Logger;
  isLevelEnabled(level: LevelName): boolean;
}

/** Keys whose values are replaced by `[REDACTED]` at any depth of a log line (any case). */
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
  'cookie',
  'set-cookie',
  'x-api-key',
];
const SECRET_KEY = new RegExp(`"(?:${SECRET_KEYS.map((k) => k.replace(/-/g, '\\-')).join('|')})":`, 'gi');

/** The index just past the JSON value that starts at `i` (a string, object, array or literal). */
function skipJsonValue(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const c = text[j];
    if (c === '"') {
      j++;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      j++;
      if (depth === 0) return j;
    } else if (c === '{' || c === '[') {
      depth++;
      j++;
    } else if (c === '}' || c === ']' || c === ',') {
      if (depth === 0) return j; // the end of a literal
      if (c !== ',') depth--;
      j++;
      if (depth === 0 && c !== ',') return j;
    } else {
      j++;
    }
  }
  return j;
}

/**
 * Replaces the value of every secret key in a JSON log line, at any depth and whatever its type,
 * child-logger bindings and error fields included. Works on the serialized line, so it costs
 * nothing until something is logged (pino's compiled redaction paths cost start-up time).
 */
export function redactSecretKeys(line: string): string {
  SECRET_KEY.lastIndex = 0;
  let out = '';
  let last = 0;
  for (let m = SECRET_KEY.exec(line); m; m = SECRET_KEY.exec(line)) {
    const valueStart = m.index + m[0].length;
    const valueEnd = skipJsonValue(line, valueStart);
    out += line.slice(last, valueStart) + '"[REDACTED]"';
    last = valueEnd;
    SECRET_KEY.lastIndex = valueEnd;
  }
  return out + line.slice(last);
}

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
    let out = redactSecretKeys(text);
    if (known) out = out.replace(known, '[REDACTED]');
    for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };
}

export interface LoggerOptions {
  /** Logger name, written on every line. */
  name: string;
  /** @default 'warn' */
  level?: LevelWithSilent;
  /** Also write to this file, rotated at 10 MB with 5 older files kept (`<file>.1` newest … `<file>.5`). */
  file?: string;
  /** The size at which the file rotates; for tests. @default 10 MiB */
  fileMaxBytes?: number;
  /** Values (tokens, passwords) to remove from every line, wherever they appear. */
  secrets?: readonly string[];
  /** Where stderr lines go; for tests. @default fs.writeSync(2, line) */
  writeStderr?: (line: string) => void;
}

export interface LoggerHandle {
  logger: Logger;
  /** Resolves once every line logged so far is written. */
  flush(): Promise<void>;
  /** Flushes and closes the file, if any. Safe to call twice. */
  close(): Promise<void>;
}

interface LogRecord {
  level: LevelName;
  bindings: Record<string, unknown>;
  fields: object;
  msg: string | undefined;
  time: number;
}

/**
 * Writes records through pino, which it loads on the first record: a server that logs nothing
 * at its level (the default is warn) never pays for loading and building pino at start-up, the
 * largest part of the start-up time it adds. Records wait in order until pino is there (a few
 * milliseconds); `flush()` waits for them, and the runner awaits it before exiting.
 */
class PinoSink {
  private pino: PinoLogger | undefined;
  private loading: Promise<void> | undefined;
  private queue: LogRecord[] = [];
  private replayTime: number | undefined;

  constructor(private readonly build: (now: () => number) => Promise<PinoLogger>) {}

  write(record: LogRecord): void {
    if (this.pino) return this.emit(this.pino, record);
    this.queue.push(record);
    this.loading ??= this.load();
  }

  async flush(): Promise<void> {
    await this.loading;
  }

  private async load(): Promise<void> {
    let logger: PinoLogger;
    try {
      logger = await this.build(() => this.replayTime ?? Date.now());
    } catch (error) {
      // Never take the server down for its log: say so once on stderr and drop the lines.
      nodeFs().writeSync(
        2,
        `logger unavailable: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      this.queue = [];
      this.write = () => undefined;
      return;
    }
    // Lines keep the time they were logged at, not the time pino arrived.
    for (const record of this.queue) {
      this.replayTime = record.time;
      this.emit(logger, record);
    }
    this.replayTime = undefined;
    this.queue = [];
    this.pino = logger;
  }

  private emit(logger: PinoLogger, { level, bindings, fields, msg }: LogRecord): void {
    const own = fields instanceof Error ? { err: fields } : fields;
    logger[level]({ ...bindings, ...own }, msg ?? (fields instanceof Error ? fields.message : undefined));
  }
}

class LazyLogger implements Logger {
  constructor(
    private readonly sink: PinoSink,
    readonly level: LevelWithSilent,
    private readonly bindings: Record<string, unknown>,
  ) {}

  private log(level: LevelName, fieldsOrMsg: object | string, msg?: string): void {
    if (LEVEL_VALUES[level] < LEVEL_VALUES[this.level]) return;
    const time = Date.now();
    if (typeof fieldsOrMsg === 'string') {
      this.sink.write({ level, bindings: this.bindings, fields: {}, msg: fieldsOrMsg, time });
    } else {
      this.sink.write({ level, bindings: this.bindings, fields: fieldsOrMsg, msg, time });
    }
  }

  fatal(fieldsOrMsg: object | string, msg?: string): void {
    this.log('fatal', fieldsOrMsg, msg);
  }
  error(fieldsOrMsg: object | string, msg?: string): void {
    this.log('error', fieldsOrMsg, msg);
  }
  warn(fieldsOrMsg: object | string, msg?: string): void {
    this.log('warn', fieldsOrMsg, msg);
  }
  info(fieldsOrMsg: object | string, msg?: string): void {
    this.log('info', fieldsOrMsg, msg);
  }
  debug(fieldsOrMsg: object | string, msg?: string): void {
    this.log('debug', fieldsOrMsg, msg);
  }
  trace(fieldsOrMsg: object | string, msg?: string): void {
    this.log('trace', fieldsOrMsg, msg);
  }

  child(bindings: Record<string, unknown>): Logger {
    return new LazyLogger(this.sink, this.level, { ...this.bindings, ...bindings });
  }

  isLevelEnabled(level: LevelName): boolean {
    return LEVEL_VALUES[level] >= LEVEL_VALUES[this.level];
  }
}

/**
 * Opens `path` for appending (creating its folder), rotated the way logrotate does it: at
 * `maxBytes` the file becomes `<path>.1`, `.1` becomes `.2` … and `.5` is dropped. Rejects when the
 * file cannot be opened; a later write error is reported once on stderr and the file is dropped,
 * never the server.
 */
async function openLogFile(path: string, maxBytes: number): Promise<Writable> {
  // Loaded only when a file is wanted, to keep start-up light.
  const { createStream } = await import('rotating-file-stream');
  const stream = createStream(path, { size: `${maxBytes}B`, rotate: 5 });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => {
      stream.off('error', reject);
      resolve();
    });
    stream.once('error', reject);
  });
  stream.on('error', (error: Error) => {
    nodeFs().writeSync(2, `log file ${path} unavailable: ${error.message}\n`);
  });
  return stream;
}

/**
 * A logger that writes JSON lines (pino) to stderr (never stdout: stdout is the protocol
 * channel) and, optionally, a rotating file. Every line passes through redaction by key, by
 * known secret value and by credential pattern. pino is loaded on the first line written (see
 * PinoSink); stderr writes are then synchronous.
 */
export async function createLogger(options: LoggerOptions): Promise<LoggerHandle> {
  const scrub = createScrubber(options.secrets);
  const writeStderr = options.writeStderr ?? ((line: string) => void nodeFs().writeSync(2, line));
  const file = options.file
    ? await openLogFile(options.file, options.fileMaxBytes ?? 10 * 1024 * 1024)
    : undefined;
  const destination = {
    write(line: string) {
      const clean = scrub(line);
      writeStderr(clean);
      if (file && !file.destroyed) file.write(clean);
    },
  };
  const level = options.level ?? 'warn';
  const sink = new PinoSink(async (now) => {
    // pino is CommonJS: bundlers differ in whether its named export survives a dynamic import.
    const loaded = await import('pino');
    const pino =
      typeof loaded.pino === 'function' ? loaded.pino : (loaded.default as unknown as typeof loaded.pino);
    return pino(
      { name: options.name, level, timestamp: () => `,"time":"${new Date(now()).toISOString()}"` },
      destination,
    );
  });
  let closed = false;
  return {
    logger: new LazyLogger(sink, level, {}),
    flush: () => sink.flush(),
    async close() {
      await sink.flush();
      if (closed || !file) return;
      closed = true;
      if (file.destroyed) return; // after a write error
      await new Promise<void>((resolve) => {
        file.once('close', () => resolve());
        file.once('error', () => resolve());
        file.end();
      });
    },
  };
}
