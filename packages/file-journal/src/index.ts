import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdir,
  mkdirSync,
  openSync,
  readSync,
  realpath,
  realpathSync,
  renameSync,
  rmdir,
  rmdirSync,
  stat,
  statSync,
  utimes,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

let lockfileModule: typeof import('proper-lockfile') | undefined;
const LOCK_FS = {
  mkdir,
  mkdirSync,
  rmdir,
  rmdirSync,
  stat,
  statSync,
  utimes,
  utimesSync,
  realpath,
  realpathSync,
};

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
}

/**
 * An append-only file of JSON lines, one entry a line, shared by any number of processes.
 * Writers take a lock file, catch up, drop a torn last line left by a crash, append with fsync
 * and apply the entry to the owner's state; readers catch up by reading only the bytes appended
 * since their last read (one stat when nothing changed). When the file grows past `compactBytes`
 * and twice its last snapshot, it is replaced by one snapshot line (temp file, fsync, atomic
 * rename); other processes see the new inode and reload.
 */
export class Journal<E> {
  readonly path: string;
  private readonly compactBytes: number;
  private offset = 0;
  private ino = -1;
  private snapshotBytes = 0;

  constructor(
    path: string,
    private readonly state: JournalState<E>,
    options: JournalOptions = {},
  ) {
    this.path = path;
    this.compactBytes = options.compactBytes ?? 8 * 1024 * 1024;
    mkdirSync(dirname(path), { recursive: true });
    if (!existsSync(path)) writeFileSync(path, '', { flag: 'a' });
    this.refresh();
  }

  /** Bytes of the file as last read or written. */
  get sizeBytes(): number {
    return this.offset;
  }

  /** Applies what other processes appended since the last call (or reloads after a compaction). */
  refresh(fd?: number): number {
    if (fd === undefined) {
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
        const end = buffer.lastIndexOf(0x0a, read - 1);
        if (end >= 0) {
          let start = 0;
          while (start < end) {
            const next = buffer.indexOf(0x0a, start);
            if (next > start) {
              const line = buffer.subarray(start, next).toString('utf8');
              if (this.offset === 0 && start === 0) this.snapshotBytes = next + 1;
              this.state.apply(JSON.parse(line) as E);
            }
            start = next + 1;
          }
          this.offset += end + 1;
        }
      }
      return stat.size;
    } finally {
      if (fd === undefined) closeSync(own);
    }
  }

  /**
   * Runs `write` under the lock, after catching up; each `append` is fsynced and applied before
   * it returns. Whatever `write` throws propagates after the lock is released.
   */
  async write<T>(write: (append: (entry: E) => void) => T): Promise<T> {
    const release = await this.lock();
    try {
      const fd = openSync(this.path, 'r+');
      try {
        const size = this.refresh(fd);
        if (size > this.offset) ftruncateSync(fd, this.offset); // a crashed writer's partial line
        const append = (entry: E) => {
          const text = JSON.stringify(entry);
          const line = Buffer.from(`${text}\n`, 'utf8');
          let written = 0;
          while (written < line.length) {
            written += writeSync(fd, line, written, line.length - written, this.offset + written);
          }
          fsyncSync(fd);
          this.offset += line.length;
          // The state gets its own copy, exactly as another process reads the line back.
          this.state.apply(JSON.parse(text) as E);
        };
        const result = write(append);
        if (this.offset > this.compactBytes && this.offset > 2 * this.snapshotBytes) this.compact();
        return result;
      } finally {
        closeSync(fd);
      }
    } finally {
      await release();
    }
  }

  /**
   * Takes the lock file (`<path>.lock`, proper-lockfile): synchronously when it is free, the
   * common case, which spares the thread-pool round trips of the async API (about a quarter of
   * a write's time); with retries when another process holds it.
   */
  private async lock(): Promise<() => void | Promise<void>> {
    // Loaded on the first write only: readers never need it, and it costs start-up time.
    const lockfile = (lockfileModule ??= (await import('proper-lockfile')).default);
    // The fs functions it uses, passed in: its sync API otherwise copies all of graceful-fs on
    // every call to wrap it.
    const options = { realpath: false, stale: 10_000, fs: LOCK_FS };
    try {
      return lockfile.lockSync(this.path, options);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ELOCKED') throw error;
    }
    return lockfile.lock(this.path, {
      ...options,
      retries: { retries: 200, factor: 1.2, minTimeout: 2, maxTimeout: 50 },
    });
  }

  /** Rewrites the file as one snapshot line; the rename is atomic, so readers see old or new. */
  private compact(): void {
    const line = `${JSON.stringify(this.state.snapshot())}\n`;
    const temp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, line);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path);
    try {
      const dirFd = openSync(dirname(this.path), 'r');
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
    } catch {
      // Some platforms cannot fsync a directory; the rename itself is still atomic.
    }
    this.ino = statSync(this.path).ino;
    this.offset = Buffer.byteLength(line);
    this.snapshotBytes = this.offset;
  }
}
