import {
  closeSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
  writeSync,
  ftruncateSync,
  existsSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import {
  VersionConflictError,
  idNumber,
  type Goal,
  type GoalCommit,
  type GoalStore,
  type Task,
} from '@org/goal-engine';
import lockfile from 'proper-lockfile';

/** One line of the journal. */
type Entry =
  | { t: 'alloc'; k: 'goal' | 'task'; n: number }
  | { t: 'commit'; g: string; goal: Goal | null; put: Task[]; del: string[] }
  | { t: 'snapshot'; counters: { goal: number; task: number }; goals: Goal[]; tasks: Task[] };

export interface FileGoalStoreOptions {
  /** Compact when the journal passes this many bytes and twice the last snapshot. @default 8 MiB */
  compactBytes?: number;
}

const byNumber = (a: { id: string }, b: { id: string }) => idNumber(a.id) - idNumber(b.id);
/** Stored values are plain JSON, for which a JSON round trip is a faster deep copy than structuredClone. */
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * A GoalStore in one journal file (`goals.journal` in `dir`): every write appends one JSON line
 * and fsyncs it, so a write costs what it changes, and a crash loses at most a torn last line,
 * which readers ignore and the next writer truncates. Writers take a lock file (two processes
 * can share the directory); each process keeps the state in memory and catches up by reading
 * only the bytes appended since its last read. When the journal grows past `compactBytes` it is
 * rewritten as one snapshot line (temp file, fsync, rename), which other processes notice and
 * reload. Reads cost O(new journal bytes) plus what they return.
 */
export class FileGoalStore implements GoalStore {
  readonly path: string;
  private readonly lockPath: string;
  private readonly compactBytes: number;
  private goals = new Map<string, Goal>();
  private tasks = new Map<string, Task>();
  private goalTasks = new Map<string, Set<string>>();
  private counters = { goal: 0, task: 0 };
  private offset = 0;
  private ino = -1;
  private snapshotBytes = 0;
  private lastSize = 0;

  constructor(dir: string, options: FileGoalStoreOptions = {}) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, 'goals.journal');
    this.lockPath = join(dir, 'goals.journal');
    this.compactBytes = options.compactBytes ?? 8 * 1024 * 1024;
    if (!existsSync(this.path)) writeFileSync(this.path, '', { flag: 'a' });
    this.refresh();
  }

  private reset(): void {
    this.goals = new Map();
    this.tasks = new Map();
    this.goalTasks = new Map();
    this.counters = { goal: 0, task: 0 };
    this.offset = 0;
    this.snapshotBytes = 0;
  }

  private apply(entry: Entry): void {
    if (entry.t === 'alloc') {
      this.counters[entry.k] = Math.max(this.counters[entry.k], entry.n);
    } else if (entry.t === 'snapshot') {
      this.counters = { ...entry.counters };
      for (const g of entry.goals) {
        this.goals.set(g.id, g);
        this.goalTasks.set(g.id, new Set());
      }
      for (const t of entry.tasks) {
        this.tasks.set(t.id, t);
        this.goalTasks.get(t.goal_id)?.add(t.id);
      }
    } else if (entry.goal === null) {
      for (const id of this.goalTasks.get(entry.g) ?? []) this.tasks.delete(id);
      this.goalTasks.delete(entry.g);
      this.goals.delete(entry.g);
    } else {
      this.goals.set(entry.g, entry.goal);
      let ids = this.goalTasks.get(entry.g);
      if (!ids) this.goalTasks.set(entry.g, (ids = new Set()));
      for (const id of entry.del) {
        this.tasks.delete(id);
        ids.delete(id);
      }
      for (const t of entry.put) {
        this.tasks.set(t.id, t);
        ids.add(t.id);
      }
    }
  }

  /** Reads what other processes appended (or reloads after a compaction). Returns the file size. */
  private refresh(fd?: number): number {
    if (fd === undefined) {
      // The common case, nothing new: one stat, no open.
      const stat = statSync(this.path);
      if (stat.ino === this.ino && stat.size === this.offset) {
        this.lastSize = stat.size;
        return stat.size;
      }
    }
    const own = fd ?? openSync(this.path, 'r');
    try {
      const stat = fstatSync(own);
      if (stat.ino !== this.ino || stat.size < this.offset) {
        this.reset();
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
          const text = buffer.subarray(0, end).toString('utf8');
          for (const line of text.split('\n')) {
            if (line === '') continue;
            const entry = JSON.parse(line) as Entry;
            if (entry.t === 'snapshot') this.snapshotBytes = line.length + 1;
            this.apply(entry);
          }
          this.offset += end + 1;
        }
      }
      this.lastSize = stat.size;
      return stat.size;
    } finally {
      if (fd === undefined) closeSync(own);
    }
  }

  /** Runs `write` holding the lock, after catching up; drops a torn tail left by a crash. */
  private async locked<T>(write: (append: (entry: Entry) => void) => T): Promise<T> {
    const release = await lockfile.lock(this.lockPath, {
      realpath: false,
      stale: 10_000,
      retries: { retries: 200, factor: 1.2, minTimeout: 2, maxTimeout: 50 },
    });
    try {
      const fd = openSync(this.path, 'r+');
      try {
        const size = this.refresh(fd);
        if (size > this.offset) ftruncateSync(fd, this.offset); // a crashed writer's partial line
        const append = (entry: Entry) => {
          const line = Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8');
          let written = 0;
          while (written < line.length)
            written += writeSync(fd, line, written, line.length - written, this.offset + written);
          fsyncSync(fd);
          this.offset += line.length;
          this.lastSize = this.offset;
          this.apply(entry);
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

  /** Rewrites the journal as one snapshot line; the rename is atomic, so readers see old or new. */
  private compact(): void {
    const entry: Entry = {
      t: 'snapshot',
      counters: { ...this.counters },
      goals: [...this.goals.values()].sort(byNumber),
      tasks: [...this.tasks.values()].sort(byNumber),
    };
    const line = `${JSON.stringify(entry)}\n`;
    const temp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, line);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path);
    const dirFd = openSync(dirname(this.path), 'r');
    try {
      fsyncSync(dirFd);
    } catch {
      // Some platforms cannot fsync a directory; the rename itself is still atomic.
    } finally {
      closeSync(dirFd);
    }
    this.ino = statSync(this.path).ino;
    this.offset = Buffer.byteLength(line);
    this.snapshotBytes = this.offset;
  }

  /** Size of the journal in bytes, as last seen. */
  get sizeBytes(): number {
    return this.lastSize;
  }

  async allocateIds(kind: 'goal' | 'task', count: number): Promise<number> {
    return this.locked((append) => {
      const first = this.counters[kind] + 1;
      append({ t: 'alloc', k: kind, n: this.counters[kind] + count });
      return first;
    });
  }

  async reserveIdsUpTo(kind: 'goal' | 'task', atLeast: number): Promise<void> {
    await this.locked((append) => {
      if (this.counters[kind] < atLeast) append({ t: 'alloc', k: kind, n: atLeast });
    });
  }

  async getGoal(goalId: string): Promise<Goal | null> {
    this.refresh();
    const goal = this.goals.get(goalId);
    return goal ? clone(goal) : null;
  }

  async listGoals(): Promise<Goal[]> {
    this.refresh();
    return [...this.goals.values()].sort(byNumber).map((g) => clone(g));
  }

  async getGoalTasks(goalId: string): Promise<Task[]> {
    this.refresh();
    return [...(this.goalTasks.get(goalId) ?? [])].map((id) => clone(this.tasks.get(id)!)).sort(byNumber);
  }

  async getTasks(taskIds: readonly string[]): Promise<(Task | null)[]> {
    this.refresh();
    return taskIds.map((id) => {
      const task = this.tasks.get(id);
      return task ? clone(task) : null;
    });
  }

  async commit(change: GoalCommit): Promise<void> {
    await this.locked((append) => {
      const current = this.goals.get(change.goalId);
      const actual = current ? current.version : 0;
      if (actual !== change.expectedVersion) {
        throw new VersionConflictError(change.goalId, change.expectedVersion, current ? actual : null);
      }
      append({
        t: 'commit',
        g: change.goalId,
        goal: change.goal,
        put: [...change.putTasks],
        del: [...change.deleteTaskIds],
      });
    });
  }

  /** Counts for status reports. */
  stats(): { goals: number; tasks: number; journal_bytes: number } {
    this.refresh();
    return { goals: this.goals.size, tasks: this.tasks.size, journal_bytes: this.lastSize };
  }
}
