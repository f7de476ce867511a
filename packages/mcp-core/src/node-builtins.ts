import { createRequire } from 'node:module';

// Node's own modules for the start path, required instead of imported: an ESM `import` of a
// built-in builds its namespace by reading every export, which runs the lazy ones (node:fs then
// loads its streams, ~2 ms), and node:crypto costs ~3 ms to load at all. Both would land before
// the first tools/list answer.
const nodeRequire = createRequire(import.meta.url);

let fs: typeof import('node:fs') | undefined;
let crypto: typeof import('node:crypto') | undefined;
export const nodeFs = (): typeof import('node:fs') =>
  (fs ??= nodeRequire('node:fs') as typeof import('node:fs'));
export const nodeCrypto = (): typeof import('node:crypto') =>
  (crypto ??= nodeRequire('node:crypto') as typeof import('node:crypto'));
