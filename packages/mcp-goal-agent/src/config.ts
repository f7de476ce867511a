import { CoreConfigSchema, redisEnvShape, requireRedisFor, z } from '@org/mcp-core';

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
  ...redisEnvShape,
}).superRefine(requireRedisFor('GOAL_AGENT_STORE'));

export type Config = z.infer<typeof ConfigSchema>;
