import { defineServer, readPackageInfo } from '@org/mcp-core';
import { ConfigSchema } from './config.js';
import { createDeps } from './deps.js';
import { toToolError } from './github.js';
import { TOOLSETS } from './toolsets.js';

/** The GitHub server: what its bin runs and its tests build. */
export const server = defineServer({
  ...readPackageInfo(import.meta.url),
  configSchema: ConfigSchema,
  toolsets: TOOLSETS,
  // Loaded at the first call: the bundled bin lists the tools from the precomputed listing.
  loadTools: () => import('./tools/index.js'),
  createDeps,
  mapError: toToolError,
  instructions:
    'GitHub for Claude: repositories, files, branches, atomic multi-file commits, issues and pull requests, with a repository allowlist and read-only mode.',
  // A multi-file commit may carry up to ~45 MB of base64 content.
  maxInputChars: 60_000_000,
});
