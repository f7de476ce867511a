import { AsyncLocalStorage } from 'node:async_hooks';
import { createPacer, withRetry, type Logger, type Pacer } from '@org/mcp-core';
import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import type { AgileClient } from 'jira.js/agile';
import type { Version3Client } from 'jira.js/version3';
import type { Config } from '../config.js';
import { classifyFailure, corePolicy, type RetryPolicy } from './retry.js';

/** The two jira.js clients. */
export interface JiraApis {
  v3: Version3Client;
  agile: AgileClient;
}

/** The jira.js clients, loaded on first use, sharing one transport (retries, pacing, cancellation, logging). */
export interface JiraClients {
  /** The clients; jira.js and axios are imported on the first call, so start-up does not pay for them. */
  apis(): Promise<JiraApis>;
  /**
   * Runs `fn` with the call's abort signal and logger: every request it makes is cancelled with
   * the signal and logged to that logger. jira.js methods take no signal of their own.
   */
  withCall<T>(call: CallScope, fn: () => Promise<T>): Promise<T>;
}

/** What one tool call hands to the requests it makes. */
export interface CallScope {
  signal: AbortSignal;
  logger: Logger;
}

/** Test and tuning knobs; production uses the defaults. */
export interface ClientOptions {
  /** @default 500 */
  retryBaseMs?: number;
  /** @default 60000 */
  maxRetryWaitMs?: number;
  /** Paces request starts instead of JIRA_RATE_LIMIT_DELAY alone (a pacer shared through Redis). */
  pacer?: Pacer;
}

/**
 * The axios adapter under jira.js: paces request starts, retries what is safe to repeat (reads,
 * and a create only when the connection was refused, so a write is never sent twice), honours
 * Retry-After, aborts with the tool call's signal, and logs method, path, status and time (never
 * headers or bodies).
 */
function createAdapter(
  http: AxiosAdapter,
  policy: RetryPolicy,
  scope: AsyncLocalStorage<CallScope>,
  fallback: Logger,
  pace: Pacer,
): AxiosAdapter {
  return async (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
    const call = scope.getStore();
    const logger = call?.logger ?? fallback;
    const signal = call?.signal;
    const method = (config.method ?? 'get').toUpperCase();
    const path = new URL(config.url ?? '', config.baseURL ?? 'http://x').pathname;
    let started = 0;
    const failed = (error: unknown, retryInMs?: number) => {
      const status = (error as { response?: AxiosResponse }).response?.status;
      logger.debug(
        {
          method,
          path,
          status,
          code: status ? undefined : (error as { code?: string }).code,
          ms: Math.round(performance.now() - started),
          retry_in_ms: retryInMs === undefined ? undefined : Math.round(retryInMs),
        },
        'jira request failed',
      );
    };
    return withRetry(
      async () => {
        await pace(signal);
        started = performance.now();
        const response = await http({ ...config, ...(signal ? { signal } : {}) });
        logger.debug(
          { method, path, status: response.status, ms: Math.round(performance.now() - started) },
          'jira request',
        );
        return response;
      },
      (error) => {
        const e = error as { response?: AxiosResponse; code?: string };
        return classifyFailure(
          { method, path },
          {
            status: e.response?.status,
            code: e.code,
            retryAfter: e.response?.headers?.['retry-after'] as string | undefined,
          },
        );
      },
      corePolicy(policy),
      signal,
      {
        onRetry: ({ error, waitMs }) => failed(error, waitMs),
        giveUp: (error) => {
          failed(error);
          return error;
        },
      },
    );
  };
}

async function loadApis(
  config: Config,
  logger: Logger,
  options: ClientOptions,
  scope: AsyncLocalStorage<CallScope>,
): Promise<JiraApis> {
  const [{ default: axios }, { Version3Client }, { AgileClient }] = await Promise.all([
    import('axios'),
    import('jira.js/version3'),
    import('jira.js/agile'),
  ]);
  const adapter = createAdapter(
    axios.getAdapter('http'),
    {
      retries: config.JIRA_MAX_RETRIES,
      baseMs: options.retryBaseMs ?? 500,
      maxWaitMs: options.maxRetryWaitMs ?? 60_000,
      minIntervalMs: config.JIRA_RATE_LIMIT_DELAY * 1000,
    },
    scope,
    logger,
    options.pacer ?? createPacer(config.JIRA_RATE_LIMIT_DELAY * 1000),
  );
  const common = {
    host: config.JIRA_BASE_URL,
    authentication: { basic: { email: config.JIRA_EMAIL, apiToken: config.JIRA_API_TOKEN } },
    baseRequestConfig: {
      adapter,
      timeout: config.JIRA_TIMEOUT * 1000,
      headers: { Accept: 'application/json', 'User-Agent': 'org-mcp-jira' },
      // Attachments are read with a size cap of their own; this only stops a runaway body.
      maxContentLength: 50 * 1024 * 1024,
      maxRedirects: 0,
    },
  };
  return { v3: new Version3Client(common), agile: new AgileClient(common) };
}

/** Creates the Version3 and Agile clients (lazily). No request is made here. */
export function createJiraClients(config: Config, logger: Logger, options: ClientOptions = {}): JiraClients {
  const scope = new AsyncLocalStorage<CallScope>();
  let apis: Promise<JiraApis> | undefined;
  return {
    apis: () => (apis ??= loadApis(config, logger, options, scope)),
    withCall: (call, fn) => scope.run(call, fn),
  };
}
