import { packageEslintConfig } from '../../tools/config/eslint.mjs';

// The bin is one esbuild bundle (dist/bundle/bin.js) that runs with no node_modules, so what it
// imports is bundled at build time: devDependencies, by design.
export default packageEslintConfig(
  { ignoredFiles: ['{projectRoot}/scripts/**'] },
  {
    files: ['**/package.json'],
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          ignoredFiles: [
            '{projectRoot}/eslint.config.{js,cjs,mjs,ts,cts,mts}',
            '{projectRoot}/vitest.config.{js,ts,mjs,mts}',
            '{projectRoot}/scripts/**',
          ],
          ignoredDependencies: ['@modelcontextprotocol/sdk', 'cross-spawn', 'jsonc-parser', 'tslib'],
        },
      ],
    },
  },
);
