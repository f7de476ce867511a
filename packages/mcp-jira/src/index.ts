export { ConfigSchema, packageInfo } from './config.js';
export type { Config } from './config.js';
export { createDeps } from './deps.js';
export type { Deps } from './deps.js';
export { createServer } from './server.js';
export { tools } from './tools/index.js';
