// Runs conversions in a small pool of worker threads, so the server's main thread keeps answering
// (ping, other fetches) while a large page converts. Each job has a time bound and each worker a
// heap bound (resourceLimits); HTML that is too large, too slow or too big in memory for readable
// Markdown falls back to the linear text path. Cancelling a call ends its worker.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ToolError } from '@org/mcp-core';
import { convertBody, type BodyKind, type Converted } from './convert.js';

/** One conversion as the worker gets it. */
export interface ConvertJob {
  kind: BodyKind;
  bytes: Uint8Array;
  contentType: string | null;
  pageUrl: string;
  raw: boolean;
  /** full: convertBody; text: the linear text path (with `warning` saying why). */
  mode: 'full' | 'text';
  warning?: string;
}

/** What the worker answers. */
export type WorkerAnswer =
  | { id: number; ok: true; result: Converted }
  | { id: number; ok: false; message: string };

/** Settings of the conversion pool. */
export interface ConverterOptions {
  /** Workers at most. @default 2 to 4, by the number of cores */
  workers?: number;
  /** HTML larger than this (bytes) goes straight to the text path. @default 1 MiB */
  markdownMaxBytes?: number;
  /** Time readable-Markdown (or JSON, PDF) conversion may take; past it HTML and JSON take the text path. @default 15000 */
  timeoutMs?: number;
  /** Time the text path may take. @default 15000 */
  textTimeoutMs?: number;
  /** Heap of one worker (resourceLimits.maxOldGenerationSizeMb); past it the same as a timeout. @default 384 */
  maxMemoryMb?: number;
  /** A worker idle this long ends (and gives back its memory). @default 30000 */
  idleMs?: number;
}

/** One conversion asked for. */
export interface ConvertRequest {
  kind: BodyKind;
  bytes: Uint8Array;
  contentType: string | null;
  pageUrl: string;
  raw: boolean;
  signal?: AbortSignal;
}

/** A job that ran past its time or memory bound. */
class LimitError extends Error {
  constructor(readonly limit: 'time' | 'memory') {
    super(limit === 'time' ? 'conversion timed out' : 'conversion ran out of memory');
  }
}

interface Job {
  id: number;
  resolve(result: Converted): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  job?: Job | undefined;
  idle?: NodeJS.Timeout | undefined;
}

/**
 * The built worker beside this module (dist/fetch/ after tsc, dist/bundle/ in the bundle); from
 * source (vitest) the built one, as `nx test` builds first.
 */
function workerUrl(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('../../dist/fetch/convert-worker.js', import.meta.url)
    : new URL('./convert-worker.js', import.meta.url);
}

