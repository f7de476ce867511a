import { z } from 'zod';
import { ToolError } from '../errors.js';
import { createLogger } from '../logger.js';
import { createMcpServer } from '../server.js';
import { defineTool } from '../tool.js';
import { connectInMemory } from './client.js';
import { hostileCalls, runHostileCalls, seededRandom } from './hostile.js';

interface Deps {
  store: Map<string, string>;
}
const tool = defineTool<Deps>();
const annotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;

// Defective on purpose: each shows that the harness reports what it claims to catch.
const leaky = tool({
  name: 'leaky_set',
  toolset: 't',
  title: 'Leaky set',
  description: 'Stores the value, then refuses the call.',
  input: z.object({ key: z.string(), value: z.string() }),
  output: z.object({ ok: z.boolean() }),
  annotations,
  handler({ key, value }, { deps }) {
    deps.store.set(key, value);
    throw ToolError.validation('refused after writing');
  },
});
const hang = tool({
  name: 'hang',
  toolset: 't',
  title: 'Hang',
  description: 'Never answers.',
  input: z.object({ x: z.string().optional() }),
  output: z.object({ ok: z.boolean() }),
  annotations,
  handler: () => new Promise<never>(() => undefined),
});
const sound = tool({
  name: 'sound_set',
  toolset: 't',
  title: 'Sound set',
  description: 'Validates, then stores.',
  input: z.object({ key: z.string().min(1).max(50), value: z.string().max(100) }),
  output: z.object({ ok: z.boolean() }),
  annotations,
  handler({ key, value }, { deps }) {
    deps.store.set(key, value);
    return { ok: true };
  },
});

async function connect(tools: Parameters<typeof createMcpServer<Deps>>[0]['tools']) {
  const deps: Deps = { store: new Map() };
  const { logger } = await createLogger({ name: 'test', level: 'silent' });
  const session = await connectInMemory(
    createMcpServer({ name: 't', version: '1.0.0', tools, deps, logger }),
  );
  return { ...session, deps };
}

describe('runHostileCalls', () => {
  it('passes a sound tool, with calls both refused and accepted', async () => {
    const s = await connect([sound]);
    const report = await runHostileCalls(s.client, {
      seed: 1,
      callsPerTool: 60,
      snapshot: () => JSON.stringify([...s.deps.store]),
    });
    await s.close();
    expect(report.problems).toEqual([]);
    expect(report.calls).toBe(60);
    expect(report.rejected).toBeGreaterThan(10);
    expect(report.accepted).toBeGreaterThan(5);
  });

  it('reports a refused call that changed what is stored, and a call that never answers', async () => {
    const s = await connect([leaky, hang]);
    const report = await runHostileCalls(s.client, {
      seed: 2,
      callsPerTool: 3,
      timeoutMs: 300,
      snapshot: () => JSON.stringify([...s.deps.store]),
    });
    await s.close();
    expect(
      report.problems.some((p) => p.startsWith('leaky_set') && p.includes('what is stored changed')),
    ).toBe(true);
    expect(
      report.problems.filter((p) => p.startsWith('hang') && p.includes('no answer')).length,
    ).toBeGreaterThan(0);
  });

  it('is repeatable: the same seed gives the same calls', () => {
    const schema = {
      name: 'x',
      inputSchema: { type: 'object' as const, properties: { a: { type: 'string' } } },
    };
    expect(hostileCalls(schema, 20, seededRandom(7))).toEqual(hostileCalls(schema, 20, seededRandom(7)));
    expect(hostileCalls(schema, 20, seededRandom(7))).not.toEqual(hostileCalls(schema, 20, seededRandom(8)));
  });
});
