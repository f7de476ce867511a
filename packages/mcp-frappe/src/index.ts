// The public API of @org/mcp-frappe: the server definition (for tests, docs and the setup
// command), its types, and the error-body reader.
export { server } from './server.js';
export type { Config } from './config.js';
export type { Deps } from './deps.js';
export { DEFAULT_DENIED_DOCTYPES } from './frappe/guard.js';
export { parseFrappeError } from './frappe/errors.js';
