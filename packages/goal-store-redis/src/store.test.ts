import { goalStoreContract } from '@org/goal-engine/contract';
import { GoalEngine } from '@org/goal-engine';
import { startRedis, type RedisInstance } from '@org/mcp-core/testing';
import { Redis } from 'ioredis';
import calculateSlot from 'cluster-key-slot';
import { RedisGoalStore } from './store.js';

let redis: RedisInstance;
let db = 0;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.close();
});

function client(database = db) {
  return new Redis({ port: redis.port, host: '127.0.0.1', db: database, lazyConnect: false });
}

describe('RedisGoalStore passes the store contract', () => {
  for (const c of goalStoreContract(async () => {
    // Each case gets its own logical database on the private server, flushed first.
    const conn = client((db = (db + 1) % 16));
    await conn.flushdb();
    return { store: new RedisGoalStore(conn), close: async () => void conn.disconnect() };
  })) {
    it(c.name, () => c.run());
  }
});

describe('RedisGoalStore keys', () => {
  it('keeps every key of a goal in one cluster slot, under the prefix, with no expiry', async () => {
    const conn = client(15);
    await conn.flushdb();
    const store = new RedisGoalStore(conn, { prefix: 'ga' });
    const engine = new GoalEngine(store, { now: () => new Date('2026-01-01T00:00:00Z') });
    const goal = await engine.createGoal({ description: 'g' });
    await engine.breakDownGoal(goal.id, [{ description: 'a' }, { description: 'b', dependencies: [0] }]);
    const keys = (await conn.keys('*')).sort();
    expect(keys).toEqual([
      'ga:counter:goal',
      'ga:counter:task',
      'ga:goals',
      'ga:task-index',
      '{ga:GOAL-0001}:goal',
      '{ga:GOAL-0001}:tasks',
    ]);
    const { goal: goalKey, tasks: tasksKey } = store.goalKeys(goal.id);
    expect(calculateSlot(goalKey)).toBe(calculateSlot(tasksKey));
    for (const key of keys) expect(await conn.ttl(key)).toBe(-1);
    conn.disconnect();
  });

  it('a store-sized update costs the same round trips with 10 or 10,000 tasks stored', async () => {
    const conn = client(14);
    await conn.flushdb();
    const store = new RedisGoalStore(conn);
    const engine = new GoalEngine(store, { now: () => new Date('2026-01-01T00:00:00Z') });
    let commands = 0;
    const count = () => commands;
    const original = conn.sendCommand.bind(conn);
    conn.sendCommand = ((...args: Parameters<typeof original>) => {
      commands++;
      return original(...args);
    }) as typeof conn.sendCommand;
    const measure = async (taskId: string) => {
      const start = count();
      await engine.updateTaskStatus(taskId, 'in_progress');
      return count() - start;
    };
    const small = await engine.createGoal({ description: 'small' });
    const { tasks: few } = await engine.breakDownGoal(
      small.id,
      Array.from({ length: 10 }, (_, i) => ({ description: `t${i}` })),
    );
    const withTen = await measure(few[0]!.id);
    for (let k = 0; k < 10; k++) {
      const big = await engine.createGoal({ description: `big ${k}` });
      await engine.breakDownGoal(
        big.id,
        Array.from({ length: 1000 }, (_, i) => ({ description: `t${i}` })),
      );
    }
    const withTenThousand = await measure(few[1]!.id);
    expect(withTenThousand).toBe(withTen);
    expect(withTen).toBeLessThanOrEqual(8);
    conn.disconnect();
  });
});
