import { createRequire } from 'node:module';

// Node's own modules, required instead of imported: an ESM `import` of a built-in builds its
// namespace by reading every export, which runs the lazy ones (node:fs then loads its streams),
// and node:crypto, node:zlib and node:os cost 1–3 ms each to load. A server that opens its
// journal after its first tools/list should not pay for them before it.
const nodeRequire = createRequire(import.meta.url);

/** node:fs (loaded by Node itself at boot; only the import's namespace would cost). */
export const fs = nodeRequire('node:fs') as typeof import('node:fs');
const loaded = new Map<string, unknown>();
/** A built-in required at its first use and kept. */
const lazy =
  <T>(name: string) =>
  (): T => {
    if (!loaded.has(name)) loaded.set(name, nodeRequire(name));
    return loaded.get(name) as T;
  };
export const crypto = lazy<typeof import('node:crypto')>('node:crypto');
export const zlib = lazy<typeof import('node:zlib')>('node:zlib');
export const os = lazy<typeof import('node:os')>('node:os');
