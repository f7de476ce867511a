import type { AnyTool } from '@org/mcp-core';
import type { Deps } from '../deps.js';
import { issueTools } from './issues.js';
import { pullRequestTools } from './pull-requests.js';
import { releaseTools } from './releases.js';
import { repoTools } from './repos.js';
import { searchTools } from './search.js';

/** Every tool of the server, in one flat list; the configuration picks which are offered. */
export const tools: AnyTool<Deps>[] = [
  ...repoTools,
  ...issueTools,
  ...pullRequestTools,
  ...searchTools,
  ...releaseTools,
] as AnyTool<Deps>[];
