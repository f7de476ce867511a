import { CoreConfigSchema, envList, redisEnvShape, secret, z } from '@org/mcp-core';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

const siteUrl = (name: string) =>
  z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .transform((value) => value.replace(/\/+$/, ''))
    .optional()
    .describe(name);

/** Every environment variable the server reads (the shared MCP_* ones included). */
export const ConfigSchema = CoreConfigSchema.extend({
  FRAPPE_URL: siteUrl(
    'Required (or FRAPPE_SITE_URL): your Frappe / ERPNext site, e.g. https://erp.example.com (plain http is allowed, with a warning unless the host is loopback)',
  ),
  FRAPPE_SITE_URL: siteUrl("The original server's name for FRAPPE_URL; used when FRAPPE_URL is unset"),
  FRAPPE_API_KEY: secret(
    z.string().trim().min(1).describe('API key of the Frappe user the server acts as (User → API Access)'),
  ),
  FRAPPE_API_SECRET: secret(z.string().trim().min(1).describe('API secret generated with that API key')),
  FRAPPE_TIMEOUT: z.coerce.number().min(1).max(300).default(30).describe('Seconds one request may take'),
  FRAPPE_MAX_RETRIES: z.coerce
    .number()
    .int()
    .min(0)
    .max(10)
    .default(3)
    .describe(
      'Retries of a read (or of a request that never reached Frappe) on 429, 5xx or a dropped connection',
    ),
  FRAPPE_API_VERSION: z
    .enum(['v1', 'v2'])
    .default('v1')
    .describe(
      'REST API for documents, lists, counts, submit and cancel: v1 (/api/resource, every Frappe from 14 on) or v2 (/api/v2/document, Frappe 15 and later); --check says whether the site has v2',
    ),
  FRAPPE_DOCTYPES_ALLOW: envList().describe(
    'Comma-separated DocTypes (globs allowed: Sales *) the tools may touch; any other is refused before a request is sent (default: every DocType but the default-denied ones). Naming a default-denied DocType exactly opts it back in',
  ),
  FRAPPE_DOCTYPES_DENY: envList().describe(
    'Comma-separated DocTypes (globs allowed) the tools never touch, added to the default deny list of security DocTypes (User, Role, DocPerm, User Permission, OAuth and API keys, System Settings, Server Script, …)',
  ),
  FRAPPE_METHODS_ALLOW: envList().describe(
    'Comma-separated whitelisted methods frappe_call_method may call: dotted paths, * a glob (myapp.api.* allows a module, erpnext.*.get_* a family) (default: none, since a method can do anything)',
  ),
  FRAPPE_REPORT_WAIT: z.coerce
    .number()
    .min(0)
    .max(300)
    .default(30)
    .describe(
      'Seconds frappe_run_report waits for a prepared (background) report before answering with its id',
    ),
  FRAPPE_RATE_LIMIT_DELAY: z.coerce
    .number()
    .min(0)
    .max(60)
    .default(0)
    .describe(
      "Minimum seconds between the starts of two requests (0: no pause), e.g. to stay under a site's rate_limit; shared by every instance using the same key when Redis is configured",
    ),
  // Optional: with a Redis, every instance using the same API key keeps FRAPPE_RATE_LIMIT_DELAY together.
  ...redisEnvShape,
}).refine((config) => !!(config.FRAPPE_URL || config.FRAPPE_SITE_URL), {
  path: ['FRAPPE_URL'],
  message: 'required (or FRAPPE_SITE_URL)',
  // Also when other variables are wrong, so one message lists every problem.
  when: (payload) => {
    const v = payload.value as { FRAPPE_URL?: unknown; FRAPPE_SITE_URL?: unknown } | undefined;
    return !!v && typeof v === 'object' && v.FRAPPE_URL === undefined && v.FRAPPE_SITE_URL === undefined;
  },
});

export type Config = z.infer<typeof ConfigSchema>;

/** The site URL the server talks to: FRAPPE_URL, else FRAPPE_SITE_URL (without a trailing slash). */
export function siteOf(config: Config): string {
  return (config.FRAPPE_URL ?? config.FRAPPE_SITE_URL)!;
}

/** A warning when the site is plain http on a host other than loopback (key and secret travel in clear). */
export function plainHttpWarning(config: Config): string | undefined {
  const url = new URL(siteOf(config));
  // Loopback: localhost, ::1 and all of 127.0.0.0/8.
  if (url.protocol !== 'http:' || LOOPBACK.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname))
    return undefined;
  return `${url.origin} is plain http: the API key and secret travel unencrypted; use https unless the network is private`;
}
