import { createRequire } from 'node:module';

// Node's own modules, required instead of imported: an ESM `import` of a built-in builds its
// namespace by reading every export, which runs the lazy ones (node:fs then loads its streams),
// and node:crypto, node:zlib and node:os cost 1–3 ms each to load. A server that opens its
// journal after its first tools/list should not pay for them before it.
const nodeRequire = createRequire(import.meta.url);

/** node:fs (loaded by Node itself at boot; only the import's namespace would cost). */
export const fs = nodeRequire('node:fs') as typeof import('node:fs');
export const crypto = (): typeof import('node:crypto') =>
  nodeRequire('node:crypto') as typeof import('node:crypto');
export const zlib = (): typeof import('node:zlib') => nodeRequire('node:zlib') as typeof import('node:zlib');
export const os = (): typeof import('node:os') => nodeRequire('node:os') as typeof import('node:os');
