import { defineToolsets } from '@org/mcp-core';

/** The toolsets of the internet server (MCP_TOOLSETS); both are on by default. */
export const TOOLSETS = defineToolsets({
  search: { description: 'Web search over the configured providers, with fallback; search_and_fetch also fetches', default: true },
  fetch: { description: 'Fetch web pages as readable Markdown, JSON, text or PDF text (public addresses only)', default: true },
});

/** A toolset id of the internet server. */
export type Toolset = keyof typeof TOOLSETS;
