import {
  VersionConflictError,
  byIdNumber,
  idNumber,
  type Goal,
  type GoalCommit,
  type GoalStore,
  type Task,
} from '@org/goal-engine';
import type { Cluster, Redis } from 'ioredis';

/** Applies one goal commit in one step, only if the stored version is the expected one. */
const COMMIT = `
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if current ~= tonumber(ARGV[1]) then return {0, current} end
if ARGV[2] == '' then
  local ids = redis.call('HKEYS', KEYS[2])
  redis.call('DEL', KEYS[1], KEYS[2])
  return {1, current, ids}
end
redis.call('HSET', KEYS[1], 'version', ARGV[3], 'json', ARGV[2])
local nput = tonumber(ARGV[4])
local i = 5
while nput > 0 do
  local n = math.min(nput, 500)
  local args = {}
  for k = 0, n - 1 do
    args[#args + 1] = ARGV[i + 2 * k]
    args[#args + 1] = ARGV[i + 2 * k + 1]
  end
  redis.call('HSET', KEYS[2], unpack(args))
  i = i + 2 * n
  nput = nput - n
end
local ndel = #ARGV - i + 1
while ndel > 0 do
  local n = math.min(ndel, 500)
  redis.call('HDEL', KEYS[2], unpack(ARGV, i, i + n - 1))
  i = i + n
  ndel = ndel - n
end
return {1, current}
`;

/** Moves a counter up to ARGV[1] unless it is already there. */
const RESERVE = `
local c = tonumber(redis.call('GET', KEYS[1]) or '0')
if c < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return c
`;

type Client = (Redis | Cluster) & {
  goalCommit(goalKey: string, tasksKey: string, ...args: string[]): Promise<[number, number, string[]?]>;
  goalReserve(counterKey: string, atLeast: string): Promise<number>;
};

export interface RedisGoalStoreOptions {
  /** Prefix of every key. @default 'goal_agent' */
  prefix?: string;
}

/**
 * A GoalStore on Redis. Keys (prefix `p`):
 * `p:counter:goal|task` (INCRBY), `p:goals` (sorted set of goal ids by number),
 * `p:task-index` (hash task id → goal id), and per goal, under one hash tag so a Lua script can
 * change them together on Redis Cluster: `{p:GOAL-0001}:goal` (hash: version, json) and
 * `{p:GOAL-0001}:tasks` (hash: task id → json). Nothing expires.
 *
 * A commit is one Lua script on the goal's two keys (atomic, version-checked), plus the goal set
 * and task index written before it for new entries and after it for removed ones; an entry the
 * index has but the goal's hash lacks reads as absent, so a crash between the two leaves no
 * visible half-write. Every operation costs at most three round trips, whatever the store holds,
 * except the reads that return a whole goal or all goals.
 */
export class RedisGoalStore implements GoalStore {
  private readonly redis: Client;
  private readonly prefix: string;

  /** Uses the given client (standalone or cluster); the caller owns and closes it. */
  constructor(redis: Redis | Cluster, options: RedisGoalStoreOptions = {}) {
    this.prefix = options.prefix ?? 'goal_agent';
    if (!('goalCommit' in redis)) {
      redis.defineCommand('goalCommit', { numberOfKeys: 2, lua: COMMIT });
      redis.defineCommand('goalReserve', { numberOfKeys: 1, lua: RESERVE });
    }
    this.redis = redis as Client;
  }

  /** The keys of one goal (both in the goal's hash-tag slot). */
  goalKeys(goalId: string): { goal: string; tasks: string } {
    const tag = `{${this.prefix}:${goalId}}`;
    return { goal: `${tag}:goal`, tasks: `${tag}:tasks` };
  }

  private get goalsKey() {
    return `${this.prefix}:goals`;
  }

  private get indexKey() {
    return `${this.prefix}:task-index`;
  }

  private counterKey(kind: 'goal' | 'task') {
    return `${this.prefix}:counter:${kind}`;
  }

