import {
  ToolError,
  createPacer,
  pacingKey,
  serverWaitMs,
  type HttpClient,
  type Logger,
  type PacerRedis,
} from '@org/mcp-core';
import { ProviderTransportError, createProviderClient, sendProviderRequest } from './http.js';
import { cleanResults } from './providers.js';
import type {
  FailureKind,
  Provider,
  ProviderId,
  ProviderSettings,
  SearchFilters,
  SearchResult,
  UnsupportedFilter,
} from './types.js';

/** A provider with its configuration. */
export interface ConfiguredProvider {
  provider: Provider;
  settings: ProviderSettings;
}

/** A provider skipped on the way to the one that answered. */
export interface Skipped {
  provider: ProviderId;
  type: FailureKind | 'cooling_down';
  error: string;
}

/** One search's answer: who served it, the results, and what could not be honoured. */
export interface SearchOutcome {
  provider: ProviderId;
  results: SearchResult[];
  unsupported_filters: UnsupportedFilter[];
  skipped: Skipped[];
}

/** Settings of the search engine. */
export interface SearchEngineOptions {
  /** In fallback order. */
  providers: ConfiguredProvider[];
  timeoutMs: number;
  /** Overrides every provider's own minimum interval. */
  minIntervalMs?: number;
  userAgent: string;
  logger: Logger;
  /** Values scrubbed from every message that leaves the engine (the API keys). */
  secrets: readonly string[];
  /** Keep each provider's interval through Redis, per API key, across every instance sharing it. */
  sharedPacing?: { redis: PacerRedis | PromiseLike<PacerRedis>; onUnavailable?(error: unknown): void };
}

/** The variables that configure each provider, for config hints. */
export const PROVIDER_ENV: Record<ProviderId, string> = {
  brave: 'BRAVE_API_KEY',
  tavily: 'TAVILY_API_KEY',
  exa: 'EXA_API_KEY',
  serper: 'SERPER_API_KEY',
  searxng: 'SEARXNG_URL',
  google: 'GOOGLE_API_KEY and GOOGLE_SEARCH_ENGINE_ID',
};

const QUOTA_COOLDOWN_MS = 10 * 60_000;
const RATE_COOLDOWN_MS = 2_000;

/**
 * Searches through the configured providers in order. A provider that answers 429, 5xx, a
 * quota error or times out is skipped for the next one (and rested: until its Retry-After, or
 * for 10 minutes after a quota error); a 401/403 is reported as a configuration problem and
 * skipped; a 400 (the query itself) stops the search. Requests to one provider start at least
 * its minimum interval apart, however many searches run at once.
 */
