import { jsonish, z } from '@org/mcp-core';
import { Key, Keys, Ttl, Value, encode, decode, refusingProtoKey, ttlMs } from './params.js';
import { tool } from './tool.js';

export const cacheMget = tool({
  name: 'cache_mget',
  toolset: 'bulk',
  title: 'Get several values',
  description: 'Values of several keys in the order asked (found false where a key is missing).',
  input: z.object({ keys: Keys }),
  output: z.object({
    items: z.array(z.object({ key: z.string(), found: z.boolean(), value: z.unknown() })),
    found: z.number(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler({ keys }, { deps }) {
    const values = await deps.cache.mget(keys);
    const items = keys.map((key, i) =>
      values[i] === null
        ? { key, found: false, value: null }
        : { key, found: true, value: decode(values[i]!) },
    );
    return { items, found: items.filter((i) => i.found).length };
  },
});

export const cacheMset = tool({
  name: 'cache_mset',
  toolset: 'bulk',
  title: 'Set several values',
  description:
    'Sets every key of data at once (all or nothing, one round trip), each with the optional ttl in seconds.',
  input: z.object({
    data: jsonish(
      refusingProtoKey(
        z
          .record(Key, Value)
          .refine(
            (d) => Object.keys(d).length > 0 && Object.keys(d).length <= 1000,
            'must hold 1 to 1,000 keys',
          ),
        'The key "__proto__" cannot be set with cache_mset (a JavaScript object cannot carry it); set it with cache_set',
      ),
    ).describe('Key → value, as an object or a JSON string of one'),
    ttl: Ttl.optional(),
  }),
  output: z.object({ success: z.literal(true), keys_set: z.number() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ data, ttl }, { deps }) {
    const entries = Object.entries(data).map(([k, v]) => [k, encode(v, deps, k)] as const);
    await deps.cache.mset(entries, ttlMs(ttl, deps));
    return { success: true as const, keys_set: entries.length };
  },
});
