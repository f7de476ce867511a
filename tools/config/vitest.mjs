// The vitest configuration every package shares: a package's vitest.config.mts names itself and
// says only what differs.
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * @param {string} dir the package directory (import.meta.dirname)
 * @param {string} name the package name, shown beside each test
 * @param {{ include?: string[], testTimeout?: number, hookTimeout?: number }} [options]
 */
export function packageVitestConfig(dir, name, options = {}) {
  return defineConfig(() => ({
    root: dir,
    cacheDir: join(root, 'node_modules/.vite', relative(root, dir)),
    test: {
      name,
      watch: false,
      globals: true,
      environment: 'node',
      include: options.include ?? ['src/**/*.{test,spec}.ts'],
      // One JSON report per package: tools/scripts/test-summary.mjs adds them up for CI's last line.
      reporters: ['default', 'json'],
      outputFile: { json: './test-output/vitest/results.json' },
      // Tests start real servers (Redis, HTTP fakes, spawned bins): generous, still bounded.
      testTimeout: options.testTimeout ?? 30000,
      hookTimeout: options.hookTimeout ?? 30000,
      coverage: { reportsDirectory: './test-output/vitest/coverage', provider: 'v8' },
    },
  }));
}