  async allocateIds(kind: 'goal' | 'task', count: number): Promise<number> {
    const last = await this.redis.incrby(this.counterKey(kind), count);
    return last - count + 1;
  }

  async reserveIdsUpTo(kind: 'goal' | 'task', atLeast: number): Promise<void> {
    await this.redis.goalReserve(this.counterKey(kind), String(atLeast));
  }

  async getGoal(goalId: string): Promise<Goal | null> {
    const json = await this.redis.hget(this.goalKeys(goalId).goal, 'json');
    return json ? (JSON.parse(json) as Goal) : null;
  }

  async listGoals(): Promise<Goal[]> {
    const ids = await this.redis.zrange(this.goalsKey, 0, -1);
    const found = await Promise.all(ids.map((id) => this.getGoal(id)));
    return found.filter((g): g is Goal => g !== null);
  }

  async getGoalTasks(goalId: string): Promise<Task[]> {
    const values = await this.redis.hvals(this.goalKeys(goalId).tasks);
    return values.map((v) => JSON.parse(v) as Task).sort(byIdNumber);
  }

  async getGoalWithTasks(goalId: string): Promise<{ goal: Goal; tasks: Task[] } | null> {
    // One MULTI: both keys share the goal's hash tag, so it also runs on a cluster.
    const keys = this.goalKeys(goalId);
    const replies = await this.redis.multi().hget(keys.goal, 'json').hvals(keys.tasks).exec();
    const [[goalError, json], [tasksError, values]] = replies as [
      [Error | null, string | null],
      [Error | null, string[]],
    ];
    if (goalError ?? tasksError) throw goalError ?? tasksError;
    if (!json) return null;
    return {
      goal: JSON.parse(json) as Goal,
      tasks: values.map((v) => JSON.parse(v) as Task).sort(byIdNumber),
    };
  }

  async getTasks(taskIds: readonly string[]): Promise<(Task | null)[]> {
    if (taskIds.length === 0) return [];
    const goalIds = await this.redis.hmget(this.indexKey, ...taskIds);
    const byGoal = new Map<string, number[]>();
    goalIds.forEach((g, k) => {
      if (g) byGoal.set(g, [...(byGoal.get(g) ?? []), k]);
    });
    const out: (Task | null)[] = taskIds.map(() => null);
    await Promise.all(
      [...byGoal].map(async ([goalId, positions]) => {
        const values = await this.redis.hmget(
          this.goalKeys(goalId).tasks,
          ...positions.map((k) => taskIds[k]!),
        );
        values.forEach((v, j) => {
          if (v) out[positions[j]!] = JSON.parse(v) as Task;
        });
      }),
    );
    return out;
  }

  async commit(change: GoalCommit): Promise<void> {
    const keys = this.goalKeys(change.goalId);
    const before: Promise<unknown>[] = [];
    if (change.putTasks.length > 0) {
      before.push(
        this.redis.hset(this.indexKey, Object.fromEntries(change.putTasks.map((t) => [t.id, change.goalId]))),
      );
    }
    if (change.expectedVersion === 0 && change.goal) {
      before.push(this.redis.zadd(this.goalsKey, idNumber(change.goalId), change.goalId));
    }
    await Promise.all(before);
    const args: string[] = [
      String(change.expectedVersion),
      change.goal ? JSON.stringify(change.goal) : '',
      String(change.goal?.version ?? 0),
      String(change.putTasks.length),
    ];
    for (const t of change.putTasks) args.push(t.id, JSON.stringify(t));
    args.push(...change.deleteTaskIds);
    const [ok, current, removed] = await this.redis.goalCommit(keys.goal, keys.tasks, ...args);
    if (ok !== 1)
      throw new VersionConflictError(change.goalId, change.expectedVersion, current === 0 ? null : current);
    const after: Promise<unknown>[] = [];
    const unindex = change.goal ? change.deleteTaskIds : (removed ?? []);
    if (unindex.length > 0) after.push(this.redis.hdel(this.indexKey, ...unindex));
    if (!change.goal) after.push(this.redis.zrem(this.goalsKey, change.goalId));
    await Promise.all(after);
  }
}
