// The public API of @org/mcp-memory-cache: the server definition (for tests, docs and the setup
// command), its types, and the backends for library users.
export { server } from './server.js';
export type { Config } from './config.js';
export { defaultDataDir } from './deps.js';
export type { Deps } from './deps.js';
export { FileCacheBackend } from './backends/file-backend.js';
export { RedisCacheBackend } from './backends/redis-backend.js';
export type { CacheBackend, SetCondition } from './backends/backend.js';
