import { fs } from './builtins.js';

const { closeSync, fsyncSync, openSync } = fs;

/** Makes a rename durable; some platforms cannot fsync a directory, where the rename is still atomic. */
export function fsyncDir(dir: string): void {
  try {
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // See above.
  }
}
