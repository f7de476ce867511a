// The precomputed listing with lazily loaded tools, tool _meta, and ToolContext.progress, all
// through a real MCP client.
import { z } from 'zod';
import { defineServer, loadServer } from './define.js';
import { CoreConfigSchema } from './config.js';
import { createLogger } from './logger.js';
import { buildServer, createMcpServer, toolListing, PROGRESS_INTERVAL_MS } from './server.js';
import { defineTool, type AnyTool } from './tool.js';
import { callTool, connectInMemory, connectServer } from './testing/client.js';

const tool = defineTool<Record<string, never>>();
const fetchPage = tool({
  name: 'fetch_page',
  toolset: 'web',
  title: 'Fetch page',
  description: 'A page.',
  input: z.object({ url: z.string() }),
  output: z.object({ text: z.string() }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  _meta: { 'anthropic/maxResultSizeChars': 100000 },
  handler: ({ url }) => ({ text: `page ${url}` }),
});
const steps = tool({
  name: 'run_steps',
  toolset: 'work',
  title: 'Run steps',
  description: 'Runs n steps, reporting each; `pause` ms between them.',
  input: z.object({ n: z.number().int().min(1), pause: z.number().int().min(0).default(0) }),
  output: z.object({ ran: z.number() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler({ n, pause }, { progress }) {
    for (let i = 1; i <= n; i++) {
      if (pause) await new Promise((resolve) => setTimeout(resolve, pause));
      progress(i, n, `step ${i}`);
    }
    // A late report after the answer must not be sent.
    setTimeout(() => progress(n + 1, n + 1), 5);
    return { ran: n };
  },
});
const tools = [fetchPage, steps] as AnyTool<Record<string, never>>[];
const TOOLSETS = {
  web: { description: 'Web', default: true },
  work: { description: 'Work', default: true },
};

const logger = async () => (await createLogger({ name: 't', level: 'silent' })).logger;

describe('the precomputed listing with loadTools', () => {
  it('lists exactly what the eager server lists (with _meta), loads the tools only when listed or called', async () => {
    let loads = 0;
    const listing = JSON.parse(JSON.stringify(toolListing(tools)));
    const eager = await connectInMemory(
      createMcpServer({ name: 'x', version: '1', tools, deps: {}, logger: await logger() }),
    );
    const lazy = await connectInMemory(
      createMcpServer({
        name: 'x',
        version: '1',
        listing,
        loadTools: async () => {
          loads++;
          return tools;
        },
        deps: {},
        logger: await logger(),
        filter: { readOnly: true },
      }),
    );
    try {
      // connectInMemory lists once; the list is answered before anything is loaded.
      const listed = (await lazy.client.listTools()).tools;
      expect(listed).toEqual((await eager.client.listTools()).tools.filter((t) => t.name === 'fetch_page'));
      expect(listed[0]?._meta).toEqual({ 'anthropic/maxResultSizeChars': 100000 });
      expect(listed[0]).not.toHaveProperty('toolset');
      expect(await callTool(lazy.client, 'fetch_page', { url: 'a' })).toMatchObject({
        ok: true,
        data: { text: 'page a' },
      });
      expect(loads).toBe(1);
      // Hidden by the filter: refused as on the eager server.
      expect(await callTool(lazy.client, 'run_steps', { n: 1 })).toMatchObject({
        ok: false,
        error: { type: 'forbidden' },
      });
      expect(await callTool(lazy.client, 'nope', {})).toMatchObject({
        ok: false,
        error: { type: 'not_found' },
      });
    } finally {
      await eager.close();
      await lazy.close();
    }
  });

  it('defineServer with loadTools checks the tools when loadServer loads them', async () => {
    const base = {
      name: 'x',
      version: '1',
      description: 'd',
      configSchema: CoreConfigSchema,
      toolsets: TOOLSETS,
      createDeps: () => ({}),
    };
    const good = defineServer({ ...base, loadTools: async () => ({ tools }) });
    expect(good.tools).toBeUndefined();
    expect((await loadServer(good)).tools).toBe(tools);
    expect(loadServer(good)).toBe(loadServer(good));
    const bad = defineServer({ ...base, loadTools: async () => ({ tools: [fetchPage, fetchPage] }) });
    await expect(loadServer(bad)).rejects.toThrow(/"fetch_page" is defined twice[\s\S]*"work" has no tools/);
    expect(() => defineServer({ ...base, tools, loadTools: async () => ({ tools }) } as never)).toThrow(
      /either tools or loadTools/,
    );
    expect(() => buildServer(good, {}, CoreConfigSchema.parse({}), undefined as never)).toThrow(/not loaded/);
    // connectServer loads them itself.
    const s = await connectServer(good, {});
    try {
      expect((await s.client.listTools()).tools.map((t) => t.name)).toEqual(['fetch_page', 'run_steps']);
    } finally {
      await s.close();
    }
  });
});

describe('ToolContext.progress', () => {
  it('sends notifications/progress with the token when the client asks, increasing, rate-limited, none after the answer', async () => {
    const s = await connectInMemory(
      createMcpServer({ name: 'x', version: '1', tools, deps: {}, logger: await logger() }),
    );
    try {
      const seen: { progress: number; total?: number; message?: string }[] = [];
      const result = await s.client.callTool({ name: 'run_steps', arguments: { n: 500 } }, undefined, {
        onprogress: (p) => seen.push(p),
      });
      expect(result.structuredContent).toEqual({ ran: 500 });
      await new Promise((resolve) => setTimeout(resolve, 30));
      // 500 steps in a tight loop: the first and the last one get through, not 500.
      expect(seen[0]).toEqual({ progress: 1, total: 500, message: 'step 1' });
      expect(seen.at(-1)).toEqual({ progress: 500, total: 500, message: 'step 500' });
      expect(seen.length).toBeLessThan(20);
      const values = seen.map((p) => p.progress);
      expect([...values].sort((a, b) => a - b)).toEqual(values);

      // Spaced out beyond the interval, every step gets through.
      const spaced: number[] = [];
      await s.client.callTool(
        { name: 'run_steps', arguments: { n: 3, pause: PROGRESS_INTERVAL_MS + 20 } },
        undefined,
        { onprogress: (p) => spaced.push(p.progress) },
      );
      expect(spaced).toEqual([1, 2, 3]);
    } finally {
      await s.close();
    }
  });

  it('is a no-op without a progress token', async () => {
    const s = await connectInMemory(
      createMcpServer({ name: 'x', version: '1', tools, deps: {}, logger: await logger() }),
    );
    const notifications: string[] = [];
    s.client.fallbackNotificationHandler = async (n) => {
      notifications.push(n.method);
    };
    try {
      expect(await callTool(s.client, 'run_steps', { n: 5 })).toMatchObject({ ok: true, data: { ran: 5 } });
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(notifications).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
