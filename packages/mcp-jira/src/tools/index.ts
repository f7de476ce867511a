import type { AnyTool } from '@org/mcp-core';
import type { Deps } from '../deps.js';
import { serverInfo } from './server-info.js';

/** Every tool of the server, in one flat list; the configuration picks which are offered. */
export const tools: AnyTool<Deps>[] = [serverInfo];
