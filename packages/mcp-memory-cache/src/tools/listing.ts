import { encodeCursor, decodeCursor, pageInfoShape, ToolError, z } from '@org/mcp-core';
import { Pattern } from './params.js';
import { tool } from './tool.js';

const KeysCursor = z.object({ c: z.string(), p: z.string(), s: z.number().int().nonnegative() });

export const cacheKeys = tool({
  name: 'cache_keys',
  toolset: 'listing',
  title: 'List keys',
  description:
    'Keys of the namespace matching a glob, walked with SCAN (never KEYS): at most limit per call (default 100) and within the output budget; pass next_cursor for more. As with SCAN, a key present for the whole walk is listed; one changed meanwhile may be listed twice or not at all.',
  input: z.object({
    pattern: Pattern.default('*'),
    limit: z.number().int().min(1).max(1000).default(100),
    cursor: z.string().optional().describe('next_cursor of a previous call with the same pattern'),
  }),
  output: z.object({ pattern: z.string(), keys: z.array(z.string()), count: z.number(), ...pageInfoShape }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler({ pattern, limit, cursor }, { deps, outputBudget }) {
    let scan = '0';
    let skip = 0;
    if (cursor) {
      const position = decodeCursor(cursor, KeysCursor);
      if (position.p !== pattern) throw ToolError.validation('This cursor belongs to another pattern');
      scan = position.c;
      skip = position.s;
    }
    const keys: string[] = [];
    let used = 200;
    for (let steps = 0; steps < 1000; steps++) {
      const stepStart = scan;
      const step = await deps.cache.scan(scan, pattern, 100);
      const batch = step.keys.slice(skip);
      for (let i = 0; i < batch.length; i++) {
        const size = JSON.stringify(batch[i]).length + 1;
        if (keys.length >= limit || (used + size > outputBudget && keys.length > 0)) {
          // Resume inside this step next time: same SCAN cursor, skipping what was returned.
          const next = encodeCursor({ c: stepStart, p: pattern, s: skip + i });
          return { pattern, keys, count: keys.length, truncated: true, next_cursor: next };
        }
        keys.push(batch[i]!);
        used += size;
      }
      skip = 0;
      scan = step.cursor;
      if (scan === '0') return { pattern, keys, count: keys.length, truncated: false };
      if (keys.length >= limit) break;
    }
    return {
      pattern,
      keys,
      count: keys.length,
      truncated: true,
      next_cursor: encodeCursor({ c: scan, p: pattern, s: 0 }),
    };
  },
});

export const cacheScan = tool({
  name: 'cache_scan',
  toolset: 'listing',
  title: 'Scan keys',
  description:
    'One SCAN step over the namespace: keys matching match (a glob) among about count keys looked at, and the cursor for the next step ("0" when complete). Start with cursor "0".',
  input: z.object({
    cursor: z
      .union([z.string().max(512), z.number().int().nonnegative()])
      .default('0')
      .transform(String),
    match: Pattern.default('*'),
    count: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(10)
      .describe('How many keys to look at in this step (a hint)'),
  }),
  output: z.object({ cursor: z.string(), keys: z.array(z.string()), complete: z.boolean() }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler({ cursor, match, count }, { deps }) {
    if (!/^(\d+|k:[A-Za-z0-9_-]+|c:\d+:\d+)$/.test(cursor))
      throw ToolError.validation('cursor must be "0" or a cursor returned by a previous cache_scan');
    const step = await deps.cache.scan(cursor, match, count);
    return { cursor: step.cursor, keys: step.keys, complete: step.cursor === '0' };
  },
});
