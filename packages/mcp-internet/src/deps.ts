import { redisSettings, type CheckResult, type Logger, type ServerDeps } from '@org/mcp-core';
import { openPacingRedis } from '@org/redis-connection';
import type { Config } from './config.js';
import { parseAllowList, type Resolver } from './fetch/address-guard.js';
import type { PageFetcher } from './fetch/pages.js';
import { createSearchEngine, type ConfiguredProvider, type SearchEngine } from './search/engine.js';
import { PROVIDERS } from './search/providers.js';
import { PROVIDER_IDS, type ProviderId } from './search/types.js';

/** The day Google closes the Custom Search JSON API to existing customers. */
export const GOOGLE_CSE_CLOSES = '2027-01-01';

/** What the tools need; built once at start (no I/O), disposed on shutdown. */
export interface Deps extends ServerDeps {
  config: Config;
  logger: Logger;
  search: SearchEngine;
  /** The page fetcher, created (and its libraries loaded) on first use. */
  pages(): Promise<PageFetcher>;
}

/** Test seams of createDeps. */
export interface DepsOptions {
  /** Resolves host names for fetches (default: the system resolver). */
  resolve?: Resolver;
  /** The current time, for the Google closure check. */
  now?: () => Date;
}

/** The providers the configuration enables, in fallback order. */
export function configuredProviders(config: Config): ConfiguredProvider[] {
  const settings: Record<
    ProviderId,
    { baseUrl: string; apiKey?: string | undefined; engineId?: string | undefined; on: boolean }
  > = {
    brave: { baseUrl: config.BRAVE_API_URL, apiKey: config.BRAVE_API_KEY, on: !!config.BRAVE_API_KEY },
    tavily: { baseUrl: config.TAVILY_API_URL, apiKey: config.TAVILY_API_KEY, on: !!config.TAVILY_API_KEY },
    exa: { baseUrl: config.EXA_API_URL, apiKey: config.EXA_API_KEY, on: !!config.EXA_API_KEY },
    serper: { baseUrl: config.SERPER_API_URL, apiKey: config.SERPER_API_KEY, on: !!config.SERPER_API_KEY },
    searxng: { baseUrl: config.SEARXNG_URL ?? '', on: !!config.SEARXNG_URL },
    google: {
      baseUrl: config.GOOGLE_API_URL,
      apiKey: config.GOOGLE_API_KEY,
      engineId: config.GOOGLE_SEARCH_ENGINE_ID,
      on: !!config.GOOGLE_API_KEY && !!config.GOOGLE_SEARCH_ENGINE_ID,
    },
  };
  const order = (config.SEARCH_PROVIDERS ?? PROVIDER_IDS.filter((id) => settings[id].on)) as ProviderId[];
  return order.map((id) => {
    const { baseUrl, apiKey, engineId } = settings[id];
    return {
      provider: PROVIDERS[id],
      settings: { baseUrl, ...(apiKey ? { apiKey } : {}), ...(engineId ? { engineId } : {}) },
    };
  });
}

/** Days until Google's closure (negative once past). */
export function daysUntilGoogleCloses(now: Date): number {
  return Math.ceil((Date.parse(`${GOOGLE_CSE_CLOSES}T00:00:00Z`) - now.getTime()) / 86_400_000);
}

/** Builds the search engine; the fetcher is built on first use. */
export function createDeps(config: Config, logger: Logger, options: DepsOptions = {}): Deps {
  const providers = configuredProviders(config);
  const secrets = [
    config.BRAVE_API_KEY,
    config.TAVILY_API_KEY,
    config.EXA_API_KEY,
    config.SERPER_API_KEY,
    config.GOOGLE_API_KEY,
  ].filter((v): v is string => !!v);
  // With REDIS_URL or REDIS_HOST (and a provider to pace), each provider's interval is kept per
  // API key across every instance; without, per process, and Redis is never touched.
  const redis = providers.length > 0 ? openPacingRedis(redisSettings(config), logger, 'searches') : undefined;
  const search = createSearchEngine({
    providers,
    ...(redis ? { sharedPacing: { redis: redis.client, onUnavailable: redis.onUnavailable } } : {}),
    timeoutMs: config.SEARCH_TIMEOUT_SECONDS * 1000,
    ...(config.SEARCH_MIN_INTERVAL_MS === undefined ? {} : { minIntervalMs: config.SEARCH_MIN_INTERVAL_MS }),
    userAgent: config.INTERNET_USER_AGENT,
    logger,
    secrets,
  });
  let pages: Promise<PageFetcher> | undefined;
  const now = options.now ?? (() => new Date());
  return {
    config,
    logger,
    search,
    pages() {
      pages ??= import('./fetch/pages.js').then(({ createPageFetcher }) =>
        createPageFetcher({
          allow: parseAllowList(config.INTERNET_FETCH_ALLOW_HOSTS ?? []).allow,
          ...(options.resolve ? { resolve: options.resolve } : {}),
          userAgent: config.INTERNET_USER_AGENT,
          maxBytes: config.INTERNET_MAX_FETCH_BYTES,
          timeoutMs: config.INTERNET_FETCH_TIMEOUT_SECONDS * 1000,
          ignoreRobots: config.INTERNET_IGNORE_ROBOTS,
          cacheTtlMs: config.INTERNET_CACHE_TTL_SECONDS * 1000,
        }),
      );
      return pages;
    },
    async check(): Promise<CheckResult[]> {
      const results: CheckResult[] = [];
      if (redis) results.push(await redis.check('provider intervals'));
      if (providers.length === 0) {
        results.push({
          name: 'search',
          ok: true,
          detail:
            'no provider configured: the search tools answer a config error, web_fetch works (set BRAVE_API_KEY, TAVILY_API_KEY, EXA_API_KEY, SERPER_API_KEY, SEARXNG_URL or GOOGLE_API_KEY)',
        });
      }
      for (const { provider } of providers) {
        const started = Date.now();
        try {
          const outcome = await search.search('model context protocol', { count: 1 }, { only: provider.id });
          results.push({
            name: provider.id,
            ok: true,
            detail: `${provider.name} answered in ${Date.now() - started} ms (${outcome.results.length} result)`,
          });
        } catch (error) {
          results.push({
            name: provider.id,
            ok: false,
            detail: error instanceof Error ? error.message : String(error),
          });
        }
        if (provider.id === 'google') {
          const days = daysUntilGoogleCloses(now());
          results.push({
            name: 'google closure',
            ok: days > 0,
            detail:
              days > 0
                ? `Google closes the Custom Search JSON API to existing customers on ${GOOGLE_CSE_CLOSES} (in ${days} days); move to another provider`
                : `Google closed the Custom Search JSON API on ${GOOGLE_CSE_CLOSES}; remove GOOGLE_API_KEY and configure another provider`,
          });
        }
      }
      const allow = config.INTERNET_FETCH_ALLOW_HOSTS ?? [];
      results.push({
        name: 'fetch',
        ok: true,
        detail: `public addresses only${allow.length ? `, plus ${allow.join(', ')}` : ''}; robots.txt ${config.INTERNET_IGNORE_ROBOTS ? 'ignored' : 'honoured'}; at most ${config.INTERNET_MAX_FETCH_BYTES} bytes in ${config.INTERNET_FETCH_TIMEOUT_SECONDS} s`,
      });
      return results;
    },
    async dispose() {
      if (pages) await (await pages).close();
      if (redis) await redis.close();
    },
  };
}
