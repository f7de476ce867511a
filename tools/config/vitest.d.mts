import type { UserConfigFnObject } from 'vitest/config';

/** The vitest configuration every package shares (tools/config/vitest.mjs). */
export declare function packageVitestConfig(
  dir: string,
  name: string,
  options?: { include?: string[]; testTimeout?: number; hookTimeout?: number },
): UserConfigFnObject;
