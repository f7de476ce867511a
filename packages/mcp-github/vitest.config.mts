import { defineConfig } from 'vitest/config';

export default defineConfig(() => ({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/packages/mcp-github',
  test: {
    name: '@org/mcp-github',
    watch: false,
    globals: true,
    environment: 'node',
    include: ['src/**/*.test.ts'],
    testTimeout: 30000,
    reporters: ['default', 'json'],
    outputFile: { json: './test-output/vitest/results.json' },
  },
}));
