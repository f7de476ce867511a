import {
  defineTool,
  encodeCursor,
  decodeCursor,
  jsonish,
  pageInfoShape,
  ToolError,
  z,
  type AnyTool,
} from '@org/mcp-core';
import { GlobSyntaxError, parseGlob } from '../backends/glob.js';
import type { Deps } from '../deps.js';

const tool = defineTool<Deps>();

const Key = z.string().min(1).max(1024).describe('Key within the namespace (1 to 1,024 characters)');
const Keys = jsonish(z.array(Key).min(1).max(1000)).describe(
  'Keys, as an array or a JSON string of one (1 to 1,000)',
);
const Ttl = z
  .number()
  .int()
  .min(1)
  .max(10 * 365 * 24 * 3600)
  .describe('Time to live in seconds');
const Value = z
  .unknown()
  .refine((v) => v !== undefined, 'is required')
  .describe('Any JSON value; it comes back exactly as given (a string stays a string)');
const Pattern = z
  .string()
  .min(1)
  .max(256)
  .superRefine((pattern, ctx) => {
    // Checked here, so neither backend ever receives a malformed glob.
    try {
      parseGlob(pattern);
    } catch (error) {
      if (!(error instanceof GlobSyntaxError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
    }
  })
  .describe(
    'Glob within the namespace, as in Redis: * any run, ? one character, [abc] a set, [a-z] a range, [^a] any other character, \\x a literal x',
  );

/**
 * Refuses an object with an own `__proto__` key before `schema` sees it: zod leaves that key out
 * of a parsed record while reporting success, so it would be lost without a word.
 */
function refusingProtoKey<T extends z.ZodType>(schema: T, message: string) {
  return z.preprocess((value, ctx) => {
    if (typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__'))
      ctx.addIssue({ code: 'custom', message });
    return value;
  }, schema);
}

/** JSON text of a value, refused past CACHE_MAX_VALUE_BYTES. */
function encode(value: unknown, deps: Deps, key: string): string {
  const text = JSON.stringify(value);
  const bytes = Buffer.byteLength(text);
  if (bytes > deps.config.CACHE_MAX_VALUE_BYTES) {
    throw ToolError.validation(
      `The value for "${key}" is ${bytes} bytes; the limit is ${deps.config.CACHE_MAX_VALUE_BYTES} (CACHE_MAX_VALUE_BYTES)`,
    );
  }
  return text;
}

const decode = (text: string): unknown => JSON.parse(text);
const ttlMs = (seconds: number | undefined, deps: Deps) => {
  const s = seconds ?? deps.config.CACHE_DEFAULT_TTL_SECONDS;
  return s === undefined ? undefined : s * 1000;
};
const toSeconds = (ms: number) => (ms < 0 ? ms : Math.ceil(ms / 1000));

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

export const cacheFlush = tool({
  name: 'cache_flush',
  toolset: 'admin',
  title: 'Flush the namespace',
  description:
    "Deletes every key of this server's namespace (CACHE_NAMESPACE), and nothing outside it. Requires confirm: true. Not offered in read-only mode.",
  input: z.object({
    confirm: z.literal(true).describe('Must be true: this deletes every key of the namespace'),
  }),
  output: z.object({ success: z.literal(true), deleted: z.number(), namespace: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async handler(_input, { deps }) {
    return { success: true as const, deleted: await deps.cache.flush(), namespace: deps.cache.namespace };
  },
});

export const cacheInfo = tool({
  name: 'cache_info',
  toolset: 'admin',
  title: 'Cache info',
  description:
    'The backend (redis or file) and where it is, the namespace with its key count and memory, the limits, and backend details (Redis: configured database, version, used memory).',
  input: z.object({}),
  output: z.object({
    backend: z.enum(['redis', 'file']),
    location: z.string(),
    namespace: z.string(),
    keys: z.number(),
    memory_bytes: z
      .number()
      .nullable()
      .describe('Memory of the namespace (Redis: estimated from up to 1,000 sampled keys)'),
    max_value_bytes: z.number(),
    default_ttl_seconds: z.number().nullable(),
    details: z.record(z.string(), z.union([z.string(), z.number()])),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler(_input, { deps }) {
    const info = await deps.cache.info();
    return {
      backend: deps.cache.kind,
      location: deps.cache.location,
      namespace: deps.cache.namespace,
      keys: info.keys,
      memory_bytes: info.memory_bytes,
      max_value_bytes: deps.config.CACHE_MAX_VALUE_BYTES,
      default_ttl_seconds: deps.config.CACHE_DEFAULT_TTL_SECONDS ?? null,
      details: info.details,
    };
  },
});

export const cachePing = tool({
  name: 'cache_ping',
  toolset: 'admin',
  title: 'Ping',
  description: 'Checks the backend answers and how fast; an unreachable Redis is an unavailable error.',
  input: z.object({}),
  output: z.object({
    success: z.literal(true),
    backend: z.enum(['redis', 'file']),
    latency_ms: z.number(),
    message: z.string(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler(_input, { deps }) {
    const latency = await deps.cache.ping();
    return {
      success: true as const,
      backend: deps.cache.kind,
      latency_ms: latency,
      message: `${deps.cache.kind} backend is responsive`,
    };
  },
});

/** Every tool of the server, in one flat list; the configuration picks which are offered. */
export const tools: AnyTool<Deps>[] = [
  cacheSet,
  cacheGet,
  cacheDelete,
  cacheExists,
  cacheExpire,
  cacheTtl,
  cacheKeys,
  cacheScan,
  cacheMget,
  cacheMset,
  cacheIncr,
  cacheDecr,
  cacheFlush,
  cacheInfo,
  cachePing,
] as AnyTool<Deps>[];
