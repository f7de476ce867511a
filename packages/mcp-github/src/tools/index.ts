import type { AnyTool } from '@org/mcp-core';
import type { Deps } from '../deps.js';
import { issueTools } from './issues.js';
import { moreTools } from './more.js';
import { repoTools } from './repos.js';

/** Every tool of the server, in one flat list; the configuration picks which are offered. */
export const tools: AnyTool<Deps>[] = [...repoTools, ...issueTools, ...moreTools] as AnyTool<Deps>[];
