export { ConfigSchema, packageInfo } from './config.js';
export type { Config } from './config.js';
export { createDeps, defaultDataDir } from './deps.js';
export type { Deps } from './deps.js';
export { createServer } from './server.js';
export { tools } from './tools/index.js';
export { FileCacheBackend } from './backends/file-backend.js';
export { RedisCacheBackend } from './backends/redis-backend.js';
export type { CacheBackend, SetCondition } from './backends/backend.js';
