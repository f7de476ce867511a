// The public API of @org/mcp-jira: the server definition (for tests, docs and the setup command),
// its types, and the Markdown ⇄ ADF conversion.
export { server } from './server.js';
export type { Config } from './config.js';
export type { Deps } from './deps.js';
export { markdownToAdf, adfToMarkdown } from './jira/adf.js';
export type { AdfDoc, AdfNode } from './jira/adf.js';
