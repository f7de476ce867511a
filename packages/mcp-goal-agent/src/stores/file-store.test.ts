import { readFileSync, appendFileSync, statSync } from 'node:fs';
import { makeTempDir, removeTempDirs } from '@org/mcp-core/testing';
import { GoalEngine } from '@org/goal-engine';
import { goalStoreContract } from '@org/goal-engine/contract';
import { FileGoalStore } from './file-store.js';

afterAll(removeTempDirs);

const fresh = () => makeTempDir('goal-file-store-');
const clock = () => new Date('2026-02-02T00:00:00Z');

describe('FileGoalStore passes the store contract', () => {
  for (const c of goalStoreContract(async () => ({ store: new FileGoalStore(fresh()) }))) {
    it(c.name, () => c.run());
  }
  for (const c of goalStoreContract(async () => ({
    store: new FileGoalStore(fresh(), { compactBytes: 512 }),
  }))) {
    it(`${c.name} (compacting constantly)`, () => c.run());
  }
});

describe('FileGoalStore durability and sharing', () => {
  it("survives a restart and sees another instance's writes on the same directory", async () => {
    const dir = fresh();
    const a = new GoalEngine(new FileGoalStore(dir), { now: clock });
    const b = new GoalEngine(new FileGoalStore(dir), { now: clock });
    const goal = await a.createGoal({ description: 'shared' });
    const { tasks } = await b.breakDownGoal(goal.id, [
      { description: 'x' },
      { description: 'y', dependencies: [0] },
    ]);
    await Promise.all([
      a.updateTaskStatus(tasks[0]!.id, 'completed'),
      b.linkTask(tasks[1]!.id, { branch: 'feat/y' }),
    ]);
    const reopened = new GoalEngine(new FileGoalStore(dir), { now: clock });
    const { goal: g, tasks: t } = await reopened.getGoal(goal.id);
    expect(g.version).toBe(4);
    expect(t.map((x) => [x.status, x.links.branch])).toEqual([
      ['completed', null],
      ['pending', 'feat/y'],
    ]);
    expect((await reopened.createGoal({ description: 'next' })).id).toBe('GOAL-0002');
  });

  it('ignores a torn last line after a crash and truncates it on the next write', async () => {
    const dir = fresh();
    const store = new FileGoalStore(dir);
    const engine = new GoalEngine(store, { now: clock });
    const goal = await engine.createGoal({ description: 'before crash' });
    appendFileSync(store.path, '{"t":"commit","g":"GOAL-0001","goal":{"id":"GOAL-00'); // a write cut short
    const after = new GoalEngine(new FileGoalStore(dir), { now: clock });
    expect((await after.getGoal(goal.id)).goal.description).toBe('before crash');
    await after.updateGoal(goal.id, { title: 'after crash' });
    const lines = readFileSync(store.path, 'utf8').trimEnd().split('\n');
    for (const line of lines) expect(() => JSON.parse(line.split('\t')[0]!)).not.toThrow();
    expect((await new GoalEngine(new FileGoalStore(dir), { now: clock }).getGoal(goal.id)).goal.title).toBe(
      'after crash',
    );
  });

  it('appends only what changed, and compaction keeps the state while shrinking the file', async () => {
    const dir = fresh();
    const store = new FileGoalStore(dir, { compactBytes: 64 * 1024 });
    const engine = new GoalEngine(store, { now: clock });
    const goal = await engine.createGoal({ description: 'big' });
    const { tasks } = await engine.breakDownGoal(
      goal.id,
      Array.from({ length: 200 }, (_, i) => ({ description: `task ${i}` })),
    );
    const before = statSync(store.path).size;
    await engine.updateTaskStatus(tasks[0]!.id, 'in_progress');
    const grown = statSync(store.path).size - before;
    expect(grown).toBeLessThan(3000); // one task and the goal header, not 200 tasks
    let appended = statSync(store.path).size;
    for (let round = 0; round < 300; round++) {
      const size = statSync(store.path).size;
      await engine.updateTaskStatus(tasks[round % 200]!.id, round % 2 ? 'pending' : 'in_progress');
      appended += Math.max(0, statSync(store.path).size - size);
    }
    const other = new FileGoalStore(dir);
    expect(JSON.parse(readFileSync(store.path, 'utf8').split('\t', 1)[0]!).t).toBe('snapshot');
    expect(statSync(store.path).size).toBeLessThan(appended / 2);
    expect((await other.getGoalTasks(goal.id)).length).toBe(200);
    expect((await other.getGoal(goal.id))!.version).toBe((await store.getGoal(goal.id))!.version);
  });
});
