import { crypto, fs, os } from './builtins.js';
import { JournalLockBusyError } from './errors.js';

const { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } = fs;

/** Who holds a lock: written into the lock file by its holder. */
interface Holder {
  pid: number;
  /** Process start time (Linux: clock ticks since boot, from /proc), null where unknown. */
  start: string | null;
  /** Host name, plus the boot id on Linux: a lock from before a reboot is never live. */
  host: string;
  /** Unique per acquisition, so a holder only ever removes its own lock. */
  token: string;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The start time of a process, which tells a reused pid from the holder (Linux only). */
function processStart(pid: number): string | null {
  const stat = readOrNull(`/proc/${pid}/stat`);
  if (!stat) return null;
  // Field 22; the command name (field 2) may hold spaces, so count after its closing ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

let host: string | undefined;
/** This machine: host name and boot id (a reboot ends every lock of the boot before). */
const HOST = () =>
  (host ??= `${os().hostname()}${(() => {
    const boot = readOrNull('/proc/sys/kernel/random/boot_id');
    return boot ? `/${boot.trim()}` : '';
  })()}`);
let selfStart: string | null | undefined;

/** A lock file that could not be parsed yet: its writer is between creating and filling it. */
const FILLING_MS = 2_000;

export interface FileLockOptions {
  /** How long `acquire` waits for a live holder before JournalLockBusyError. @default 10,000 */
  waitMs?: number;
  /** A lock from another host (a network file system) counts as abandoned after this age. @default 10,000 */
  foreignStaleMs?: number;
}

/**
 * A lock file (`<path>.lock`) naming its holder: pid, process start time and host. A holder
 * that died (same host, its pid gone or reused) is detected at the next attempt, without any
 * timeout; a holder on another host is trusted until its lock is `foreignStaleMs` old. Breaking
 * an abandoned lock goes through a second lock file (`<path>.lock.break`), so two processes
 * that both see it abandoned cannot both take it. No signal handlers, no timers while held.
 */
export class FileLock {
  readonly lockPath: string;
  private readonly breakPath: string;
  private readonly waitMs: number;
  private readonly foreignStaleMs: number;
  private token: string | null = null;

  constructor(
    readonly path: string,
    options: FileLockOptions = {},
  ) {
    this.lockPath = `${path}.lock`;
    this.breakPath = `${path}.lock.break`;
    this.waitMs = options.waitMs ?? 10_000;
    this.foreignStaleMs = options.foreignStaleMs ?? 10_000;
  }

  /** Takes the lock if it is free (or abandoned) right now; false when a live process holds it. */
  tryAcquire(): boolean {
    if (this.token) throw new Error(`${this.lockPath} is already held by this FileLock`);
    this.token = this.create(this.lockPath);
    if (this.token) return true;
    const seen = this.abandoned(this.lockPath);
    if (seen === false) return false;
    if (seen !== null) {
      // Abandoned: removed under the break lock, and only if it is still the lock judged so.
      const breakToken = this.create(this.breakPath);
      if (!breakToken) {
        const stuck = this.abandoned(this.breakPath);
        if (typeof stuck === 'string') this.unlinkIf(this.breakPath, stuck);
        return false;
      }
      try {
        this.unlinkIf(this.lockPath, seen);
      } finally {
        this.unlinkIf(this.breakPath, null, breakToken);
      }
    }
    this.token = this.create(this.lockPath);
    return this.token !== null;
  }

  /** Takes the lock, waiting (polling with backoff) up to `waitMs`; JournalLockBusyError after that. */
  async acquire(): Promise<void> {
    const started = performance.now();
    let delay = 1;
    while (!this.tryAcquire()) {
      const waited = performance.now() - started;
      if (waited >= this.waitMs) throw new JournalLockBusyError(this.path, waited);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(25, delay * 1.5);
    }
  }

  /** Releases the lock; removes the lock file only if it is still ours. */
  release(): void {
    const token = this.token;
    this.token = null;
    if (token) this.unlinkIf(this.lockPath, null, token);
  }

  /** Creates `path` exclusively with this process as holder: its token, or null if it exists. */
  private create(path: string): string | null {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
      throw error;
    }
    const token = crypto().randomBytes(8).toString('hex');
    selfStart ??= processStart(process.pid);
    const holder: Holder = { pid: process.pid, start: selfStart, host: HOST(), token };
    try {
      writeSync(fd, JSON.stringify(holder));
    } finally {
      closeSync(fd);
    }
    return token;
  }

  /**
   * The content of the lock at `path` if it belongs to no live process, false if it does, null
   * if there is no lock (released meanwhile).
   */
  private abandoned(path: string): string | false | null {
    const text = readOrNull(path);
    if (text === null) return null;
    let holder: Holder | undefined;
    try {
      holder = JSON.parse(text) as Holder;
    } catch {
      holder = undefined;
    }
    if (!holder || typeof holder.pid !== 'number') return this.olderThan(path, FILLING_MS) && text;
    if (holder.host !== HOST()) return this.olderThan(path, this.foreignStaleMs) && text;
    try {
      process.kill(holder.pid, 0);
    } catch (error) {
      // EPERM: the process exists but belongs to another user.
      return (error as NodeJS.ErrnoException).code === 'ESRCH' && text;
    }
    const start = holder.start === null ? null : processStart(holder.pid);
    return start !== null && start !== holder.start && text; // the pid was reused
  }

  private olderThan(path: string, ms: number): boolean {
    try {
      return Date.now() - statSync(path).mtimeMs > ms;
    } catch {
      return true;
    }
  }

  /** Unlinks `path` if it still holds `content`, or the lock of `token`. */
  private unlinkIf(path: string, content: string | null, token?: string): void {
    const now = readOrNull(path);
    if (now === null) return;
    if (token !== undefined) {
      try {
        if ((JSON.parse(now) as Holder).token !== token) return;
      } catch {
        return;
      }
    } else if (content !== null && now !== content) return;
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
