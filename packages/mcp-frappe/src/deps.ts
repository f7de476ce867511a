import {
  createPacer,
  pacingKey,
  redisSettings,
  type CheckResult,
  type Logger,
  type ServerDeps,
} from '@org/mcp-core';
import { connectRedis } from '@org/redis-connection';
import { plainHttpWarning, type Config } from './config.js';
import { FrappeClient, type ClientOptions } from './frappe/client.js';
import { MethodGuard } from './frappe/guard.js';

/** What the tools need; built once at start. */
export interface Deps extends ServerDeps {
  config: Config;
  logger: Logger;
  frappe: FrappeClient;
  methods: MethodGuard;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Creates the Frappe client. No request is made until a tool runs (or `--check`). */
export function createDeps(config: Config, logger: Logger, options: ClientOptions = {}): Deps {
  // With REDIS_URL or REDIS_HOST and a FRAPPE_RATE_LIMIT_DELAY, the pause is kept per API key
  // across every instance; without, per process, and Redis is never touched.
  const settings = config.FRAPPE_RATE_LIMIT_DELAY > 0 ? redisSettings(config) : undefined;
  const redis = settings ? connectRedis(settings, logger) : undefined;
  const client = redis?.then((c) => c.client);
  client?.catch(() => undefined); // the pacer reports a failed connection when it first needs it
  const pacer = client
    ? createPacer(config.FRAPPE_RATE_LIMIT_DELAY * 1000, {
        shared: {
          redis: client,
          key: pacingKey('frappe', `${config.FRAPPE_API_KEY}:${config.FRAPPE_API_SECRET}`),
          onUnavailable: (error) =>
            logger.warn(
              { error: (error as Error).message },
              'rate limit: Redis does not answer, this instance paces its requests alone',
            ),
        },
      })
    : undefined;
  const frappe = new FrappeClient(config, logger, pacer ? { pacer, ...options } : options);
  const warning = plainHttpWarning(config);
  if (warning) logger.warn({ site: frappe.site }, warning);
  return {
    config,
    logger,
    frappe,
    methods: new MethodGuard(config.FRAPPE_METHODS_ALLOW),
    async dispose() {
      if (redis) await (await redis).close();
    },
    async check(): Promise<CheckResult[]> {
      const results: CheckResult[] = [];
      if (redis) {
        const connection = await redis;
        const health = await connection.health();
        results.push({
          name: 'rate limit',
          ok: health.ok,
          detail: health.ok
            ? `FRAPPE_RATE_LIMIT_DELAY shared through redis at ${connection.location}`
            : `${health.detail}: each instance paces alone until it answers`,
        });
      }
      if (warning) results.push({ name: 'transport', ok: true, detail: `warning: ${warning}` });
      try {
        const user = await frappe.whoAmI();
        results.push({ name: 'frappe', ok: true, detail: `authenticated as ${user} at ${frappe.site}` });
      } catch (error) {
        results.push({ name: 'frappe', ok: false, detail: message(error) });
        return results;
      }
      try {
        const apps = await frappe.versions();
        const list = Object.entries(apps ?? {}).map(([app, info]) => `${app} ${info?.version ?? '?'}`);
        results.push({ name: 'version', ok: true, detail: list.length ? list.join(', ') : 'unknown' });
      } catch (error) {
        results.push({ name: 'version', ok: false, detail: message(error) });
      }
      try {
        const v2 = await frappe.hasV2();
        results.push({
          name: 'api',
          ok: v2 || config.FRAPPE_API_VERSION === 'v1',
          detail: v2
            ? `the v2 API (/api/v2) is available; using ${config.FRAPPE_API_VERSION}`
            : `no v2 API on this site (Frappe 14 or older); using ${config.FRAPPE_API_VERSION}${config.FRAPPE_API_VERSION === 'v2' ? ': set FRAPPE_API_VERSION=v1' : ''}`,
        });
      } catch (error) {
        results.push({ name: 'api', ok: false, detail: message(error) });
      }
      return results;
    },
  };
}
