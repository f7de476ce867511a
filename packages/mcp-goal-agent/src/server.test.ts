import {
  callTool,
  connectServer,
  startRedis,
  type ServerSession,
  type RedisInstance,
  makeTempDir,
  removeTempDirs,
} from '@org/mcp-core/testing';
import type { Deps } from './deps.js';
import { server } from './server.js';

afterAll(removeTempDirs);

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.close();
});

let prefixCounter = 0;
type Kind = 'file' | 'redis';
function envFor(kind: Kind, extra: Record<string, string> = {}): Record<string, string> {
  return kind === 'file'
    ? { GOAL_AGENT_DATA_DIR: makeTempDir('goal-agent-test-'), ...extra }
    : { REDIS_URL: redis.url, GOAL_AGENT_KEY_PREFIX: `test${process.pid}_${++prefixCounter}`, ...extra };
}

type Session = ServerSession<Deps>;
const connect = (env: Record<string, string>): Promise<Session> => connectServer(server, env);

const READERS = [
  'get_goal',
  'list_goals',
  'get_task',
  'batch_get_tasks',
  'get_next_tasks',
  'generate_execution_plan',
  'save_state_to_cache',
  'get_cache_status',
];
const ALL = [
  'create_goal',
  'get_goal',
  'list_goals',
  'update_goal',
  'delete_goal',
  'break_down_goal',
  'get_task',
  'batch_get_tasks',
  'update_task_status',
  'batch_update_tasks',
  'delete_task',
  'add_dependency',
  'remove_dependency',
  'link_task',
  'claim_next_task',
  'get_next_tasks',
  'generate_execution_plan',
  'save_state_to_cache',
  'restore_state_from_cache',
  'get_cache_status',
];

const SUBTASKS = [
  {
    ref: 'research',
    description: 'Research rate limiting strategies',
    estimated_effort: '4h',
    type: 'research',
  },
  {
    ref: 'design',
    description: 'Design rate limit middleware',
    dependencies: ['research'],
    estimated_effort: '1d',
  },
  {
    ref: 'impl',
    description: 'Implement Redis-based limiter',
    dependencies: ['design'],
    estimated_effort: '2d',
    type: 'code',
  },
  { description: 'Add tests', dependencies: ['impl'], estimated_effort: '1d', type: 'testing' },
  { description: 'Update documentation', dependencies: [2], estimated_effort: '2h', type: 'documentation' },
  { description: 'Security review', dependencies: [3, 4], estimated_effort: '4h', type: 'review' },
];

