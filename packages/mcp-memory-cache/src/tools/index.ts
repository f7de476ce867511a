import type { AnyTool } from '@org/mcp-core';
import type { Deps } from '../deps.js';
import { cacheFlush, cacheInfo, cachePing } from './admin.js';
import { cacheMget, cacheMset } from './bulk.js';
import {
  cacheDecr,
  cacheDelete,
  cacheExists,
  cacheExpire,
  cacheGet,
  cacheIncr,
  cacheSet,
  cacheTtl,
} from './keys.js';
import { cacheKeys, cacheScan } from './listing.js';

/** Every tool of the server, in one flat list; the configuration picks which are offered. */
export const tools: AnyTool<Deps>[] = [
  cacheSet,
  cacheGet,
  cacheDelete,
  cacheExists,
  cacheExpire,
  cacheTtl,
  cacheKeys,
  cacheScan,
  cacheMget,
  cacheMset,
  cacheIncr,
  cacheDecr,
  cacheFlush,
  cacheInfo,
  cachePing,
] as AnyTool<Deps>[];
