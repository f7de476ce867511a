import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  callTool,
  spawnStdioServer,
  startRedis,
  type RedisInstance,
  type SpawnedServer,
  makeTempDir,
  removeTempDirs,
} from '@org/mcp-core/testing';

afterAll(removeTempDirs);

const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));
const baseEnv = { PATH: process.env['PATH'], MCP_LOG_LEVEL: 'warn' };

async function spawn(env: Record<string, string | undefined>): Promise<SpawnedServer> {
  return spawnStdioServer({ command: process.execPath, args: [bin], env: { ...baseEnv, ...env } });
}

async function call<T = Record<string, unknown>>(
  server: SpawnedServer,
  name: string,
  args: Record<string, unknown> = {},
) {
  return callTool<T>(server.client, name, args);
}

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis({ persist: true });
});
afterAll(async () => {
  await redis?.close();
});

describe('the built bin over stdio', () => {
  it('--help lists the store variables and --check reports the store', () => {
    const help = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    for (const name of [
      'GOAL_AGENT_STORE',
      'GOAL_AGENT_DATA_DIR',
      'REDIS_URL',
      'REDIS_HOST',
      'REDIS_PASSWORD',
      'MCP_READ_ONLY',
    ])
      expect(help).toContain(name);
    const dir = makeTempDir('goal-agent-check-');
    const check = execFileSync(process.execPath, [bin, '--check'], {
      encoding: 'utf8',
      env: { ...baseEnv, GOAL_AGENT_DATA_DIR: dir },
    });
    expect(check).toMatch(/ok {4}file store: \S*goal-agent-check-\w+ \(0 bytes\)/);
  });

  it('--check creates no data directory and no journal', () => {
    const dir = `${makeTempDir('goal-agent-check-')}/not-yet`;
    const out = execFileSync(process.execPath, [bin, '--check'], {
      encoding: 'utf8',
      env: { ...baseEnv, GOAL_AGENT_DATA_DIR: dir },
    });
    expect(out).toMatch(/ok {4}file store: /);
    expect(existsSync(dir)).toBe(false);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits 0 on ${signal} after it has written to its file store (issue 18, defect 11)`, async () => {
      const server = await spawn({ GOAL_AGENT_DATA_DIR: makeTempDir('goal-agent-signal-') });
      expect(await call(server, 'create_goal', { description: 'survive a signal' })).toMatchObject({
        ok: true,
      });
      server.child.kill(signal);
      expect(await server.exited).toBe(0);
    });
  }

  it('--check fails with exit 1 when Redis is unreachable, without showing the password', () => {
    let out = '';
    let code = 0;
    try {
      execFileSync(process.execPath, [bin, '--check'], {
        encoding: 'utf8',
        env: { ...baseEnv, REDIS_URL: 'redis://:sup3r-secret-pw@127.0.0.1:1/0' },
        stdio: 'pipe',
      });
    } catch (error) {
      const e = error as { status: number; stdout: string; stderr: string };
      code = e.status;
      out = e.stdout + e.stderr;
    }
    expect(code).toBe(1);
    expect(out).toMatch(/FAIL {2}redis store: redis at 127\.0\.0\.1:1\/0 is unreachable/);
    expect(out).not.toContain('sup3r-secret-pw');
  });

  for (const kind of ['file', 'redis'] as const) {
    it(`keeps state across a server restart on the ${kind} store`, async () => {
      const env =
        kind === 'file'
          ? { GOAL_AGENT_DATA_DIR: makeTempDir('goal-agent-bin-') }
          : { REDIS_URL: redis.url, GOAL_AGENT_KEY_PREFIX: 'restart' };
      const first = await spawn({ ...env, MCP_LOG_LEVEL: 'info' });
      expect(await call(first, 'create_goal', { description: 'Survive a restart' })).toMatchObject({
        ok: true,
        data: { id: 'GOAL-0001' },
      });
      expect(
        await call(first, 'break_down_goal', {
          goal_id: 'GOAL-0001',
          subtasks: [{ description: 'a' }, { description: 'b', dependencies: [0] }],
        }),
      ).toMatchObject({ ok: true });
      expect(
        await call(first, 'update_task_status', { task_id: 'TASK-0001', status: 'completed' }),
      ).toMatchObject({ ok: true });
      expect(await first.close()).toBe(0);
      expect(first.nonProtocolLines).toEqual([]);
      // The bundled logger writes at info (pino is loaded on the first line), and flushes on exit.
      expect(first.stderr()).toContain('goal store opened');
      expect(first.stderr()).toContain('shutting down');
      const second = await spawn(env);
      expect(await call(second, 'get_goal', { goal_id: 'GOAL-0001' })).toMatchObject({
        ok: true,
        data: {
          goal: { status: 'in_progress' },
          tasks: [
            { id: 'TASK-0001', status: 'completed' },
            { id: 'TASK-0002', status: 'pending' },
          ],
        },
      });
      expect(await call(second, 'create_goal', { description: 'next' })).toMatchObject({
        ok: true,
        data: { id: 'GOAL-0002' },
      });
      expect(await second.close()).toBe(0);
    });
  }

  it('survives Redis being killed mid-run: answers unavailable while it is down, reconnects, loses no acknowledged write', async () => {
    const server = await spawn({ REDIS_URL: redis.url, GOAL_AGENT_KEY_PREFIX: 'fault' });
    try {
      expect(await call(server, 'create_goal', { description: 'before the outage' })).toMatchObject({
        ok: true,
      });
      const acknowledged: string[] = [];
      const writes = Array.from({ length: 30 }, (_, i) => i);
      let outageSeen = false;
      for (const i of writes) {
        if (i === 10) await redis.kill();
        if (i === 20) await redis.start();
        const result = await call<{ tasks: { id: string }[] }>(server, 'break_down_goal', {
          goal_id: 'GOAL-0001',
          subtasks: [{ description: `write ${i}` }],
        });
        if (result.ok) acknowledged.push(result.data.tasks[0]!.id);
        else {
          expect(result.error).toMatchObject({ type: 'unavailable', retryable: true });
          expect(result.error.hint).toMatch(/reconnects by itself/);
          outageSeen = true;
        }
        if (i >= 20 && !result.ok) await new Promise((r) => setTimeout(r, 300));
      }
      expect(outageSeen).toBe(true);
      // Once Redis is back, the server answers again without a restart.
      let recovered = false;
      for (let k = 0; k < 50 && !recovered; k++) {
        recovered = (await call(server, 'get_cache_status')).ok && (await call(server, 'list_goals')).ok;
        if (!recovered) await new Promise((r) => setTimeout(r, 200));
      }
      expect(recovered).toBe(true);
      const goal = await call<{ tasks: { id: string }[] }>(server, 'get_goal', {
        goal_id: 'GOAL-0001',
        limit: 100,
      });
      expect(goal.ok).toBe(true);
      const stored = goal.ok ? goal.data.tasks.map((t) => t.id) : [];
      for (const id of acknowledged) expect(stored).toContain(id);
      expect(stored).toHaveLength(acknowledged.length);
      expect(acknowledged.length).toBeGreaterThanOrEqual(10);
      expect(server.child.exitCode).toBeNull();
    } finally {
      if (redis) await redis.start().catch(() => undefined);
      expect(await server.close()).toBe(0);
    }
  });
});

describe('several goal-agent processes on one store', () => {
  for (const kind of ['redis', 'file'] as const) {
    it(`${kind}: concurrent creates, breakdowns, status changes and claims lose nothing and never double-claim`, async () => {
      const env =
        kind === 'file'
          ? { GOAL_AGENT_DATA_DIR: makeTempDir('goal-agent-multi-') }
          : { REDIS_URL: redis.url, GOAL_AGENT_KEY_PREFIX: 'multi' };
      const servers = await Promise.all([0, 1, 2].map(() => spawn(env)));
      try {
        // Every process creates goals at once: ids never collide.
        const created = await Promise.all(
          servers.flatMap((s) =>
            [0, 1, 2].map(() => call<{ id: string }>(s, 'create_goal', { description: 'shared work' })),
          ),
        );
        const goalIds = created.map((r) => (r.ok ? r.data.id : 'failed'));
        expect(new Set(goalIds).size).toBe(9);
        // Concurrent breakdowns into one goal from every process: every task lands, ids unique.
        const breakdowns = await Promise.all(
          servers.flatMap((s, p) =>
            [0, 1].map((k) =>
              call<{ tasks: { id: string }[] }>(s, 'break_down_goal', {
                goal_id: goalIds[0],
                subtasks: Array.from({ length: 5 }, (_, i) => ({ description: `p${p} b${k} t${i}` })),
              }),
            ),
          ),
        );
        const taskIds = breakdowns.flatMap((r) => (r.ok ? r.data.tasks.map((t) => t.id) : []));
        expect(breakdowns.every((r) => r.ok)).toBe(true);
        expect(new Set(taskIds).size).toBe(30);
        // Every process claims until nothing is left: each task claimed exactly once.
        const claims = await Promise.all(
          servers.map(async (s, p) => {
            const mine: string[] = [];
            for (;;) {
              const r = await call<{ task: { id: string } | null }>(s, 'claim_next_task', {
                owner: `agent-${p}`,
                goal_id: goalIds[0],
              });
              if (!r.ok) throw new Error(JSON.stringify(r.error));
              if (!r.data.task) return mine;
              mine.push(r.data.task.id);
            }
          }),
        );
        const claimed = claims.flat();
        expect(claimed.sort()).toEqual([...taskIds].sort());
        // Concurrent completions from all processes: no update lost.
        const results = await Promise.all(
          claimed.map((id, i) =>
            call(servers[i % 3]!, 'update_task_status', { task_id: id, status: 'completed' }),
          ),
        );
        expect(results.every((r) => r.ok)).toBe(true);
        const final = await call<{
          goal: { status: string; task_counts: Record<string, number>; version: number };
          tasks: { owner: string }[];
        }>(servers[0]!, 'get_goal', { goal_id: goalIds[0] });
        expect(final).toMatchObject({
          ok: true,
          data: { goal: { status: 'completed', task_counts: { completed: 30, in_progress: 0, pending: 0 } } },
        });
        // 1 create + 6 breakdowns + 30 claims + 30 completions, each exactly one version.
        expect(final.ok && final.data.goal.version).toBe(67);
        for (const s of servers) expect(s.nonProtocolLines).toEqual([]);
      } finally {
        await Promise.all(servers.map((s) => s.close()));
      }
    });
  }
});
