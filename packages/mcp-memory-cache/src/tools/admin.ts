import { z } from '@org/mcp-core';
import { tool } from './tool.js';

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
