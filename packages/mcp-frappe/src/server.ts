import { defineServer, readPackageInfo, type ServerDefinition } from '@org/mcp-core';
import { ConfigSchema, siteOf, type Config } from './config.js';
import { createDeps, type Deps } from './deps.js';
import { TOOLSETS } from './toolsets.js';

function instructions(_deps: unknown, config: Config): string {
  return [
    `Frappe / ERPNext site ${siteOf(config)}, acting as the user of the configured API key: Frappe's own permissions apply to every call.`,
    'Before creating or filtering documents of an unfamiliar DocType, read its fields with frappe_get_doctype_meta; use frappe_search_link for values of Link fields.',
    'Lists are paged (limit, next_cursor) and lean by default: ask for columns with `fields`. Counts use frappe_get_count.',
    'Submittable documents are created as drafts; submit and cancel them with frappe_submit_document / frappe_cancel_document.',
    config.FRAPPE_DOCTYPES_ALLOW
      ? `Only these DocTypes can be used: ${config.FRAPPE_DOCTYPES_ALLOW.join(', ')}.`
      : '',
    'Security DocTypes (User, Role, permissions, API keys, System Settings) are refused by default.',
  ]
    .filter(Boolean)
    .join(' ');
}

/** The Frappe server: what its bin runs and its tests build. */
export const server: ServerDefinition<typeof ConfigSchema, Deps> = defineServer({
  ...readPackageInfo(import.meta.url),
  configSchema: ConfigSchema,
  toolsets: TOOLSETS,
  // Loaded at the first call: the bundled bin lists the tools from the precomputed listing.
  loadTools: () => import('./tools/index.js'),
  createDeps,
  instructions,
});
