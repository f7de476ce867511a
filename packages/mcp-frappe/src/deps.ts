import {
  createPacer,
  pacingKey,
  redisSettings,
  type CheckResult,
  type Logger,
  type ServerDeps,
} from '@org/mcp-core';
import { openPacingRedis } from '@org/redis-connection';
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
  const redis =
    config.FRAPPE_RATE_LIMIT_DELAY > 0 ? openPacingRedis(redisSettings(config), logger) : undefined;
  const pacer = redis
    ? createPacer(config.FRAPPE_RATE_LIMIT_DELAY * 1000, {
        shared: {
          redis: redis.client,
          key: pacingKey('frappe', `${config.FRAPPE_API_KEY}:${config.FRAPPE_API_SECRET}`),
          onUnavailable: redis.onUnavailable,
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
      await redis?.close();
    },
    async check(): Promise<CheckResult[]> {
      const results: CheckResult[] = [];
      if (redis) results.push(await redis.check('FRAPPE_RATE_LIMIT_DELAY'));
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
