import { CoreConfigSchema, envList, redisEnvShape, secret, z } from '@org/mcp-core';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,254}$/;

/** Every environment variable the server reads (the shared MCP_* and REDIS_* ones included). */
export const ConfigSchema = CoreConfigSchema.extend({
  JIRA_BASE_URL: z
    .url()
    .transform((value) => value.replace(/\/+$/, ''))
    .refine((value) => {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
    }, 'must be an https:// URL (plain http only for localhost or 127.0.0.1)')
    .describe('Your Jira Cloud site, e.g. https://your-team.atlassian.net'),
  JIRA_EMAIL: z.email().describe('The Atlassian account email the API token belongs to'),
  JIRA_API_TOKEN: secret(
    z.string().trim().min(1).describe('Atlassian API token (id.atlassian.com → Security → API tokens)'),
  ),
  JIRA_PROJECT_KEY: z
    .string()
    .trim()
    .toUpperCase()
    .regex(PROJECT_KEY, 'must be a project key such as ENG')
    .optional()
    .describe('Default project of the create and board tools and of jira_build_jql when none is given'),
  JIRA_PROJECTS_FILTER: envList()
    .refine(
      (keys) => !keys || keys.every((k) => PROJECT_KEY.test(k.toUpperCase())),
      'must be comma-separated project keys such as ENG,OPS',
    )
    .transform((keys) => (keys && keys.length > 0 ? keys.map((k) => k.toUpperCase()) : undefined))
    .describe(
      'Comma-separated project keys the tools may touch: any other project is refused before a request is sent, searches are confined to them (default: every project the account can see)',
    ),
  JIRA_RATE_LIMIT_DELAY: z.coerce
    .number()
    .min(0)
    .max(60)
    .default(0.5)
    .describe('Minimum seconds between the starts of two requests'),
  JIRA_TIMEOUT: z.coerce.number().min(1).max(300).default(30).describe('Seconds one request may take'),
  JIRA_MAX_RETRIES: z.coerce
    .number()
    .int()
    .min(0)
    .max(10)
    .default(3)
    .describe(
      'Retries of a read (or of a request that never reached Jira) on 429, 5xx or a dropped connection',
    ),
  // Optional: with a Redis, every instance using the same token keeps JIRA_RATE_LIMIT_DELAY together.
  ...redisEnvShape,
});

export type Config = z.infer<typeof ConfigSchema>;
