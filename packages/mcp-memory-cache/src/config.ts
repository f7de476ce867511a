import { CoreConfigSchema, redisEnvShape, requireRedisFor, z } from '@org/mcp-core';

/** Every environment variable the server reads (the shared MCP_* and REDIS_* ones included). */
export const ConfigSchema = CoreConfigSchema.extend({
  CACHE_BACKEND: z
    .enum(['auto', 'redis', 'file'])
    .default('auto')
    .describe(
      'Where values live: redis, file, or auto (redis when REDIS_URL or REDIS_HOST is set, else file)',
    ),
  CACHE_DATA_DIR: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Directory of the file backend (default: the user data directory, e.g. ~/.local/share/org-mcp/memory-cache)',
    ),
  CACHE_NAMESPACE: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[^\s*?[\]\\]+$/, 'no spaces or glob characters')
    .default('cache:')
    .describe('Prefix of every key; no tool reads or changes anything outside it'),
  CACHE_MAX_VALUE_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(512 * 1024 * 1024)
    .default(1024 * 1024)
    .describe('Largest value accepted, in bytes of its JSON text (default 1 MiB)'),
  CACHE_DEFAULT_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('TTL given to values set without one (default: no expiry)'),
  CACHE_CLIENT_CACHE_MB: z.coerce
    .number()
    .min(0)
    .max(4096)
    .default(32)
    .describe(
      'Redis only: megabytes of recently read values kept in the server process and served without a round trip while Redis reports them unchanged (CLIENT TRACKING; Redis 6+, not on a cluster); 0 turns it off',
    ),
  ...redisEnvShape,
}).superRefine(requireRedisFor('CACHE_BACKEND'));

export type Config = z.infer<typeof ConfigSchema>;
