import {
  createPacer,
  pacingKey,
  redisSettings,
  type CheckResult,
  type Logger,
  type ServerDeps,
  type ToolContext,
} from '@org/mcp-core';
import { openPacingRedis } from '@org/redis-connection';
import type { Config } from './config.js';
import { createJiraClients, type ClientOptions, type JiraApis, type JiraClients } from './jira/client.js';
import { toToolError } from './jira/errors.js';
import { ProjectsFilter } from './jira/projects-filter.js';

/** What the tools need; built once at start. */
export interface Deps extends ServerDeps {
  config: Config;
  logger: Logger;
  jira: JiraClients;
  filter: ProjectsFilter;
  /** Field id by lower-cased name, loaded on first use (GET /rest/api/3/field). */
  fieldIds?: Promise<Map<string, { id: string; name: string }[]>>;
}

/** Runs `fn` with the Jira clients under the call's signal and logger. */
export async function jiraCall<T>(ctx: ToolContext<Deps>, fn: (jira: JiraApis) => Promise<T>): Promise<T> {
  const apis = await ctx.deps.jira.apis();
  return ctx.deps.jira.withCall({ signal: ctx.signal, logger: ctx.logger }, () => fn(apis));
}

const message = (error: unknown) =>
  toToolError(error)?.message ?? (error instanceof Error ? error.message : String(error));

/**
 * With REDIS_URL or REDIS_HOST, a pacer shared through Redis: every instance using this token
 * keeps JIRA_RATE_LIMIT_DELAY between their requests together. Without, undefined (the process
 * paces alone and Redis is never touched).
 */
function sharedPacing(config: Config, logger: Logger) {
  const redis = config.JIRA_RATE_LIMIT_DELAY > 0 ? openPacingRedis(redisSettings(config), logger) : undefined;
  if (!redis) return undefined;
  const pacer = createPacer(config.JIRA_RATE_LIMIT_DELAY * 1000, {
    shared: {
      redis: redis.client,
      key: pacingKey('jira', `${config.JIRA_EMAIL}:${config.JIRA_API_TOKEN}`),
      onUnavailable: redis.onUnavailable,
    },
  });
  return { redis, pacer };
}

/** Creates the Jira clients. No request is made until a tool runs (or `--check`). */
export function createDeps(config: Config, logger: Logger, options: ClientOptions = {}): Deps {
  const shared = sharedPacing(config, logger);
  const jira = createJiraClients(config, logger, shared ? { pacer: shared.pacer, ...options } : options);
  const filter = new ProjectsFilter(config.JIRA_PROJECTS_FILTER);
  return {
    config,
    logger,
    jira,
    filter,
    async dispose() {
      await shared?.redis.close();
    },
    async check(): Promise<CheckResult[]> {
      const results: CheckResult[] = [];
      if (shared) results.push(await shared.redis.check('JIRA_RATE_LIMIT_DELAY'));
      const api = await jira.apis();
      try {
        const me = await api.v3.myself.getCurrentUser();
        results.push({
          name: 'jira',
          ok: true,
          detail: `authenticated as ${me.displayName ?? me.accountId} at ${config.JIRA_BASE_URL}`,
        });
      } catch (error) {
        results.push({ name: 'jira', ok: false, detail: message(error) });
        return results;
      }
      try {
        await api.agile.board.getAllBoards({ maxResults: 1 });
        results.push({
          name: 'agile',
          ok: true,
          detail: 'the Agile API answers (boards and sprints available)',
        });
      } catch (error) {
        results.push({
          name: 'agile',
          ok: false,
          detail: `the Agile API does not answer: ${message(error)}`,
        });
      }
      try {
        const page = await api.v3.projects.searchProjects({
          maxResults: 50,
          ...(filter.keys ? { keys: [...filter.keys] } : {}),
        });
        const keys = (page.values ?? []).map((p) => p.key).filter((k): k is string => !!k);
        const missing = (filter.keys ?? []).filter((k) => !keys.includes(k));
        results.push({
          name: 'projects',
          ok: keys.length > 0 && missing.length === 0,
          detail:
            (keys.length
              ? `visible${filter.active ? ' through JIRA_PROJECTS_FILTER' : ''}: ${keys.join(', ')}${page.isLast === false ? ', …' : ''}`
              : 'no project is visible') + (missing.length ? `; not visible: ${missing.join(', ')}` : ''),
        });
      } catch (error) {
        results.push({ name: 'projects', ok: false, detail: message(error) });
      }
      return results;
    },
  };
}
