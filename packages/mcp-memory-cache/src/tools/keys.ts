import { z } from '@org/mcp-core';
import { Key, Keys, Ttl, Value, encode, decode, ttlMs, toSeconds } from './params.js';
import { tool } from './tool.js';

export const cacheSet = tool({
  name: 'cache_set',
  toolset: 'keys',
  title: 'Set a value',
  description:
    'Stores any JSON value under a key; it comes back exactly as given. ttl in seconds (default CACHE_DEFAULT_TTL_SECONDS, else no expiry). condition if_absent sets only a new key (a lock or an idempotency marker), if_present only an existing one; success says whether it was set.',
  input: z.object({
    key: Key,
    value: Value,
    ttl: Ttl.optional(),
    condition: z.enum(['always', 'if_absent', 'if_present']).default('always'),
  }),
  output: z.object({
    success: z.boolean(),
    key: z.string(),
    ttl: z.number().nullable().describe('Seconds, null for no expiry'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ key, value, ttl, condition }, { deps }) {
    const ms = ttlMs(ttl, deps);
    const success = await deps.cache.set(key, encode(value, deps, key), { ttlMs: ms, condition });
    return { success, key, ttl: ms === undefined ? null : ms / 1000 };
  },
});

export const cacheGet = tool({
  name: 'cache_get',
  toolset: 'keys',
  title: 'Get a value',
  description:
    'The value of a key exactly as it was set. found tells a stored null from a missing key. include_ttl adds the seconds left (null: no expiry).',
  input: z.object({ key: Key, include_ttl: z.boolean().default(false) }),
  output: z.object({
    key: z.string(),
    found: z.boolean(),
    value: z.unknown(),
    ttl: z.number().nullable().optional(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler({ key, include_ttl }, { deps }) {
    const item = await deps.cache.get(key, include_ttl);
    if (!item) return { key, found: false, value: null, ...(include_ttl ? { ttl: null } : {}) };
    return {
      key,
      found: true,
      value: decode(item.value),
      ...(include_ttl ? { ttl: item.ttlMs === null ? null : toSeconds(item.ttlMs) } : {}),
    };
  },
});

export const cacheDelete = tool({
  name: 'cache_delete',
  toolset: 'keys',
  title: 'Delete keys',
  description: 'Deletes keys of the namespace; returns how many existed.',
  input: z.object({ keys: Keys }),
  output: z.object({ deleted: z.number() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ keys }, { deps }) {
    return { deleted: await deps.cache.delete(keys) };
  },
});

export const cacheExists = tool({
  name: 'cache_exists',
  toolset: 'keys',
  title: 'Check keys exist',
  description: 'How many of the keys exist (a key listed twice counts twice), and the total asked.',
  input: z.object({ keys: Keys }),
  output: z.object({ exists: z.number(), total: z.number() }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler({ keys }, { deps }) {
    return { exists: await deps.cache.exists(keys), total: keys.length };
  },
});

export const cacheExpire = tool({
  name: 'cache_expire',
  toolset: 'keys',
  title: 'Set expiry',
  description: 'Sets a key to expire in the given seconds; success is false when the key does not exist.',
  input: z.object({ key: Key, seconds: Ttl }),
  output: z.object({ success: z.boolean(), key: z.string(), ttl: z.number() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler({ key, seconds }, { deps }) {
    return { success: await deps.cache.expire(key, seconds * 1000), key, ttl: seconds };
  },
});

export const cacheTtl = tool({
  name: 'cache_ttl',
  toolset: 'keys',
  title: 'Time to live',
  description:
    'Seconds until a key expires: status active with ttl, no_expiration (ttl -1), or not_found (ttl -2).',
  input: z.object({ key: Key }),
  output: z.object({
    key: z.string(),
    ttl: z.number(),
    status: z.enum(['active', 'no_expiration', 'not_found']),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler({ key }, { deps }) {
    const ms = await deps.cache.ttl(key);
    return {
      key,
      ttl: toSeconds(ms),
      status:
        ms === -2 ? ('not_found' as const) : ms === -1 ? ('no_expiration' as const) : ('active' as const),
    };
  },
});

export const cacheIncr = tool({
  name: 'cache_incr',
  toolset: 'keys',
  title: 'Increment',
  description:
    'Adds amount (default 1, may be negative, not 0) to an integer value; a missing key counts as 0. A non-integer value, or a result beyond ±9007199254740991 (2^53 − 1, the largest integer JSON carries exactly), is a validation error that changes nothing. The TTL is kept.',
  input: z.object({
    key: Key,
    amount: z
      .number()
      .int()
      .refine((n) => n !== 0, 'must not be 0')
      .default(1),
  }),
  output: z.object({ key: z.string(), value: z.number(), incremented_by: z.number() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler({ key, amount }, { deps }) {
    return { key, value: await deps.cache.incrBy(key, amount), incremented_by: amount };
  },
});

export const cacheDecr = tool({
  name: 'cache_decr',
  toolset: 'keys',
  title: 'Decrement',
  description:
    'Subtracts amount (default 1, positive) from an integer value; a missing key counts as 0. A non-integer value, or a result beyond ±9007199254740991 (2^53 − 1), is a validation error that changes nothing.',
  input: z.object({ key: Key, amount: z.number().int().positive().default(1) }),
  output: z.object({ key: z.string(), value: z.number(), decremented_by: z.number() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler({ key, amount }, { deps }) {
    return { key, value: await deps.cache.incrBy(key, -amount), decremented_by: amount };
  },
});
