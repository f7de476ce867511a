/**
 * The failures a journal reports on purpose. Each says whether trying again later can help
 * (`retryable`) and, where there is one, what to do (`hint`), so a caller can pass both on.
 */
export class JournalError extends Error {
  readonly retryable: boolean;
  readonly hint: string | undefined;

  constructor(message: string, options: { retryable: boolean; hint?: string }) {
    super(message);
    this.name = 'JournalError';
    this.retryable = options.retryable;
    this.hint = options.hint;
  }
}

/** The lock was still held by a live process when the wait ran out. Nothing was written. */
export class JournalLockBusyError extends JournalError {
  constructor(
    readonly path: string,
    waitedMs: number,
  ) {
    super(`The journal ${path} is locked by another process (waited ${Math.round(waitedMs)} ms)`, {
      retryable: true,
      hint: 'Another process is writing to the same store; try again shortly.',
    });
    this.name = 'JournalLockBusyError';
  }
}

/**
 * A complete line of the journal fails its checksum or is not JSON. Nothing from that line on
 * is loaded; `repairJournal` (bin `file-journal-repair`) keeps what precedes it.
 */
export class JournalCorruptError extends JournalError {
  constructor(
    readonly path: string,
    /** 1-based line number of the first damaged line. */
    readonly line: number,
    readonly reason: string,
  ) {
    super(
      `The journal ${path} is damaged at line ${line} (${reason}); refusing to use it rather than serve a damaged store. ` +
        `Repair it with: npx -p @org/file-journal file-journal-repair "${path}" (keeps the ${line - 1} lines before the damage, moves the rest aside)`,
      {
        retryable: false,
        hint: 'The store cannot be used until its journal is repaired; nothing was changed.',
      },
    );
    this.name = 'JournalCorruptError';
  }
}

/** True for any JournalError, also one from another copy of this package. */
export const isJournalError = (error: unknown): error is JournalError =>
  error instanceof JournalError ||
  (error instanceof Error &&
    ['JournalError', 'JournalLockBusyError', 'JournalCorruptError'].includes(error.name) &&
    typeof (error as Partial<JournalError>).retryable === 'boolean');
