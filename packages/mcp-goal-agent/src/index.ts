// The public API of @org/mcp-goal-agent: the server definition (for tests, docs and the setup
// command), its types, and the file store for library users.
export { server } from './server.js';
export type { Config } from './config.js';
export { defaultDataDir } from './deps.js';
export type { Deps, StoreInfo } from './deps.js';
export { FileGoalStore } from './stores/file-store.js';
