import { defineServer, readPackageInfo } from '@org/mcp-core';
import { ConfigSchema, type Config } from './config.js';
import { createDeps, toToolError, type Deps } from './deps.js';
import { TOOLSETS } from './toolsets.js';

const instructions = (deps: Deps) =>
  [
    `A key-value cache in the ${deps.cache.kind} backend (${deps.cache.location}), namespace "${deps.cache.namespace}".`,
    'Values are any JSON and come back exactly as set; use ttl for expiry, condition if_absent for locks,',
    'cache_mget/cache_mset for bulk work and cache_keys or cache_scan to list (both bounded).',
  ].join(' ');

/** The memory cache: what its bin runs and its tests build. */
export const server = defineServer({
  ...readPackageInfo(import.meta.url),
  configSchema: ConfigSchema,
  toolsets: TOOLSETS,
  // Loaded at the first call: the bundled bin lists the tools from the precomputed listing.
  loadTools: () => import('./tools/index.js'),
  createDeps,
  mapError: toToolError,
  instructions,
  // A value may be CACHE_MAX_VALUE_BYTES of JSON, escaped once more inside the arguments.
  maxInputChars: (config: Config) => Math.max(1_000_000, config.CACHE_MAX_VALUE_BYTES * 2 + 100_000),
});
