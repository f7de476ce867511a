import { fs } from './builtins.js';
import { dirname } from 'node:path';
import { fsyncDir } from './fs-util.js';
import { FileLock } from './lock.js';
import { scanRecords } from './record.js';

const { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } = fs;

/** What `repairJournal` found and did. */
export interface RepairResult {
  /** False when the journal had no damaged line (nothing was changed). */
  repaired: boolean;
  /** Lines kept (everything before the first damaged line, or all of them). */
  keptLines: number;
  /** 1-based number of the first damaged line, if any. */
  damagedLine?: number;
  reason?: string;
  /** Where the damaged line and everything after it were moved. */
  movedTo?: string;
  movedBytes?: number;
}

function writeDurably(path: string, data: Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Repairs a damaged journal: keeps every line before the first damaged one (checksum mismatch,
 * not JSON) and moves that line and everything after it to `<path>.damaged-<time>` for
 * inspection; both files are fsynced and the journal is replaced by an atomic rename. Takes the
 * journal's lock, so it is safe beside running processes (they reload the new file). A journal
 * without damage is left as it is. Cost: one read of the file.
 */
export async function repairJournal(
  path: string,
  options: { lockWaitMs?: number } = {},
): Promise<RepairResult> {
  const lock = new FileLock(path, { waitMs: options.lockWaitMs ?? 10_000 });
  await lock.acquire();
  try {
    const buffer = readFileSync(path);
    const scan = { checkedSeen: false, line: 0 };
    const { damage } = scanRecords(buffer, scan, () => undefined);
    if (!damage) return { repaired: false, keptLines: scan.line };
    const movedTo = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    writeDurably(movedTo, buffer.subarray(damage.at));
    const temp = `${path}.${process.pid}.repair.tmp`;
    writeDurably(temp, buffer.subarray(0, damage.at));
    renameSync(temp, path);
    fsyncDir(dirname(path));
    return {
      repaired: true,
      keptLines: damage.line - 1,
      damagedLine: damage.line,
      reason: damage.reason,
      movedTo,
      movedBytes: buffer.length - damage.at,
    };
  } finally {
    lock.release();
  }
}
