import { defineTool } from '@org/mcp-core';
import type { Deps } from '../deps.js';
import type { Toolset } from '../toolsets.js';

/** Defines an internet tool; its `toolset` must be one of TOOLSETS. */
export const tool = defineTool<Deps, Toolset>();
