export { ConfigSchema, packageInfo } from './config.js';
export type { Config } from './config.js';
export { createDeps, defaultDataDir } from './deps.js';
export type { Deps, StoreInfo } from './deps.js';
export { FileGoalStore } from './stores/file-store.js';
export { createServer } from './server.js';
export { tools } from './tools/index.js';
