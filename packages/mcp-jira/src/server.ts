import { defineServer, readPackageInfo, type ServerDefinition } from '@org/mcp-core';
import { ConfigSchema, type Config } from './config.js';
import { createDeps, type Deps } from './deps.js';
import { toToolError } from './jira/errors.js';
import { TOOLSETS } from './toolsets.js';

function instructions(_deps: unknown, config: Config): string {
  return [
    `Jira Cloud at ${config.JIRA_BASE_URL}.`,
    'Descriptions and comments are Markdown in and out.',
    'Search with JQL (jira_search_issues; jira_build_jql quotes values safely); results are lean, ask for more with `fields`.',
    'Assignees and watchers take an account id, an email or a display name.',
    config.JIRA_PROJECT_KEY ? `Default project: ${config.JIRA_PROJECT_KEY}.` : '',
    config.JIRA_PROJECTS_FILTER
      ? `Only these projects can be used: ${config.JIRA_PROJECTS_FILTER.join(', ')}.`
      : '',
    'Boards, sprints, links, bulk create, worklogs and attachments are in toolsets that MCP_TOOLSETS can turn on.',
  ]
    .filter(Boolean)
    .join(' ');
}

/** The Jira server: what its bin runs and its tests build. */
export const server: ServerDefinition<typeof ConfigSchema, Deps> = defineServer({
  ...readPackageInfo(import.meta.url),
  configSchema: ConfigSchema,
  toolsets: TOOLSETS,
  // Loaded at the first call: the bundled bin lists the tools from the precomputed listing.
  loadTools: () => import('./tools/index.js'),
  createDeps,
  mapError: toToolError,
  instructions,
  // An attachment may carry up to 10 MB as base64.
  maxInputChars: 15_000_000,
});
