import { CoreConfigSchema, envBoolean, envList, readPackageInfo, redisEnvShape, secret, z } from '@org/mcp-core';
import { parseAllowList } from './fetch/address-guard.js';
import { PROVIDER_IDS } from './search/types.js';

const { version } = readPackageInfo(import.meta.url);

/** The User-Agent sent with every fetch (and robots.txt matched against its first word). */
export const DEFAULT_USER_AGENT = `OrgMcpInternet/${version} (Autonomous; +https://www.npmjs.com/package/@org/mcp-internet)`;

const origin = (name: string, fallback: string) =>
  z
    .url({ protocol: /^https?$/ })
    .default(fallback)
    .describe(`${name} API origin, for a proxy or local testing`);

const apiKey = (name: string) =>
  secret(z.string().trim().min(1).regex(/^\S+$/, 'must be one key without spaces').optional().describe(`${name} API key`));

/** Every environment variable the server reads (the shared MCP_* ones included). */
export const ConfigSchema = CoreConfigSchema.extend({
  SEARCH_PROVIDERS: envList().describe(
    `Search providers to use, in fallback order, comma-separated: ${PROVIDER_IDS.join(', ')} (default: every provider whose key or URL is set, in that order)`,
  ),
  BRAVE_API_KEY: apiKey('Brave Search'),
  TAVILY_API_KEY: apiKey('Tavily'),
  EXA_API_KEY: apiKey('Exa'),
  SERPER_API_KEY: apiKey('Serper'),
  SEARXNG_URL: secret(
    z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('Base URL of a SearXNG instance with the JSON format enabled, e.g. http://searxng:8080 (credentials in the URL are sent as basic auth)'),
  ),
  GOOGLE_API_KEY: apiKey('Google Custom Search JSON (closed to existing customers on 2027-01-01)'),
  GOOGLE_SEARCH_ENGINE_ID: z.string().trim().min(1).optional().describe('Google Programmable Search engine id (cx); needed with GOOGLE_API_KEY'),
  BRAVE_API_URL: origin('Brave Search', 'https://api.search.brave.com'),
  TAVILY_API_URL: origin('Tavily', 'https://api.tavily.com'),
  EXA_API_URL: origin('Exa', 'https://api.exa.ai'),
  SERPER_API_URL: origin('Serper', 'https://google.serper.dev'),
  GOOGLE_API_URL: origin('Google Custom Search', 'https://www.googleapis.com'),
  SEARCH_TIMEOUT_SECONDS: z.coerce.number().min(1).max(120).default(15).describe('Timeout of one search request, before the next provider is tried'),
  SEARCH_MIN_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .optional()
    .describe('Minimum gap between two requests to one provider (default per provider: Brave 1100, SearXNG 500, Exa and Serper 200, Tavily and Google 100)'),
  INTERNET_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(20).default(5).describe('Searches or fetches a batch tool runs at once'),
  INTERNET_FETCH_ALLOW_HOSTS: envList().describe(
    'Comma-separated hosts (intranet.corp, *.corp.example), IP addresses or CIDR ranges (10.0.0.0/8, fd00::/8) that fetches may reach although not public; everything else must be a public address',
  ),
  INTERNET_MAX_FETCH_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(5 * 1024 * 1024)
    .describe('Largest response body a fetch reads, in bytes (after decompression)'),
  INTERNET_FETCH_TIMEOUT_SECONDS: z.coerce.number().min(1).max(300).default(30).describe('Timeout of one fetch, redirects and body included'),
  INTERNET_IGNORE_ROBOTS: envBoolean(false, 'Fetch pages even where robots.txt disallows it'),
  INTERNET_USER_AGENT: z.string().trim().min(1).max(500).default(DEFAULT_USER_AGENT).describe('User-Agent of fetches (robots.txt rules are matched against its first word)'),
  INTERNET_CACHE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(600)
    .describe('How long fetched pages stay in memory for paging with start_index (0: not kept); at most 64 MB'),
  // Optional: with a Redis, every instance using the same API key keeps each provider's interval together.
  ...redisEnvShape,
}).superRefine((config, ctx) => {
  const configured = {
    brave: config.BRAVE_API_KEY,
    tavily: config.TAVILY_API_KEY,
    exa: config.EXA_API_KEY,
    serper: config.SERPER_API_KEY,
    searxng: config.SEARXNG_URL,
    google: config.GOOGLE_API_KEY,
  };
  for (const id of config.SEARCH_PROVIDERS ?? []) {
    if (!(PROVIDER_IDS as readonly string[]).includes(id)) {
      ctx.addIssue({ code: 'custom', path: ['SEARCH_PROVIDERS'], message: `unknown provider "${id}" (known: ${PROVIDER_IDS.join(', ')})` });
    } else if (!configured[id as keyof typeof configured]) {
      const variable = id === 'searxng' ? 'SEARXNG_URL' : `${id.toUpperCase()}_API_KEY`;
      ctx.addIssue({ code: 'custom', path: ['SEARCH_PROVIDERS'], message: `"${id}" is listed but ${variable} is not set` });
    }
  }
  if (config.GOOGLE_API_KEY && !config.GOOGLE_SEARCH_ENGINE_ID) {
    ctx.addIssue({ code: 'custom', path: ['GOOGLE_SEARCH_ENGINE_ID'], message: 'is required with GOOGLE_API_KEY' });
  }
  for (const problem of parseAllowList(config.INTERNET_FETCH_ALLOW_HOSTS ?? []).problems) {
    ctx.addIssue({ code: 'custom', path: ['INTERNET_FETCH_ALLOW_HOSTS'], message: problem });
  }
});

/** The server's configuration. */
export type Config = z.infer<typeof ConfigSchema>;
