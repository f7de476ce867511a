import { fs } from './builtins.js';
import { dirname } from 'node:path';
import { JournalCorruptError } from './errors.js';
import { fsyncDir } from './fs-util.js';
import { FileLock } from './lock.js';
import { encodeRecord, scanRecords } from './record.js';

const {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
  writeSync,
} = fs;

export { JournalError, JournalCorruptError, JournalLockBusyError, isJournalError } from './errors.js';
export { repairJournal, type RepairResult } from './repair.js';

/** How a journal's owner keeps its in-memory state. */
export interface JournalState<E> {
  /** Applies one entry (read back or just written) to the state; the entry is the state's own copy, parsed from its line. */
  apply(entry: E): void;
  /** Empties the state before a full reload (after another process compacted the file). */
  reset(): void;
  /** One entry that recreates the whole state when applied after `reset`. */
  snapshot(): E;
}

export interface JournalOptions {
  /** Compact when the file passes this many bytes and twice its last snapshot. @default 8 MiB */
  compactBytes?: number;
  /** How long a write waits for the lock held by another live process before JournalLockBusyError. @default 10,000 ms */
  lockWaitMs?: number;
  /**
   * Turns of the event loop a group waits for writers still on their way, when the last group
   * had several (0: never wait). A writer alone never waits. @default 3
   */
  lingerTurns?: number;
}

interface Pending {
  write: (append: (entry: unknown) => void) => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * An append-only file of JSON lines, one entry a line with its CRC-32, shared by any number of
 * processes. Writes made while another is being committed are grouped: one lock, one `write`
 * and one fsync for the group, and each promise resolves only once its own bytes are on disk.
 * Readers catch up by reading only the bytes appended since their last read (one stat when
 * nothing changed). A damaged line (checksum mismatch, not JSON) is a JournalCorruptError that
 * names the file and line; a torn last line left by a crash is ignored and cut by the next
 * write. Lines without a checksum (older journals) are read as before. When the file grows past
 * `compactBytes` and twice its last snapshot, it is replaced by one snapshot line (temp file,
 * fsync, atomic rename); other processes see the new inode and reload.
 */
export class Journal<E> {
  readonly path: string;
  private readonly compactBytes: number;
  private readonly lingerTurns: number;
  private readonly lock: FileLock;
  private offset = 0;
  private ino = -1;
  private snapshotBytes = 0;
  private scan = { checkedSeen: false, line: 0 };
  private queue: Pending[] = [];
  private flushing = false;
  /** Writes in the last group: how many callers write concurrently, as last seen. */
  private lastGroup = 1;
  private commitCount = 0;

  constructor(
    path: string,
    private readonly state: JournalState<E>,
    options: JournalOptions = {},
  ) {
    this.path = path;
    this.compactBytes = options.compactBytes ?? 8 * 1024 * 1024;
    this.lingerTurns = options.lingerTurns ?? 3;
    this.lock = new FileLock(path, { waitMs: options.lockWaitMs ?? 10_000 });
    // The directory and file are made by the first write, so reading (and --check) creates nothing.
    if (existsSync(path)) this.refresh();
  }

  private ensureFile(): void {
    if (existsSync(this.path)) return;
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(this.path, '', { flag: 'a' });
  }

  /** Group commits (one write and one fsync each) this instance made so far. */
  get commits(): number {
    return this.commitCount;
  }

  /** Bytes of the file as last read or written. */
  get sizeBytes(): number {
    return this.offset;
  }

  /**
   * Applies what other processes appended since the last call (or reloads after a compaction).
   * JournalCorruptError at a damaged line, every time, until the file is repaired.
   */
  refresh(fd?: number): number {
    if (fd === undefined) {
      if (!existsSync(this.path)) return 0; // nothing written yet
      const stat = statSync(this.path);
      if (stat.ino === this.ino && stat.size === this.offset) return stat.size;
    }
    const own = fd ?? openSync(this.path, 'r');
    try {
      const stat = fstatSync(own);
      if (stat.ino !== this.ino || stat.size < this.offset) {
        this.state.reset();
        this.offset = 0;
        this.snapshotBytes = 0;
        this.scan = { checkedSeen: false, line: 0 };
        this.ino = stat.ino;
      }
      if (stat.size > this.offset) {
        const buffer = Buffer.alloc(stat.size - this.offset);
        let read = 0;
        while (read < buffer.length) {
          const n = readSync(own, buffer, read, buffer.length - read, this.offset + read);
          if (n === 0) break;
          read += n;
        }
        const first = this.offset === 0;
        const { consumed, damage } = scanRecords(buffer.subarray(0, read), this.scan, (text, start, end) => {
          if (first && start === 0) this.snapshotBytes = end;
          this.state.apply(JSON.parse(text) as E);
        });
        if (damage) {
          // The state holds part of this read: the next refresh starts over (and fails again).
          this.ino = -1;
          throw new JournalCorruptError(this.path, damage.line, damage.reason);
        }
        this.offset += consumed;
      }
      return stat.size;
    } finally {
      if (fd === undefined) closeSync(own);
    }
  }

