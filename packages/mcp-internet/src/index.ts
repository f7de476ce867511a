// The public API of @org/mcp-internet: the server definition (for tests, docs and the setup
// command) and its types.
export { server } from './server.js';
export type { Config } from './config.js';
export type { Deps } from './deps.js';
