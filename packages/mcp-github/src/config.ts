import { CoreConfigSchema, envList, secret, z } from '@org/mcp-core';

/** Every environment variable the server reads (the shared MCP_* ones included). */
export const ConfigSchema = CoreConfigSchema.extend({
  GITHUB_PERSONAL_ACCESS_TOKEN: secret(
    z
      .string()
      .trim()
      .min(1)
      .regex(/^\S+$/, 'must be a single token without spaces')
      .describe(
        'GitHub token: classic (ghp_), fine-grained (github_pat_), OAuth (gho_), app (ghu_/ghs_) or any other',
      ),
  ),
  GITHUB_API_URL: z
    .url()
    .default('https://api.github.com')
    .describe('REST API root; for GitHub Enterprise Server use https://HOST/api/v3'),
  GITHUB_DEFAULT_BRANCH: z
    .string()
    .min(1)
    .optional()
    .describe("Branch used when a tool's branch is omitted (default: the repository's own default branch)"),
  GITHUB_ALLOWED_REPOS: envList().describe(
    'Comma-separated owner/repo globs the tools may touch, e.g. my-org/*,me/notes (default: every repository the token can reach)',
  ),
  GITHUB_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(300)
    .default(30)
    .describe('Timeout of one API request'),
});

export type Config = z.infer<typeof ConfigSchema>;
