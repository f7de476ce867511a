import { z } from 'zod';
import { ConfigError, ToolError } from './errors.js';
import { createLogger } from './logger.js';
import { createMcpServer, selectTools, toolSchemas, type ToolFilter } from './server.js';
import { defineTool, jsonish, type AnyTool } from './tool.js';
import { paginate, pageInfoShape } from './budget.js';
import { callTool, connectInMemory, type ConnectedClient } from './testing/client.js';

interface Deps {
  store: Map<string, string>;
}
const tool = defineTool<Deps>();

const getThing = tool({
  name: 'get_thing',
  toolset: 'things',
  title: 'Get thing',
  description: 'One thing by key.',
  input: z.object({ key: z.string().min(1) }),
  output: z.object({ key: z.string(), value: z.string() }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler({ key }, { deps }) {
    const value = deps.store.get(key);
    if (value === undefined) throw ToolError.notFound(`No thing "${key}"`, 'List things first.');
    return { key, value };
  },
});
const setThings = tool({
  name: 'set_things',
  toolset: 'things',
  title: 'Set things',
  description: 'Sets several things.',
  input: z.object({
    items: jsonish(z.array(z.object({ key: z.string(), value: z.string() })).min(1)).describe(
      'Things to set',
    ),
    meta: jsonish(z.record(z.string(), z.string())).optional(),
  }),
  output: z.object({ count: z.number() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler({ items }, { deps }) {
    for (const { key, value } of items) deps.store.set(key, value);
    return { count: items.length };
  },
});
const listThings = tool({
  name: 'list_things',
  toolset: 'things',
  title: 'List things',
  description: 'Every thing, bounded.',
  input: z.object({ limit: z.number().int().min(1).max(1000).default(100), cursor: z.string().optional() }),
  output: z.object({ things: z.array(z.object({ key: z.string(), value: z.string() })), ...pageInfoShape }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler({ limit, cursor }, { deps, outputBudget }) {
    const all = [...deps.store].map(([key, value]) => ({ key, value }));
    const { items, ...page } = paginate(all, { cursor, limit, budget: outputBudget });
    return { things: items, ...page };
  },
});
const dropAll = tool({
  name: 'drop_all',
  toolset: 'admin',
  title: 'Drop all',
  description: 'Deletes every thing.',
  input: z.object({}),
  output: z.object({ dropped: z.number() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  handler(_input, { deps }) {
    const dropped = deps.store.size;
    deps.store.clear();
    return { dropped };
  },
});
const explode = tool({
  name: 'explode',
  toolset: 'admin',
  title: 'Explode',
  description: 'Fails unexpectedly.',
  input: z.object({}),
  output: z.object({}),
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler() {
    throw new TypeError('cannot read secret-password-123 of undefined');
  },
});
const badOutput = tool({
  name: 'bad_output',
  toolset: 'admin',
  title: 'Bad output',
  description: 'Returns output that breaks its own schema.',
  input: z.object({}),
  output: z.object({ n: z.number() }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler() {
    return { n: 'not a number' } as unknown as { n: number };
  },
});
const tools = [getThing, setThings, listThings, dropAll, explode, badOutput] as AnyTool<Deps>[];

let logLines: string[] = [];
let flushLog: () => Promise<void> = async () => undefined;
async function connect(
  filter: ToolFilter = {},
  outputBudget?: number,
  validateOutput?: boolean,
): Promise<ConnectedClient & { deps: Deps }> {
  logLines = [];
  const { logger, flush } = await createLogger({
    name: 'test',
    level: 'info',
    writeStderr: (l) => logLines.push(l),
  });
  flushLog = flush;
  const deps: Deps = { store: new Map([['a', '1']]) };
  const server = createMcpServer({
    name: 'things',
    version: '1.0.0',
    tools,
    deps,
    logger,
    filter,
    ...(outputBudget ? { outputBudget } : {}),
    ...(validateOutput ? { validateOutput } : {}),
  });
  return { ...(await connectInMemory(server)), deps };
}

describe('createMcpServer through a real MCP client', () => {
  let session: (ConnectedClient & { deps: Deps }) | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('lists every tool with all four annotation hints, title and both schemas', async () => {
    session = await connect();
    const { tools: listed } = await session.client.listTools();
    expect(listed.map((t) => t.name)).toEqual(tools.map((t) => t.name));
    for (const t of listed) {
      expect(Object.keys(t.annotations ?? {}).sort(), t.name).toEqual([
        'destructiveHint',
        'idempotentHint',
        'openWorldHint',
        'readOnlyHint',
        'title',
      ]);
      expect(t.outputSchema?.type).toBe('object');
      expect(t.inputSchema.type).toBe('object');
    }
    expect(listed.find((t) => t.name === 'get_thing')?.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
    });
    expect(listed.find((t) => t.name === 'drop_all')?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
  });

  it('advertises a JSON-string-accepting parameter as both forms', async () => {
    session = await connect();
    const { tools: listed } = await session.client.listTools();
    const items = (
      listed.find((t) => t.name === 'set_things')?.inputSchema.properties as Record<
        string,
        { anyOf?: { type: string }[]; description?: string }
      >
    )['items'];
    expect(items?.description).toBe('Things to set');
    expect(items?.anyOf?.map((s) => s.type)).toEqual(['array', 'string']);
  });

  it('returns structuredContent plus its JSON text', async () => {
    session = await connect();
    const result = await session.client.callTool({ name: 'get_thing', arguments: { key: 'a' } });
    expect(result.structuredContent).toEqual({ key: 'a', value: '1' });
    expect(JSON.parse((result.content as { text: string }[])[0]!.text)).toEqual({ key: 'a', value: '1' });
  });

  it('accepts a native array and the same array as a JSON string', async () => {
    session = await connect();
    expect(await callTool(session.client, 'set_things', { items: [{ key: 'b', value: '2' }] })).toMatchObject(
      { ok: true, data: { count: 1 } },
    );
    expect(
      await callTool(session.client, 'set_things', { items: '[{"key":"c","value":"3"}]', meta: '{"x":"y"}' }),
    ).toMatchObject({ ok: true, data: { count: 1 } });
    expect(session.deps.store.get('c')).toBe('3');
  });

  it('answers bad input with the validation envelope and changes nothing', async () => {
    session = await connect();
    const before = new Map(session.deps.store);
    for (const args of [{ items: 'not json' }, { items: '[{"key":1}]' }, { items: [] }, { items: 42 }, {}]) {
      const result = await callTool(session.client, 'set_things', args);
      expect(result.ok, JSON.stringify(args)).toBe(false);
      if (!result.ok) {
        expect(result.error.type).toBe('validation');
        expect(result.error.retryable).toBe(false);
        expect(result.error.error).toMatch(/^Invalid arguments for set_things: items/);
      }
    }
    expect(session.deps.store).toEqual(before);
  });

  it('passes a ToolError through as its envelope, hint included', async () => {
    session = await connect();
    expect(await callTool(session.client, 'get_thing', { key: 'zz' })).toEqual({
      ok: false,
      text: expect.any(String),
      error: { error: 'No thing "zz"', type: 'not_found', retryable: false, hint: 'List things first.' },
    });
  });

  it('turns an unexpected error into type internal with no stack or message, and logs it', async () => {
    session = await connect();
    const result = await session.client.callTool({ name: 'explode', arguments: {} });
    const text = (result.content as { text: string }[])[0]!.text;
    expect(result.isError).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ type: 'internal', retryable: false });
    expect(text).not.toMatch(/secret-password|TypeError|at .*\.ts/);
    await flushLog();
    expect(logLines.join('')).toContain('TypeError');
  });

  it('lets a server map its own errors into the envelope', async () => {
    const { logger } = await createLogger({ name: 'test', level: 'silent' });
    const server = createMcpServer({
      name: 'things',
      version: '1.0.0',
      tools,
      deps: { store: new Map() },
      logger,
      mapError: (error) =>
        error instanceof TypeError
          ? new ToolError('unavailable', 'The store is down', { hint: 'Retry shortly.' })
          : undefined,
    });
    session = { ...(await connectInMemory(server)), deps: { store: new Map() } };
    expect(await callTool(session.client, 'explode')).toMatchObject({
      ok: false,
      error: { type: 'unavailable', error: 'The store is down', retryable: true, hint: 'Retry shortly.' },
    });
    expect(await callTool(session.client, 'get_thing', { key: 'zz' })).toMatchObject({
      ok: false,
      error: { type: 'not_found' },
    });
  });

  it('with validateOutput, treats output that breaks its schema as an internal error', async () => {
    session = await connect({}, undefined, true);
    expect(await callTool(session.client, 'bad_output')).toMatchObject({
      ok: false,
      error: { type: 'internal' },
    });
    await flushLog();
    expect(logLines.join('\n')).toMatch(/does not match its schema/);
  });

  it('without validateOutput, sends the result as is and the client refuses it against the schema', async () => {
    session = await connect();
    await expect(session.client.callTool({ name: 'bad_output', arguments: {} })).rejects.toThrow(
      /output schema/,
    );
    // A result that matches passes the client's check.
    expect(await callTool(session.client, 'get_thing', { key: 'a' })).toMatchObject({ ok: true });
  });

  it('refuses oversized arguments before the handler runs', async () => {
    session = await connect();
    const huge = 'x'.repeat(1_000_001);
    const result = await callTool(session.client, 'set_things', { items: [{ key: 'big', value: huge }] });
    expect(result).toMatchObject({
      ok: false,
      error: { type: 'validation', error: expect.stringMatching(/too large/) },
    });
    expect(session.deps.store.has('big')).toBe(false);
  });

  it('refuses input nested deeper than 64 levels, and strings with lone surrogates, before the handler runs', async () => {
    session = await connect();
    let deep: unknown = 'v';
    for (let i = 0; i < 4100; i++) deep = { d: deep };
    const tooDeep = await callTool(session.client, 'set_things', {
      items: [{ key: 'deep', value: 'x', extra: deep }],
    });
    expect(tooDeep).toMatchObject({
      ok: false,
      error: { type: 'validation', error: expect.stringMatching(/nested deeper than 64 levels/) },
    });
    for (const key of ['ls:\ud800', 'ls:\udbff']) {
      const lone = await callTool(session.client, 'set_things', { items: [{ key, value: 'x' }] });
      expect(lone).toMatchObject({
        ok: false,
        error: { type: 'validation', error: expect.stringMatching(/not well-formed Unicode/) },
      });
    }
    // A surrogate pair (an emoji) is well-formed.
    expect(
      await callTool(session.client, 'set_things', { items: [{ key: 'ok:😀', value: 'x' }] }),
    ).toMatchObject({
      ok: true,
    });
    expect([...session.deps.store.keys()].sort()).toEqual(['a', 'ok:😀']);
  });

  it('names unknown and hidden tools apart', async () => {
    session = await connect({ readOnly: true });
    expect(await callTool(session.client, 'nope')).toMatchObject({ ok: false, error: { type: 'not_found' } });
    expect(await callTool(session.client, 'drop_all')).toMatchObject({
      ok: false,
      error: { type: 'forbidden' },
    });
    expect(session.deps.store.size).toBe(1);
  });

  it('read-only mode lists only readers, even when an allow list names a writer', async () => {
    session = await connect({ readOnly: true, tools: ['drop_all', 'get_thing'], toolsets: ['things'] });
    const { tools: listed } = await session.client.listTools();
    expect(listed.map((t) => t.name)).toEqual(['get_thing', 'list_things']);
  });

  it('keeps a list under the output budget and pages through every item exactly once', async () => {
    session = await connect({}, 1000);
    const many = Array.from({ length: 200 }, (_, i) => ({
      key: `k${String(i).padStart(3, '0')}`,
      value: 'v'.repeat(20),
    }));
    await callTool(session.client, 'set_things', { items: many });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const result = await session.client.callTool({
        name: 'list_things',
        arguments: { limit: 1000, ...(cursor ? { cursor } : {}) },
      });
      const text = (result.content as { text: string }[])[0]!.text;
      expect(text.length).toBeLessThanOrEqual(1000 + 200);
      const data = result.structuredContent as {
        things: { key: string }[];
        truncated: boolean;
        next_cursor?: string;
      };
      seen.push(...data.things.map((t) => t.key));
      expect(data.truncated).toBe(data.next_cursor !== undefined);
      cursor = data.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThan(5);
    expect(seen).toEqual(['a', ...many.map((m) => m.key)]);
    expect(await callTool(session.client, 'list_things', { cursor: 'garbage!' })).toMatchObject({
      ok: false,
      error: { type: 'validation', error: 'Invalid cursor' },
    });
  });
});

describe('selectTools', () => {
  const names = (filter: ToolFilter, defaults?: string[]) =>
    selectTools(tools, filter, defaults).map((t) => t.name);

  it('offers every tool by default, or the default toolsets', () => {
    expect(names({})).toHaveLength(tools.length);
    expect(names({}, ['admin'])).toEqual(['drop_all', 'explode', 'bad_output']);
    expect(names({ toolsets: ['all'] }, ['admin'])).toHaveLength(tools.length);
  });

  it('combines toolsets with extra tools, and tools alone mean only those', () => {
    expect(names({ toolsets: ['admin'], tools: ['get_thing'] })).toEqual([
      'get_thing',
      'drop_all',
      'explode',
      'bad_output',
    ]);
    expect(names({ tools: ['get_thing'] })).toEqual(['get_thing']);
  });

  it('excludes, and read-only wins over everything', () => {
    expect(names({ toolsets: ['admin'], excludeTools: ['explode'] })).toEqual(['drop_all', 'bad_output']);
    expect(names({ readOnly: true, tools: ['drop_all'] })).toEqual([]);
  });

  it('fails at start listing every unknown tool and toolset', () => {
    let caught: unknown;
    try {
      names({ toolsets: ['thingz'], tools: ['get_thingz'], excludeTools: ['nope'] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems).toHaveLength(3);
    expect((caught as ConfigError).message).toMatch(/unknown toolset "thingz"/);
    expect((caught as ConfigError).message).toMatch(/unknown tool "get_thingz"/);
  });
});

// mcp-core registers tools/call with Protocol's setRequestHandler, past the SDK Server's own
// override (which parses each request and result a second time). That is SDK-internal
// behaviour, so the SDK is pinned to one minor line and this test fails when a release changes it.
describe('the SDK boundary', () => {
  it('runs on the pinned SDK line, whose Server still overrides setRequestHandler for tools/call', async () => {
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@modelcontextprotocol/sdk/server/index.js');
    const root = entry.slice(0, entry.lastIndexOf('/dist/'));
    const { readFileSync } = await import('node:fs');
    const sdk = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { version: string };
    expect(sdk.version).toMatch(/^1\.32\./);
    const { Server } = await import('@modelcontextprotocol/sdk/server/index.js');
    const { Protocol } = await import('@modelcontextprotocol/sdk/shared/protocol.js');
    expect(Server.prototype.setRequestHandler).not.toBe(Protocol.prototype.setRequestHandler);
    const { logger } = await createLogger({ name: 't', level: 'silent' });
    const server = createMcpServer({
      name: 'x',
      version: '1',
      tools: [getThing],
      deps: { store: new Map() },
      logger,
    });
    const handlers = (server.server as unknown as { _requestHandlers: Map<string, unknown> })
      ._requestHandlers;
    expect(handlers.has('tools/call')).toBe(true);
    expect(handlers.has('tools/list')).toBe(true);
  });
});

describe('toolSchemas', () => {
  it('precomputed schemas are advertised exactly as the zod schemas convert', async () => {
    const { logger } = await createLogger({ name: 't', level: 'silent' });
    const make = (schemas?: ReturnType<typeof toolSchemas>) =>
      createMcpServer({
        name: 'x',
        version: '1',
        tools,
        deps: { store: new Map() },
        logger,
        ...(schemas ? { schemas } : {}),
      });
    const fresh = await connectInMemory(make());
    const pre = await connectInMemory(
      make(JSON.parse(JSON.stringify(toolSchemas(tools))) as ReturnType<typeof toolSchemas>),
    );
    try {
      expect((await pre.client.listTools()).tools).toEqual((await fresh.client.listTools()).tools);
    } finally {
      await fresh.close();
      await pre.close();
    }
  });
});