  /**
   * Runs `write` under the lock, after catching up, and resolves with its result once what it
   * appended is fsynced. `write` must be synchronous; each `append` applies its entry to the
   * state at once (so later writes of the same group see it). Writes waiting together share
   * one lock and one fsync. If `write` throws, the promise rejects, and entries it appended
   * before throwing are kept. JournalLockBusyError if another live process holds the lock for
   * longer than `lockWaitMs`; nothing is written then.
   */
  write<T>(write: (append: (entry: E) => void) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        write: write as Pending['write'],
        resolve: resolve as Pending['resolve'],
        reject,
      });
      if (!this.flushing) {
        this.flushing = true;
        // After the current I/O callbacks, so the writes they start join this group.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        // While writers were seen writing together, give the ones still on their way (their
        // requests not read yet) a few turns of the event loop to join, before taking the lock:
        // one fsync for all of them instead of several (PostgreSQL's commit_delay with
        // commit_siblings, in turns of the loop rather than microseconds). A writer alone is
        // committed at once.
        for (let turn = 0; turn < this.lingerTurns && this.queue.length < this.lastGroup; turn++) {
          await new Promise((resolve) => setImmediate(resolve));
        }
        try {
          this.ensureFile();
          if (!this.lock.tryAcquire()) await this.lock.acquire();
        } catch (error) {
          for (const p of this.queue.splice(0)) p.reject(error);
          continue;
        }
        // Taken after the lock: writes that arrived while it was awaited join this group.
        const group = this.queue.splice(0);
        this.lastGroup = group.length;
        let outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[];
        try {
          outcomes = this.commit(group);
        } catch (error) {
          outcomes = group.map(() => ({ ok: false, error }));
        } finally {
          this.lock.release();
        }
        outcomes.forEach((o, i) => (o.ok ? group[i]!.resolve(o.value) : group[i]!.reject(o.error)));
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Runs a group of writes under the lock: catch up, run each, one write and one fsync. */
  private commit(group: Pending[]) {
    const fd = openSync(this.path, 'r+');
    try {
      const size = this.refresh(fd);
      if (size > this.offset) ftruncateSync(fd, this.offset); // a crashed writer's partial line
      const start = this.offset;
      const lines: Buffer[] = [];
      let bytes = 0;
      const append = (entry: unknown) => {
        const text = JSON.stringify(entry);
        const line = encodeRecord(text);
        lines.push(line);
        bytes += line.length;
        // The state gets its own copy, exactly as another process reads the line back.
        this.state.apply(JSON.parse(text) as E);
      };
      const outcomes = group.map((p) => {
        try {
          return { ok: true as const, value: p.write(append) };
        } catch (error) {
          return { ok: false as const, error };
        }
      });
      if (bytes > 0) {
        try {
          const buffer = lines.length === 1 ? lines[0]! : Buffer.concat(lines, bytes);
          let written = 0;
          while (written < bytes) written += writeSync(fd, buffer, written, bytes - written, start + written);
          fsyncSync(fd);
          this.commitCount++;
        } catch (error) {
          // Unknown what reached the disk: cut it, and reload the state from the file next time.
          try {
            ftruncateSync(fd, start);
          } catch {
            // The reload below still drops what the state applied.
          }
          this.ino = -1;
          throw error;
        }
        this.offset = start + bytes;
        this.scan.line += lines.length;
        this.scan.checkedSeen = true;
      }
      if (this.offset > this.compactBytes && this.offset > 2 * this.snapshotBytes) this.compact();
      return outcomes;
    } finally {
      closeSync(fd);
    }
  }

  /** Rewrites the file as one snapshot line; the rename is atomic, so readers see old or new. */
  private compact(): void {
    const line = encodeRecord(JSON.stringify(this.state.snapshot()));
    const temp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, line);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path);
    fsyncDir(dirname(this.path));
    this.ino = statSync(this.path).ino;
    this.offset = line.length;
    this.snapshotBytes = this.offset;
    this.scan = { checkedSeen: true, line: 1 };
  }
}
