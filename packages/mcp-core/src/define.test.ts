import { z } from 'zod';
import { defineServer, defineToolsets } from './define.js';
import { defineTool } from './tool.js';
import { CoreConfigSchema } from './config.js';

const TOOLSETS = defineToolsets({
  notes: { description: 'Notes', default: true },
  admin: { description: 'Admin', default: false },
});
const tool = defineTool<object, keyof typeof TOOLSETS>();
const make = (name: string, toolset: 'notes' | 'admin') =>
  tool({
    name,
    toolset,
    title: name,
    description: name,
    input: z.object({}),
    output: z.object({}),
    annotations: { readOnlyHint: true, openWorldHint: false },
    handler: () => ({}),
  });
const base = {
  name: '@org/test',
  version: '1.0.0',
  description: 'test',
  configSchema: CoreConfigSchema,
  toolsets: TOOLSETS,
  createDeps: () => ({}),
};

describe('defineServer', () => {
  it('accepts a valid definition and derives the default toolsets from the table', () => {
    const server = defineServer({ ...base, tools: [make('list_notes', 'notes'), make('purge', 'admin')] });
    expect(server.defaultToolsets).toEqual(['notes']);
  });

  it('refuses duplicate names, names that are not snake_case, and unused or unknown toolsets', () => {
    expect(() =>
      defineServer({ ...base, tools: [make('list_notes', 'notes'), make('list_notes', 'admin')] }),
    ).toThrow(/tool "list_notes" is defined twice/);
    expect(() =>
      defineServer({ ...base, tools: [make('listNotes', 'notes'), make('purge', 'admin')] }),
    ).toThrow(/tool "listNotes" is not snake_case/);
    expect(() => defineServer({ ...base, tools: [make('list_notes', 'notes')] })).toThrow(
      /toolset "admin" has no tools/,
    );
    const stray = { ...make('stray', 'notes'), toolset: 'nope' as 'notes' };
    expect(() =>
      defineServer({ ...base, tools: [make('list_notes', 'notes'), make('purge', 'admin'), stray] }),
    ).toThrow(/tool "stray" names toolset "nope", which is not in the toolset table/);
  });

  it('makes a toolset outside the table a type error', () => {
    // @ts-expect-error 'notez' is not a key of TOOLSETS
    tool({ ...make('typo', 'notes'), toolset: 'notez' });
  });
});
