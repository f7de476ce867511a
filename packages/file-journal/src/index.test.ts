import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import {
  Journal,
  JournalCorruptError,
  JournalLockBusyError,
  isJournalError,
  repairJournal,
  type JournalState,
} from './index.js';
import { FileLock } from './lock.js';
import { crc32Js, encodeRecord } from './record.js';

type Entry = { t: 'add'; n: number } | { t: 'snap'; total: number; count: number };

class Counter implements JournalState<Entry> {
  total = 0;
  count = 0;
  apply(e: Entry) {
    if (e.t === 'add') {
      this.total += e.n;
      this.count++;
    } else {
      this.total = e.total;
      this.count = e.count;
    }
  }
  reset() {
    this.total = 0;
    this.count = 0;
  }
  snapshot(): Entry {
    return { t: 'snap', total: this.total, count: this.count };
  }
}

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const file = () => {
  const dir = mkdtempSync(join(tmpdir(), 'journal-'));
  dirs.push(dir);
  return join(dir, 'j.jsonl');
};
const line = (entry: Entry) => encodeRecord(JSON.stringify(entry)).toString('utf8');

const holderScript = fileURLToPath(new URL('../test/lock-holder.mjs', import.meta.url));
/** A separate process holding the journal's lock, alive until killed. */
async function lockHolder(path: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [holderScript, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return child;
}

describe('Journal', () => {
  it('waits for a lock held by another writer, then appends; a free lock is taken at once', async () => {
    const path = file();
    const state = new Counter();
    const journal = new Journal(path, state);
    await journal.write((append) => append({ t: 'add', n: 1 })); // free lock: taken at once
    const other = new FileLock(path);
    expect(other.tryAcquire()).toBe(true);
    let done = false;
    const waiting = journal.write((append) => append({ t: 'add', n: 2 })).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(done).toBe(false); // still waiting for the other holder
    expect(state.total).toBe(1);
    other.release();
    await waiting;
    expect(state.total).toBe(3);
    expect(existsSync(`${path}.lock`)).toBe(false); // released after the write
  });

  it('takes over at once from a holder that was killed with the lock (no staleness timeout)', async () => {
    const path = file();
    const journal = new Journal(path, new Counter());
    const holder = await lockHolder(path);
    expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8'))).toMatchObject({ pid: holder.pid });
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    const started = performance.now();
    await journal.write((append) => append({ t: 'add', n: 1 }));
    const ms = performance.now() - started;
    // The old lock waited ~9.5 s for a 10 s staleness threshold, then failed.
    expect(ms).toBeLessThan(1000);
    expect(existsSync(`${path}.lock`)).toBe(false);
    expect(existsSync(`${path}.lock.break`)).toBe(false);
  });

  it('a lock held by a live process past the wait is a retryable JournalLockBusyError, nothing written', async () => {
    const path = file();
    const state = new Counter();
    const journal = new Journal(path, state, { lockWaitMs: 300 });
    const holder = await lockHolder(path);
    const error: unknown = await journal
      .write((append) => append({ t: 'add', n: 1 }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JournalLockBusyError);
    expect(isJournalError(error) && error.retryable).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('');
    expect(state.total).toBe(0);
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    await journal.write((append) => append({ t: 'add', n: 1 }));
    expect(state.total).toBe(1);
  });

  it('a lock whose pid was reused by another process is abandoned', async () => {
    const path = file();
    const journal = new Journal(path, new Counter());
    // Our own pid, but another start time: what a reused pid looks like.
    const holder = { pid: process.pid, start: '1', host: '', token: 'x' };
    const lock = new FileLock(path);
    expect(lock.tryAcquire()).toBe(true);
    const real = JSON.parse(readFileSync(`${path}.lock`, 'utf8')) as typeof holder;
    lock.release();
    if (real.start === null) return; // no /proc: start times are unknown on this platform
    writeFileSync(`${path}.lock`, JSON.stringify({ ...holder, host: real.host }));
    await journal.write((append) => append({ t: 'add', n: 1 }));
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('applies its own copy of what was written, never the caller’s object', async () => {
    const seen: unknown[] = [];
    const journal = new Journal(file(), {
      apply: (e: Entry) => void seen.push(e),
      reset: () => undefined,
      snapshot: (): Entry => ({ t: 'snap', total: 0, count: 0 }),
    });
    const entry: Entry = { t: 'add', n: 5 };
    await journal.write((append) => append(entry));
    expect(seen).toEqual([{ t: 'add', n: 5 }]);
    expect(seen[0]).not.toBe(entry);
  });

  it('applies appends, and a second instance on the file follows them', async () => {
    const path = file();
    const a = new Counter();
    const b = new Counter();
    const ja = new Journal(path, a);
    const jb = new Journal(path, b);
    await ja.write((append) => {
      append({ t: 'add', n: 2 });
      append({ t: 'add', n: 3 });
    });
    await jb.write((append) => append({ t: 'add', n: 10 }));
    ja.refresh();
    expect([a.total, b.total]).toEqual([15, 15]);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('serializes concurrent writers across instances: no append is lost', async () => {
    const path = file();
    const states = [new Counter(), new Counter(), new Counter()];
    const journals = states.map((s) => new Journal(path, s));
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => journals[i % 3]!.write((append) => append({ t: 'add', n: 1 }))),
    );
    const fresh = new Counter();
    new Journal(path, fresh);
    expect(fresh).toMatchObject({ total: 60, count: 60 });
  });

  it('groups waiting writes into one commit: each sees the ones before it, a failing one fails alone', async () => {
    const path = file();
    const state = new Counter();
    const journal = new Journal(path, state);
    const totals: number[] = [];
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        journal.write((append) => {
          if (i === 3) throw new Error('refused');
          append({ t: 'add', n: 1 });
          totals.push(state.total);
          return i;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    expect(totals).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const fresh = new Counter();
    new Journal(path, fresh);
    expect(fresh.total).toBe(7);
    // One group: the file was written by one commit, so it holds the 7 lines in order.
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(7);
  });

  it('shares one fsync between the writes waiting together', async () => {
    const journal = new Journal(file(), new Counter());
    await Promise.all(
      Array.from({ length: 16 }, () => journal.write((append) => append({ t: 'add', n: 1 }))),
    );
    expect(journal.commits).toBe(1);
    await journal.write((append) => append({ t: 'add', n: 1 }));
    expect(journal.commits).toBe(2);
  });

  it('after writers were seen together, waits a few turns of the loop for the ones still on their way', async () => {
    // Writers arriving one turn apart, as requests read from a pipe do: after a group of 8, the
    // next group waits for them; with lingerTurns 0 each turn's writer commits alone.
    const staggered = async (journal: Journal<Entry>) => {
      await Promise.all(
        Array.from({ length: 8 }, () => journal.write((append) => append({ t: 'add', n: 1 }))),
      );
      const before = journal.commits;
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < 3; i++) {
        writes.push(journal.write((append) => append({ t: 'add', n: 1 })));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.all(writes);
      return journal.commits - before;
    };
    expect(await staggered(new Journal(file(), new Counter()))).toBe(1);
    expect(await staggered(new Journal(file(), new Counter(), { lingerTurns: 0 }))).toBe(3);
    // A writer alone is not held back: each lone write is its own commit, at once.
    const alone = new Journal(file(), new Counter());
    for (let i = 0; i < 3; i++) await alone.write((append) => append({ t: 'add', n: 1 }));
    expect(alone.commits).toBe(3);
  });

  it('ignores a torn last line and truncates it on the next write', async () => {
    const path = file();
    const s = new Counter();
    const j = new Journal(path, s);
    await j.write((append) => append({ t: 'add', n: 1 }));
    appendFileSync(path, '{"t":"add","n":');
    const t = new Counter();
    const j2 = new Journal(path, t);
    expect(t.total).toBe(1);
    await j2.write((append) => append({ t: 'add', n: 5 }));
    expect(readFileSync(path, 'utf8')).toBe(line({ t: 'add', n: 1 }) + line({ t: 'add', n: 5 }));
  });

  it('compacts into a snapshot that others reload', async () => {
    const path = file();
    const s = new Counter();
    const j = new Journal(path, s, { compactBytes: 200 });
    const other = new Counter();
    const jo = new Journal(path, other, { compactBytes: 200 });
    for (let i = 0; i < 50; i++) await j.write((append) => append({ t: 'add', n: i }));
    expect(statSync(path).size).toBeLessThan(500);
    expect(JSON.parse(readFileSync(path, 'utf8').split('\t')[0]!)).toMatchObject({ t: 'snap' });
    jo.refresh();
    expect(other).toMatchObject({ total: 1225, count: 50 });
    const fresh = new Counter();
    new Journal(path, fresh);
    expect(fresh).toMatchObject({ total: 1225, count: 50 });
  });

  it('releases the lock when the writer throws', async () => {
    const path = file();
    const j = new Journal(path, new Counter());
    await expect(
      j.write(() => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(existsSync(`${path}.lock`)).toBe(false);
    await j.write((append) => append({ t: 'add', n: 1 }));
  });
});

describe('checksums and repair', () => {
  it('writes each record as JSON, a tab and its CRC-32', async () => {
    const path = file();
    await new Journal(path, new Counter()).write((append) => append({ t: 'add', n: 7 }));
    const text = '{"t":"add","n":7}';
    const native = (zlib as { crc32?: (text: string) => number }).crc32;
    const crc = native ? native(text) : crc32Js(Buffer.from(text));
    expect(readFileSync(path, 'utf8')).toBe(`${text}\t${crc.toString(16).padStart(8, '0')}\n`);
    expect(crc32Js(Buffer.from(text))).toBe(crc);
  });

  it('still loads a journal written before checksums, and appends checksummed lines to it', async () => {
    const path = file();
    writeFileSync(path, '{"t":"add","n":1}\n{"t":"add","n":2}\n');
    const state = new Counter();
    const journal = new Journal(path, state);
    expect(state.total).toBe(3);
    await journal.write((append) => append({ t: 'add', n: 4 }));
    const fresh = new Counter();
    new Journal(path, fresh);
    expect(fresh.total).toBe(7);
  });

  it.each([
    ['a byte flipped inside a string value', (t: string) => t.replace('"add","n":2', '"adc","n":2')],
    ['a digit changed', (t: string) => t.replace('"n":2', '"n":3')],
    ['a line that is not JSON', (t: string) => t.replace(/^.*"n":2.*$/m, '#garbage')],
    ['a checksum missing after checksummed lines', (t: string) => t.replace(/("n":2})\t[0-9a-f]+/, '$1')],
  ])('refuses %s, naming the file and line, every time until repaired', async (_name, damage) => {
    const path = file();
    const journal = new Journal(path, new Counter());
    for (const n of [1, 2, 3]) await journal.write((append) => append({ t: 'add', n }));
    writeFileSync(path, damage(readFileSync(path, 'utf8')));
    const open = () => new Journal(path, new Counter());
    expect(open).toThrow(JournalCorruptError);
    expect(open).toThrow(`The journal ${path} is damaged at line 2`);

    const result = await repairJournal(path);
    expect(result).toMatchObject({ repaired: true, keptLines: 1, damagedLine: 2 });
    expect(readFileSync(path, 'utf8')).toBe(line({ t: 'add', n: 1 }));
    expect(readFileSync(result.movedTo!, 'utf8')).toContain('"n":3');
    const repaired = new Counter();
    new Journal(path, repaired);
    expect(repaired.total).toBe(1);
    await new Journal(path, new Counter()).write((append) => append({ t: 'add', n: 10 }));
    const after = new Counter();
    new Journal(path, after);
    expect(after.total).toBe(11);
    expect(await repairJournal(path)).toEqual({ repaired: false, keptLines: 2 });
  });

  it('a running instance refuses damage appended by another writer, and keeps refusing', async () => {
    const path = file();
    const state = new Counter();
    const journal = new Journal(path, state);
    await journal.write((append) => append({ t: 'add', n: 1 }));
    appendFileSync(path, '{"t":"add","n":2}\t00000000\n');
    expect(() => journal.refresh()).toThrow(`The journal ${path} is damaged at line 2 (checksum mismatch)`);
    expect(() => journal.refresh()).toThrow(JournalCorruptError);
    await expect(journal.write((append) => append({ t: 'add', n: 9 }))).rejects.toBeInstanceOf(
      JournalCorruptError,
    );
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(3); // nothing appended after the damage
  });

  it('file-journal-repair repairs from the command line', () => {
    const path = file();
    writeFileSync(
      path,
      line({ t: 'add', n: 1 }) + '{"t":"add","n":2}\tdeadbeef\n' + line({ t: 'add', n: 3 }),
    );
    const bin = fileURLToPath(new URL('../dist/repair-bin.js', import.meta.url));
    const run = spawnSync(process.execPath, [bin, path], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      `Repaired ${path}: line 2 was damaged (checksum mismatch); kept the 1 lines before it`,
    );
    expect(readFileSync(path, 'utf8')).toBe(line({ t: 'add', n: 1 }));
    const again = spawnSync(process.execPath, [bin, path], { encoding: 'utf8' });
    expect(again.stdout).toContain('has no damaged line');
    const usage = spawnSync(process.execPath, [bin], { encoding: 'utf8' });
    expect([usage.status, usage.stderr]).toEqual([2, expect.stringContaining('Usage: file-journal-repair')]);
  });
});
