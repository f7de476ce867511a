import type { AnyTool } from '@org/mcp-core';
import type { Deps } from '../deps.js';
import { goalTools } from './goals.js';
import { planningTools } from './planning.js';
import { stateTools } from './state.js';
import { taskTools } from './tasks.js';

/** Every tool of the server, in one flat list; the configuration picks which are offered. */
export const tools: AnyTool<Deps>[] = [
  ...goalTools,
  ...taskTools,
  ...planningTools,
  ...stateTools,
] as AnyTool<Deps>[];
