import {
  VersionConflictError,
  byIdNumber,
  idNumber,
  idsInUse,
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

/**
 * A whole import in one step, or nothing (standalone Redis: a script is atomic, also for AOF and
 * replicas). KEYS: goal set, task index, goal counter, task counter, then each goal's two keys.
 * ARGV: the two counter targets, then per goal: id, score, version, json, number of tasks,
 * (task id, task json)… Returns {0, taken ids} without a change when an id is in use, else {1}.
 */
const IMPORT = `
local goals = (#KEYS - 4) / 2
local taken = {}
local i = 3
for g = 0, goals - 1 do
  if redis.call('EXISTS', KEYS[5 + 2 * g]) == 1 then taken[#taken + 1] = ARGV[i] end
  local n = tonumber(ARGV[i + 4])
  for k = 0, n - 1 do
    local id = ARGV[i + 5 + 2 * k]
    if redis.call('HEXISTS', KEYS[2], id) == 1 then taken[#taken + 1] = id end
  end
  i = i + 5 + 2 * n
end
if #taken > 0 then return {0, taken} end
i = 3
for g = 0, goals - 1 do
  local id, n = ARGV[i], tonumber(ARGV[i + 4])
  redis.call('HSET', KEYS[5 + 2 * g], 'version', ARGV[i + 2], 'json', ARGV[i + 3])
  redis.call('ZADD', KEYS[1], ARGV[i + 1], id)
  for k = 0, n - 1 do
    local taskId = ARGV[i + 5 + 2 * k]
    redis.call('HSET', KEYS[6 + 2 * g], taskId, ARGV[i + 6 + 2 * k])
    redis.call('HSET', KEYS[2], taskId, id)
  end
  i = i + 5 + 2 * n
end
for c = 0, 1 do
  local current = tonumber(redis.call('GET', KEYS[3 + c]) or '0')
  if current < tonumber(ARGV[1 + c]) then redis.call('SET', KEYS[3 + c], ARGV[1 + c]) end
end
return {1}
`;

type Client = (Redis | Cluster) & {
  goalCommit(goalKey: string, tasksKey: string, ...args: string[]): Promise<[number, number, string[]?]>;
  goalReserve(counterKey: string, atLeast: string): Promise<number>;
  goalImport(...keysThenArgs: string[]): Promise<[0, string[]] | [1]>;
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
      redis.defineCommand('goalImport', { lua: IMPORT });
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

  /**
   * On a single Redis: one Lua script, so a crash leaves all of the import or none of it. On a
   * Cluster a script cannot span the goals' slots: goal by goal, each one atomic, the ones made
   * removed again if a later one fails (a crash midway can leave part of the import there).
   */
  async importGoals(
    goals: readonly { goal: Goal; tasks: readonly Task[] }[],
    counters: { goal: number; task: number },
  ): Promise<void> {
    if ((this.redis as Cluster).isCluster) return this.importGoalByGoal(goals, counters);
    const keys = [this.goalsKey, this.indexKey, this.counterKey('goal'), this.counterKey('task')];
    const args = [String(counters.goal), String(counters.task)];
    for (const { goal, tasks } of goals) {
      const k = this.goalKeys(goal.id);
      keys.push(k.goal, k.tasks);
      args.push(
        goal.id,
        String(idNumber(goal.id)),
        String(goal.version),
        JSON.stringify(goal),
        String(tasks.length),
      );
      for (const t of tasks) args.push(t.id, JSON.stringify(t));
    }
    const reply = await this.redis.goalImport(String(keys.length), ...keys, ...args);
    if (reply[0] === 0) throw idsInUse(reply[1]);
  }

  private async importGoalByGoal(
    goals: readonly { goal: Goal; tasks: readonly Task[] }[],
    counters: { goal: number; task: number },
  ): Promise<void> {
    const ids = goals.flatMap((g) => g.tasks.map((t) => t.id));
    const taken = [
      ...(await Promise.all(goals.map((g) => this.getGoal(g.goal.id)))).flatMap((g) => (g ? [g.id] : [])),
      ...(ids.length > 0 ? await this.redis.hmget(this.indexKey, ...ids) : [])
        .map((owner, k) => (owner ? ids[k]! : null))
        .filter((id): id is string => id !== null),
    ];
    if (taken.length > 0) throw idsInUse(taken);
    await this.reserveIdsUpTo('goal', counters.goal);
    await this.reserveIdsUpTo('task', counters.task);
    const created: Goal[] = [];
    try {
      for (const { goal, tasks } of goals) {
        await this.commit({ goalId: goal.id, expectedVersion: 0, goal, putTasks: tasks, deleteTaskIds: [] });
        created.push(goal);
      }
    } catch (error) {
      for (const goal of created.reverse()) {
        await this.commit({
          goalId: goal.id,
          expectedVersion: goal.version,
          goal: null,
          putTasks: [],
          deleteTaskIds: [],
        }).catch(() => undefined);
      }
      throw error;
    }
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
