import { CoreConfigSchema, envBoolean, readPackageInfo, secret, z } from '@org/mcp-core';

/** Package name and version, read from package.json. */
export const packageInfo = readPackageInfo(import.meta.url);

/** Every environment variable the server reads (the shared MCP_* ones included). */
export const ConfigSchema = CoreConfigSchema.extend({
  GOAL_AGENT_STORE: z
    .enum(['auto', 'redis', 'file'])
    .default('auto')
    .describe(
      'Where goals live: redis, file, or auto (redis when REDIS_URL or REDIS_HOST is set, else file)',
    ),
  GOAL_AGENT_DATA_DIR: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Directory of the file store (default: the user data directory, e.g. ~/.local/share/org-mcp/goal-agent)',
    ),
  GOAL_AGENT_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]+$/)
    .default('goal_agent')
    .describe('Prefix of every Redis key'),
  GOAL_AGENT_LEASE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(1800)
    .describe('Default claim lease of claim_next_task, in seconds'),
  REDIS_URL: secret(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss:// (TLS)')
      .optional()
      .describe('Redis URL, e.g. redis://:password@host:6379/0 or rediss:// for TLS; wins over REDIS_HOST'),
  ),
  REDIS_HOST: z.string().min(1).optional().describe("Redis host (the original servers' variable)"),
  REDIS_PORT: z.coerce.number().int().min(1).max(65535).default(6379).describe('Redis port'),
  REDIS_DB: z.coerce.number().int().min(0).max(15).default(0).describe('Redis database number'),
  REDIS_USERNAME: z.string().min(1).optional().describe('Redis ACL user name'),
  REDIS_PASSWORD: secret(z.string().min(1).optional().describe('Redis password')),
  REDIS_TLS: envBoolean(false, 'Use TLS to reach REDIS_HOST'),
  REDIS_CLUSTER: envBoolean(false, 'Treat the Redis address as a seed node of a Redis Cluster'),
});

export type Config = z.infer<typeof ConfigSchema>;
