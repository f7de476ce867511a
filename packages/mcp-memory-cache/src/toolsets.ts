import { defineToolsets } from '@org/mcp-core';

/** The toolsets of the cache (MCP_TOOLSETS); all are on by default. */
export const TOOLSETS = defineToolsets({
  keys: {
    description: 'Set, get, delete, expire and count single keys (TTL, if_absent locks, counters)',
    default: true,
  },
  bulk: { description: 'Read and write many keys in one call', default: true },
  listing: { description: 'List keys by glob pattern, bounded and paged', default: true },
  admin: { description: 'Cache status, ping and flushing the namespace', default: true },
});

/** A toolset id of the cache. */
export type Toolset = keyof typeof TOOLSETS;
