import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { SetupError } from './config-file.js';

export interface Prompter {
  /** Asks one question; a secret's typing is not echoed. Resolves with the trimmed answer. */
  ask(question: string, options?: { secret?: boolean }): Promise<string>;
  close(): void;
}

/**
 * Questions on `output` (stderr, so stdout stays the report), answers from `input` line by line:
 * a terminal, or piped lines (buffered, so answers sent ahead are not lost).
 */
export function createPrompter(
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Prompter {
  let muted = false;
  const sink = new Writable({
    write(chunk, encoding, done) {
      if (!muted) output.write(chunk, encoding);
      done();
    },
  });
  const terminal = Boolean((input as { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input, output: sink, terminal });
  const lines = rl[Symbol.asyncIterator]();
  return {
    async ask(question, options = {}) {
      output.write(question);
      muted = options.secret === true;
      try {
        const next = await lines.next();
        if (next.done)
          throw new SetupError('the input ended before every question was answered: nothing was written');
        return String(next.value).trim();
      } finally {
        if (muted && terminal) output.write('\n');
        muted = false;
      }
    },
    close() {
      rl.close();
    },
  };
}
