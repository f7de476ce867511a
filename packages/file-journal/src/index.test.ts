import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { Journal, type JournalState } from './index.js';

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
const file = () => {
  const dir = mkdtempSync(join(tmpdir(), 'journal-'));
  dirs.push(dir);
  return join(dir, 'j.jsonl');
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('Journal', () => {
  it('waits for a lock held by another writer, then appends; a free lock is taken at once', async () => {
    const path = file();
    const state = new Counter();
    const journal = new Journal(path, state);
    await journal.write((append) => append({ t: 'add', n: 1 })); // free lock: taken at once
    const release = lockfile.lockSync(path, { realpath: false });
    let done = false;
    const waiting = journal.write((append) => append({ t: 'add', n: 2 })).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(done).toBe(false); // still waiting for the other holder
    expect(state.total).toBe(1);
    release();
    await waiting;
    expect(state.total).toBe(3);
    expect(lockfile.checkSync(path, { realpath: false })).toBe(false); // released after the write
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
    expect(readFileSync(path, 'utf8')).toBe('{"t":"add","n":1}\n{"t":"add","n":5}\n');
  });

  it('compacts into a snapshot that others reload', async () => {
    const path = file();
    const s = new Counter();
    const j = new Journal(path, s, { compactBytes: 200 });
    const other = new Counter();
    const jo = new Journal(path, other, { compactBytes: 200 });
    for (let i = 0; i < 50; i++) await j.write((append) => append({ t: 'add', n: i }));
    expect(statSync(path).size).toBeLessThan(500);
    expect(JSON.parse(readFileSync(path, 'utf8').split('\n')[0]!)).toMatchObject({ t: 'snap' });
    jo.refresh();
    expect(other).toMatchObject({ total: 1225, count: 50 });
  });

  it('releases the lock when the writer throws', async () => {
    const j = new Journal(file(), new Counter());
    await expect(
      j.write(() => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await j.write((append) => append({ t: 'add', n: 1 }));
  });
});
