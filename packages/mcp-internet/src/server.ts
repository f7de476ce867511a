import { defineServer, readPackageInfo } from '@org/mcp-core';
import { ConfigSchema } from './config.js';
import { createDeps } from './deps.js';
import { TOOLSETS } from './toolsets.js';

/** The internet server: what its bin runs and its tests build. */
export const server = defineServer({
  ...readPackageInfo(import.meta.url),
  configSchema: ConfigSchema,
  toolsets: TOOLSETS,
  // Loaded at the first call: the bundled bin lists the tools from the precomputed listing.
  loadTools: () => import('./tools/index.js'),
  createDeps,
  instructions: (deps) => {
    const providers = deps.search.providers();
    return [
      'Web search and page fetching. Use web_search (or batch_search, parallel_search_with_filters) to find pages and web_fetch to read one as Markdown; search_and_fetch does both.',
      providers.length
        ? `Search providers, in fallback order: ${providers.join(', ')}. Each answer names the provider that served it and lists filters it could not honour.`
        : 'No search provider is configured: the search tools answer a config error; web_fetch works.',
      'Long pages come in windows: when truncated is true, call web_fetch again with start_index = next_start_index (the page is not refetched).',
      'Fetches reach only public internet addresses and honour robots.txt; a refusal is a forbidden error, not a reason to retry another way.',
    ].join('\n');
  },
});