export function createSearchEngine(options: SearchEngineOptions) {
  const restUntil = new Map<ProviderId, { until: number; why: string }>();
  const secrets = options.secrets.filter((s) => s.length >= 4);
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join('[redacted]'), text);

  // One client per provider: requests to it start at least its interval apart (each after the
  // previous one actually started), however many searches run at once, in this process or, with
  // shared pacing, in every process using the same key.
  const clients = new Map<ProviderId, HttpClient>();
  for (const { provider, settings } of options.providers) {
    const interval = options.minIntervalMs ?? provider.minIntervalMs;
    const shared = options.sharedPacing;
    const pacer = createPacer(interval, {
      shared: shared && {
        redis: shared.redis,
        key: pacingKey(`search:${provider.id}`, settings.apiKey ?? settings.baseUrl),
        ...(shared.onUnavailable ? { onUnavailable: shared.onUnavailable } : {}),
      },
    });
    clients.set(
      provider.id,
      createProviderClient(settings.baseUrl, {
        name: provider.name,
        timeoutMs: options.timeoutMs,
        userAgent: options.userAgent,
        pacer,
        secrets,
      }),
    );
  }

  async function ask(
    { provider, settings }: ConfiguredProvider,
    query: string,
    filters: SearchFilters,
    signal: AbortSignal | undefined,
  ): Promise<{ ok: true; results: SearchResult[]; unsupported: UnsupportedFilter[] } | { ok: false; kind: FailureKind; message: string }> {
    const { request, unsupported } = provider.build(query, filters, settings);
    const started = Date.now();
    try {
      const answer = await sendProviderRequest(clients.get(provider.id)!, request, {
        timeoutMs: options.timeoutMs,
        ...(signal ? { signal } : {}),
      });
      options.logger.debug({ provider: provider.id, status: answer.status, ms: Date.now() - started }, 'search request');
      if (answer.status >= 200 && answer.status < 300) {
        if (answer.body === undefined) {
          return { ok: false, kind: 'unavailable', message: `${provider.name}: the answer is not JSON` };
        }
        return { ok: true, results: cleanResults(provider.parse(answer.body)), unsupported };
      }
      const failure = provider.classify(answer.status, answer.body, answer.text);
      const wait = serverWaitMs(answer.headers);
      if (failure.kind === 'rate_limited') {
        restUntil.set(provider.id, { until: Date.now() + (wait ?? RATE_COOLDOWN_MS), why: 'rate limited' });
      } else if (failure.kind === 'quota') {
        restUntil.set(provider.id, { until: Date.now() + Math.max(wait ?? 0, QUOTA_COOLDOWN_MS), why: 'out of quota' });
      }
      return { ok: false, kind: failure.kind, message: `${failure.message} (HTTP ${answer.status})` };
    } catch (error) {
      if (!(error instanceof ProviderTransportError)) throw error;
      options.logger.debug({ provider: provider.id, error: error.kind, ms: Date.now() - started }, 'search request failed');
      return { ok: false, kind: error.kind === 'timeout' ? 'timeout' : 'unavailable', message: `${provider.name}: ${error.message}` };
    }
  }

  async function search(
    query: string,
    filters: SearchFilters,
    call: { signal?: AbortSignal; only?: ProviderId } = {},
  ): Promise<SearchOutcome> {
    const chain = call.only ? options.providers.filter((p) => p.provider.id === call.only) : options.providers;
    if (chain.length === 0) {
      throw new ToolError(
        'config',
        call.only ? `The search provider "${call.only}" is not configured` : 'No search provider is configured',
        {
          hint: call.only
            ? `Set ${PROVIDER_ENV[call.only]} (and list it in SEARCH_PROVIDERS if that is set).`
            : 'Set one of BRAVE_API_KEY, TAVILY_API_KEY, EXA_API_KEY, SERPER_API_KEY, SEARXNG_URL, or GOOGLE_API_KEY with GOOGLE_SEARCH_ENGINE_ID; SEARCH_PROVIDERS orders them. web_fetch works without any.',
        },
      );
    }
    const skipped: Skipped[] = [];
    for (const entry of chain) {
      const rest = restUntil.get(entry.provider.id);
      if (rest && rest.until > Date.now()) {
        skipped.push({
          provider: entry.provider.id,
          type: 'cooling_down',
          error: `${entry.provider.name}: ${rest.why}, resting for ${Math.ceil((rest.until - Date.now()) / 1000)} s`,
        });
        continue;
      }
      const outcome = await ask(entry, query, filters, call.signal);
      if (outcome.ok) {
        return { provider: entry.provider.id, results: outcome.results, unsupported_filters: outcome.unsupported, skipped };
      }
      const message = scrub(outcome.message);
      if (outcome.kind === 'invalid') {
        throw new ToolError('validation', message, {
          hint: skipped.length ? `Skipped before it: ${skipped.map((s) => s.error).join('; ')}` : undefined,
        });
      }
      if (outcome.kind === 'auth') options.logger.warn({ provider: entry.provider.id }, 'search provider rejected its credentials');
      skipped.push({ provider: entry.provider.id, type: outcome.kind, error: message });
    }
    throw exhausted(skipped);
  }

  function exhausted(skipped: Skipped[]): ToolError {
    const summary = skipped.map((s) => s.error).join('; ');
    if (skipped.every((s) => s.type === 'auth')) {
      return new ToolError('config', `No search provider accepted its credentials: ${summary}`, {
        hint: `Check ${skipped.map((s) => PROVIDER_ENV[s.provider]).join(', ')}.`,
        retryable: false,
      });
    }
    const limited = skipped.every((s) => s.type === 'rate_limited' || s.type === 'quota' || s.type === 'cooling_down' || s.type === 'auth');
    const waits = [...restUntil.values()].map((r) => r.until - Date.now()).filter((ms) => ms > 0);
    return new ToolError(limited ? 'rate_limited' : 'unavailable', `Every search provider failed: ${summary}`, {
      retryable: true,
      ...(limited && waits.length ? { hint: `Retry in ${Math.ceil(Math.min(...waits) / 1000)} s.` } : {}),
    });
  }

  return {
    search,
    /** The configured providers, in order. */
    providers: () => options.providers.map((p) => p.provider.id),
  };
}

/** The search engine (see createSearchEngine). */
export type SearchEngine = ReturnType<typeof createSearchEngine>;