/** Creates the pool (no worker starts until the first conversion). */
export function createConverter(options: ConverterOptions = {}) {
  const size = options.workers ?? Math.max(2, Math.min(4, availableParallelism()));
  const markdownMaxBytes = options.markdownMaxBytes ?? 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const textTimeoutMs = options.textTimeoutMs ?? 15_000;
  const maxMemoryMb = options.maxMemoryMb ?? 384;
  const idleMs = options.idleMs ?? 30_000;
  const slots = new Set<Slot>();
  const waiting: { take(slot: Slot): void; fail(error: unknown): void }[] = [];
  let nextId = 0;
  let started = 0;
  let closed = false;

  function spawn(): Slot {
    const worker = new Worker(workerUrl(), {
      resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb },
      // stdout is the protocol channel: whatever a library in the worker prints goes to stderr.
      stdout: true,
    });
    worker.stdout.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    started++;
    const slot: Slot = { worker };
    worker.on('message', (answer: WorkerAnswer) => {
      const job = slot.job;
      if (!job || job.id !== answer.id) return;
      slot.job = undefined;
      release(slot);
      if (answer.ok) job.resolve(answer.result);
      else job.reject(new Error(answer.message));
    });
    worker.on('error', (error: Error & { code?: string }) => {
      end(slot, error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new LimitError('memory') : error);
    });
    worker.on('exit', () => end(slot, new Error('the conversion worker stopped')));
    slots.add(slot);
    return slot;
  }

  /** Drops a slot whose worker stopped or must stop, failing its job, and serves a waiter. */
  function end(slot: Slot, error: unknown): void {
    if (!slots.delete(slot)) return;
    clearTimeout(slot.idle);
    void slot.worker.terminate();
    const job = slot.job;
    slot.job = undefined;
    job?.reject(error);
    if (waiting.length && !closed) waiting.shift()!.take(spawn());
  }

  function release(slot: Slot): void {
    const next = waiting.shift();
    if (next) return next.take(slot);
    slot.worker.unref();
    slot.idle = setTimeout(() => end(slot, new Error('idle')), idleMs).unref();
  }

  function acquire(signal: AbortSignal | undefined): Promise<Slot> {
    if (closed) return Promise.reject(new ToolError('unavailable', 'The server is shutting down'));
    for (const slot of slots) {
      if (!slot.job && slot.idle) {
        clearTimeout(slot.idle);
        slot.idle = undefined;
        return Promise.resolve(slot);
      }
    }
    if (slots.size < size) return Promise.resolve(spawn());
    return new Promise((resolve, reject) => {
      const entry = {
        take(slot: Slot) {
          signal?.removeEventListener('abort', onAbort);
          resolve(slot);
        },
        fail: reject,
      };
      const onAbort = () => {
        waiting.splice(waiting.indexOf(entry), 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.push(entry);
    });
  }

  async function run(job: ConvertJob, limitMs: number, signal: AbortSignal | undefined): Promise<Converted> {
    signal?.throwIfAborted();
    const slot = await acquire(signal);
    slot.idle = undefined;
    slot.worker.ref();
    return new Promise<Converted>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const id = ++nextId;
      slot.job = {
        id,
        resolve: (result) => (done(), resolve(result)),
        reject: (error) => (done(), reject(error)),
      };
      // Synchronous work cannot be interrupted: past its time, or when cancelled, the worker ends.
      const timer = setTimeout(() => end(slot, new LimitError('time')), limitMs);
      const onAbort = () => end(slot, signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      slot.worker.postMessage({ id, job });
    });
  }

  /**
   * Converts a body off the main thread. HTML over markdownMaxBytes, or whose Markdown conversion
   * runs past its time or memory bound, comes back as text with a warning saying so; JSON past
   * its bound comes back as its text; a PDF past it is an error.
   */
  async function convert(request: ConvertRequest): Promise<Converted> {
    const { kind, bytes, contentType, pageUrl, raw, signal } = request;
    // Metadata only: nothing to convert.
    if (kind === 'other') return convertBody(kind, bytes, contentType, pageUrl, raw);
    const base = { kind, bytes, contentType, pageUrl, raw };
    const asText = (warning: string) =>
      run({ ...base, mode: 'text', warning }, textTimeoutMs, signal).catch((error: unknown) => {
        throw limitError(error, pageUrl, 'as text', textTimeoutMs, maxMemoryMb);
      });
    if (kind === 'html' && !raw && bytes.byteLength > markdownMaxBytes) {
      return asText(
        `The page is large (${mb(bytes.byteLength)}): shown as plain text (headings, paragraphs, lists), without picking out the main content or converting to Markdown.`,
      );
    }
    try {
      return await run({ ...base, mode: 'full' }, timeoutMs, signal);
    } catch (error) {
      if (!(error instanceof LimitError) || (kind !== 'html' && kind !== 'json')) {
        throw limitError(error, pageUrl, `as ${kind}`, timeoutMs, maxMemoryMb);
      }
      const why =
        error.limit === 'time'
          ? `took longer than ${timeoutMs / 1000} s`
          : `needed more than ${maxMemoryMb} MB`;
      return asText(
        kind === 'html'
          ? `Converting the page to Markdown ${why}: shown as plain text (headings, paragraphs, lists) instead.`
          : `Pretty-printing the JSON ${why}: shown as received.`,
      );
    }
  }

  return {
    convert,
    /** Workers running now, busy among them, jobs waiting, and workers started so far (tests, --check). */
    stats: () => ({
      workers: slots.size,
      busy: [...slots].filter((s) => s.job).length,
      waiting: waiting.length,
      started,
    }),
    /** Ends every worker; conversions under way fail as unavailable. */
    async close(): Promise<void> {
      closed = true;
      const stopping = new ToolError('unavailable', 'The server is shutting down');
      for (const entry of waiting.splice(0)) entry.fail(stopping);
      const workers = [...slots].map((s) => s.worker);
      for (const slot of [...slots]) end(slot, stopping);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** The conversion pool (see createConverter). */
export type Converter = ReturnType<typeof createConverter>;

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A LimitError as the ToolError the model sees; anything else as it is. */
function limitError(
  error: unknown,
  pageUrl: string,
  how: string,
  timeoutMs: number,
  maxMemoryMb: number,
): unknown {
  if (!(error instanceof LimitError)) return error;
  return error.limit === 'time'
    ? new ToolError('timeout', `Converting ${pageUrl} ${how} took longer than ${timeoutMs / 1000} s`, {
        retryable: false,
      })
    : new ToolError('validation', `Converting ${pageUrl} ${how} needed more than ${maxMemoryMb} MB`, {
        retryable: false,
      });
}