describe.each<Kind>(['file', 'redis'])('goal-agent tools on the %s store', (kind) => {
  let s: Session;
  beforeEach(async () => {
    s = await connect(envFor(kind));
  });
  afterEach(async () => {
    await s?.close();
  });

  it('lists all 20 tools with annotations; read-only mode leaves only the readers', async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...ALL].sort());
    for (const t of tools) {
      expect(t.annotations?.readOnlyHint, t.name).toBe(READERS.includes(t.name));
      expect(t.outputSchema, t.name).toBeDefined();
    }
    const ro = await connect(envFor(kind, { MCP_READ_ONLY: 'true' }));
    expect((await ro.client.listTools()).tools.map((t) => t.name).sort()).toEqual([...READERS].sort());
    expect(await callTool(ro.client, 'create_goal', { description: 'x' })).toMatchObject({
      ok: false,
      error: { type: 'forbidden' },
    });
    await ro.close();
  });

  it('runs the whole planning workflow', async () => {
    const c = s.client;
    const goal = await callTool<{ id: string; repos: string[]; metadata: object }>(c, 'create_goal', {
      description: 'Add rate limiting to our API',
      priority: 'high',
      repos: '["org/api"]',
      metadata: '{"team":"platform"}',
    });
    expect(goal).toMatchObject({
      ok: true,
      data: { id: 'GOAL-0001', repos: ['org/api'], metadata: { team: 'platform' }, status: 'planned' },
    });
    const broken = await callTool<{ tasks: { id: string; dependencies: string[] }[]; created: number }>(
      c,
      'break_down_goal',
      {
        goal_id: 'GOAL-0001',
        subtasks: JSON.stringify(SUBTASKS),
      },
    );
    expect(broken.ok && broken.data.tasks.map((t) => [t.id, t.dependencies])).toEqual([
      ['TASK-0001', []],
      ['TASK-0002', ['TASK-0001']],
      ['TASK-0003', ['TASK-0002']],
      ['TASK-0004', ['TASK-0003']],
      ['TASK-0005', ['TASK-0003']],
      ['TASK-0006', ['TASK-0004', 'TASK-0005']],
    ]);

    const plan = await callTool<{
      execution_phases: { tasks: { id: string }[] }[];
      critical_path: { hours: number };
      mermaid: string;
    }>(c, 'generate_execution_plan', {
      goal_id: 'GOAL-0001',
      include_mermaid: true,
    });
    expect(plan.ok && plan.data.execution_phases.map((p) => p.tasks.map((t) => t.id))).toEqual([
      ['TASK-0001'],
      ['TASK-0002'],
      ['TASK-0003'],
      ['TASK-0004', 'TASK-0005'],
      ['TASK-0006'],
    ]);
    expect(plan.ok && plan.data.critical_path.hours).toBe(40);
    expect(plan.ok && plan.data.mermaid).toMatch(/^flowchart LR/);
    expect(plan.text).toContain('Phase 4 (parallel): TASK-0004 Add tests; TASK-0005 Update documentation');

    expect(await callTool(c, 'get_next_tasks', { goal_id: 'GOAL-0001' })).toMatchObject({
      ok: true,
      data: { count: 1, tasks: [{ id: 'TASK-0001' }] },
    });
    const early = await callTool(c, 'update_task_status', { task_id: 'TASK-0002', status: 'in_progress' });
    expect(early).toMatchObject({
      ok: false,
      error: { type: 'validation', error: 'TASK-0002 cannot start: TASK-0001 is pending' },
    });
    const claim = await callTool(c, 'claim_next_task', {
      owner: 'agent-a',
      goal_id: 'GOAL-0001',
      lease_seconds: 600,
    });
    expect(claim).toMatchObject({
      ok: true,
      data: { task: { id: 'TASK-0001', status: 'in_progress', owner: 'agent-a' } },
    });
    expect(await callTool(c, 'claim_next_task', { owner: 'agent-b' })).toMatchObject({
      ok: true,
      data: { task: null },
    });
    const done = await callTool(c, 'update_task_status', {
      task_id: 'TASK-0001',
      status: 'completed',
      result: '{"notes":"token bucket"}',
    });
    expect(done).toMatchObject({
      ok: true,
      data: { status: 'completed', result: { notes: 'token bucket' } },
    });
    const batch = await callTool<{ results: object[] }>(c, 'batch_update_tasks', {
      updates: [
        { task_id: 'TASK-0002', status: 'completed' },
        { task_id: 'TASK-0006', status: 'completed' },
        { task_id: 'TASK-0003', status: 'in_progress' },
      ],
    });
    expect(batch).toMatchObject({
      ok: true,
      data: {
        successful: 2,
        failed: 1,
        results: [
          { task_id: 'TASK-0002', ok: true },
          { task_id: 'TASK-0006', ok: false, code: 'validation' },
          { task_id: 'TASK-0003', ok: true },
        ],
      },
    });
    expect(await callTool(c, 'batch_get_tasks', { task_ids: '["TASK-0003","TASK-0999"]' })).toMatchObject({
      ok: true,
      data: {
        tasks: [{ id: 'TASK-0003', status: 'in_progress', started_at: expect.any(String) }],
        not_found: ['TASK-0999'],
        total: 2,
      },
    });

    expect(
      await callTool(c, 'add_dependency', { task_id: 'TASK-0003', depends_on: 'TASK-0006' }),
    ).toMatchObject({
      ok: false,
      error: {
        type: 'validation',
        error: expect.stringContaining('would close the cycle TASK-0003 → TASK-0006 → TASK-0004 → TASK-0003'),
      },
    });
    expect(
      await callTool(c, 'add_dependency', { task_id: 'TASK-0005', depends_on: 'TASK-0004' }),
    ).toMatchObject({ ok: true, data: { dependencies: ['TASK-0003', 'TASK-0004'] } });
    expect(
      await callTool(c, 'remove_dependency', { task_id: 'TASK-0005', depends_on: 'TASK-0004' }),
    ).toMatchObject({ ok: true, data: { dependencies: ['TASK-0003'] } });
    expect(
      await callTool(c, 'link_task', {
        task_id: 'TASK-0003',
        jira_key: 'API-7',
        branch: 'feature/rate-limiting',
        pr_url: 'https://github.com/org/api/pull/9',
      }),
    ).toMatchObject({
      ok: true,
      data: {
        jira_ticket: 'API-7',
        links: { branch: 'feature/rate-limiting', pr_url: 'https://github.com/org/api/pull/9' },
      },
    });

    const got = await callTool<{
      goal: { status: string };
      tasks: object[];
      progress: { percent_complete: number };
    }>(c, 'get_goal', { goal_id: 'GOAL-0001' });
    expect(got).toMatchObject({
      ok: true,
      data: { goal: { status: 'in_progress' }, progress: { percent_complete: 33.3 }, truncated: false },
    });
    expect(got.ok && got.data.tasks).toHaveLength(6);
    expect(
      await callTool(c, 'update_goal', {
        goal_id: 'GOAL-0001',
        metadata: { team: null, sprint: 3 },
        title: 'Rate limits',
      }),
    ).toMatchObject({
      ok: true,
      data: { title: 'Rate limits', metadata: { sprint: 3 } },
    });
    expect(await callTool(c, 'list_goals', { status: 'in_progress' })).toMatchObject({
      ok: true,
      data: { count: 1, goals: [{ id: 'GOAL-0001' }] },
    });

    expect(await callTool(c, 'delete_task', { task_id: 'TASK-0004' })).toMatchObject({
      ok: false,
      error: { type: 'validation', error: 'TASK-0004 is a dependency of TASK-0006' },
    });
    expect(await callTool(c, 'delete_task', { task_id: 'TASK-0004', mode: 'detach' })).toMatchObject({
      ok: true,
      data: { deleted_task_ids: ['TASK-0004'], detached_from: ['TASK-0006'] },
    });

    const status = await callTool(c, 'get_cache_status');
    expect(status).toMatchObject({
      ok: true,
      data: { store: { kind, healthy: true }, current_state: { goals: 1, tasks: 5 } },
    });

    const exported = await callTool<{ state_json: string }>(c, 'save_state_to_cache');
    expect(exported).toMatchObject({
      ok: true,
      data: { state_snapshot: { goals_count: 1, tasks_count: 5 } },
    });
    const other = await connect(envFor(kind));
    expect(
      await callTool(other.client, 'restore_state_from_cache', {
        state_json: exported.ok ? exported.data.state_json : '',
      }),
    ).toMatchObject({ ok: true, data: { restored: { goals: 1, tasks: 5 } } });
    expect(
      await callTool(other.client, 'restore_state_from_cache', {
        state_json: exported.ok ? exported.data.state_json : '',
      }),
    ).toMatchObject({ ok: false, error: { type: 'conflict' } });
    expect(await callTool(other.client, 'create_goal', { description: 'after import' })).toMatchObject({
      ok: true,
      data: { id: 'GOAL-0002' },
    });
    await other.close();

    expect(await callTool(c, 'delete_goal', { goal_id: 'GOAL-0001' })).toMatchObject({
      ok: true,
      data: { deleted_task_ids: ['TASK-0001', 'TASK-0002', 'TASK-0003', 'TASK-0005', 'TASK-0006'] },
    });
    expect(await callTool(c, 'get_goal', { goal_id: 'GOAL-0001' })).toMatchObject({
      ok: false,
      error: { type: 'not_found' },
    });
  });

  it('a __proto__ metadata key is refused, not dropped while reporting success; nested, it is data', async () => {
    const c = s.client;
    const metadata = JSON.parse('{"team":"core","__proto__":{"admin":true}}') as Record<string, unknown>;
    for (const args of [{ metadata }, { metadata: JSON.stringify(metadata) }]) {
      expect(await callTool(c, 'create_goal', { description: 'g', ...args })).toMatchObject({
        ok: false,
        error: { type: 'validation', error: expect.stringContaining('"__proto__"') },
      });
    }
    expect(await callTool(c, 'list_goals')).toMatchObject({ ok: true, data: { count: 0 } });
    const created = await callTool<{ id: string }>(c, 'create_goal', { description: 'g' });
    const id = created.ok ? created.data.id : '';
    expect(await callTool(c, 'update_goal', { goal_id: id, metadata })).toMatchObject({
      ok: false,
      error: { type: 'validation' },
    });
    const nested = JSON.parse('{"team":{"__proto__":{"x":1},"y":2}}') as Record<string, unknown>;
    expect(await callTool(c, 'update_goal', { goal_id: id, metadata: nested })).toMatchObject({ ok: true });
    const got = await callTool<{ goal: { metadata: unknown; version: number } }>(c, 'get_goal', {
      goal_id: id,
    });
    expect(got.ok && JSON.stringify(got.data.goal.metadata)).toBe(JSON.stringify(nested));
    expect(got.ok && got.data.goal.version).toBe(2);
  });

  it('answers bad input with the envelope and stores nothing', async () => {
    const c = s.client;
    await callTool(c, 'create_goal', { description: 'g' });
    const bad: [string, Record<string, unknown>, string][] = [
      ['create_goal', { description: '' }, 'validation'],
      ['create_goal', { description: 'x', priority: 'urgent' }, 'validation'],
      ['create_goal', { description: 'x', repos: '{not json' }, 'validation'],
      ['get_goal', { goal_id: 'goal-1' }, 'validation'],
      ['get_goal', { goal_id: 'GOAL-0404' }, 'not_found'],
      ['get_task', { task_id: 'TASK-0404' }, 'not_found'],
      ['update_task_status', { task_id: 'TASK-0001', status: 'done' }, 'validation'],
      ['break_down_goal', { goal_id: 'GOAL-0001', subtasks: [] }, 'validation'],
      [
        'break_down_goal',
        {
          goal_id: 'GOAL-0001',
          subtasks: '[{"description":"a","dependencies":[1]},{"description":"b","dependencies":[0]}]',
        },
        'validation',
      ],
      [
        'break_down_goal',
        { goal_id: 'GOAL-0001', subtasks: [{ description: 'x'.repeat(2_000_000) }] },
        'validation',
      ],
      ['restore_state_from_cache', { state_json: '{"goals":[{"id":"bad"}],"tasks":[]}' }, 'validation'],
      ['batch_update_tasks', { updates: 'nope' }, 'validation'],
      ['claim_next_task', { owner: '' }, 'validation'],
      ['link_task', { task_id: 'TASK-0001' }, 'validation'],
    ];
    for (const [name, args, type] of bad) {
      const result = await callTool(c, name, args);
      expect(result, `${name} ${JSON.stringify(args).slice(0, 80)}`).toMatchObject({
        ok: false,
        error: { type },
      });
    }
    const cycle = await callTool(c, 'break_down_goal', {
      goal_id: 'GOAL-0001',
      subtasks: [
        { description: 'a', dependencies: [1] },
        { description: 'b', dependencies: [0] },
      ],
    });
    expect(cycle.ok ? '' : cycle.error.error).toContain(
      'dependency cycle: subtasks[0] → subtasks[1] → subtasks[0]',
    );
    expect(await callTool(c, 'get_goal', { goal_id: 'GOAL-0001' })).toMatchObject({
      ok: true,
      data: { tasks: [], goal: { version: 1 } },
    });
    expect(await callTool(c, 'list_goals')).toMatchObject({ ok: true, data: { count: 1 } });
  });

  it('pages large goals within the output budget', async () => {
    const c = s.client;
    await callTool(c, 'create_goal', { description: 'big' });
    const subtasks = Array.from({ length: 400 }, (_, i) => ({
      description: `Task number ${i} with a reasonably long description to take space`,
      dependencies: i > 0 ? [i - 1] : [],
    }));
    expect(await callTool(c, 'break_down_goal', { goal_id: 'GOAL-0001', subtasks })).toMatchObject({
      ok: true,
      data: { created: 400 },
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await c.callTool({
        name: 'get_goal',
        arguments: { goal_id: 'GOAL-0001', limit: 1000, ...(cursor ? { cursor } : {}) },
      });
      const text = (page.content as { text: string }[])[0]!.text;
      expect(text.length).toBeLessThan(21_000);
      const data = page.structuredContent as { tasks: { id: string }[]; next_cursor?: string };
      seen.push(...data.tasks.map((t) => t.id));
      cursor = data.next_cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(400);
    const plan = await c.callTool({ name: 'generate_execution_plan', arguments: { goal_id: 'GOAL-0001' } });
    expect(plan.structuredContent as { abbreviated: boolean; total_phases: number }).toMatchObject({
      abbreviated: true,
      total_phases: 400,
    });
  });

  it('offers goals and plans as resources, and the planning prompt', async () => {
    const c = s.client;
    await callTool(c, 'create_goal', { description: 'Add rate limiting to our API' });
    await callTool(c, 'break_down_goal', { goal_id: 'GOAL-0001', subtasks: SUBTASKS });
    const { resources } = await c.listResources();
    expect(resources).toEqual([
      expect.objectContaining({ uri: 'goal://GOAL-0001', title: 'Add rate limiting to our API' }),
    ]);
    const goal = await c.readResource({ uri: 'goal://GOAL-0001' });
    expect(JSON.parse((goal.contents[0] as { text: string }).text).tasks).toHaveLength(6);
    const plan = await c.readResource({ uri: 'goal://GOAL-0001/plan' });
    expect((plan.contents[0] as { text: string }).text).toContain('```mermaid\nflowchart LR');
    const prompt = await c.getPrompt({ name: 'plan_goal', arguments: { goal: 'Ship dark mode' } });
    expect((prompt.messages[0]!.content as { text: string }).text).toContain('break_down_goal');
  });
});
