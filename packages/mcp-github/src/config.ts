import { CoreConfigSchema, redisEnvShape, secret, z } from '@org/mcp-core';

const REPO_GLOB = /^[A-Za-z0-9_.*-]+\/[A-Za-z0-9_.*-]+$/;

/** A comma-separated list of owner/repo globs; an empty or malformed entry is a config error. */
function repoGlobs() {
  return z
    .string()
    .superRefine((value, ctx) => {
      const bad = value
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => !REPO_GLOB.test(entry));
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `every entry must be owner/repo (globs allowed, e.g. my-org/*); not ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
        });
      }
    })
    .transform((value) => value.split(',').map((entry) => entry.trim()))
    .optional();
}

/** Every environment variable the server reads (the shared MCP_* and REDIS_* ones included). */
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
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .default('https://api.github.com')
    .describe('REST API root; for GitHub Enterprise Server use https://HOST/api/v3'),
  GITHUB_DEFAULT_BRANCH: z
    .string()
    .min(1)
    .optional()
    .describe("Branch used when a tool's branch is omitted (default: the repository's own default branch)"),
  GITHUB_ALLOWED_REPOS: repoGlobs().describe(
    'Comma-separated owner/repo globs the tools may touch, e.g. my-org/*,me/notes (default: every repository the token can reach)',
  ),
  GITHUB_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(300)
    .default(30)
    .describe('Timeout of one API request'),
  // Optional: with a Redis, every instance using the same token keeps GitHub's write and search pauses together.
  ...redisEnvShape,
});

export type Config = z.infer<typeof ConfigSchema>;
