import { packageEslintConfig } from '../../tools/config/eslint.mjs';

export default packageEslintConfig(
  {},
  {
    files: ['**/package.json', '**/generators.json'],
    rules: {
      '@nx/nx-plugin-checks': 'error',
    },
    languageOptions: {
      parser: await import('jsonc-eslint-parser'),
    },
  },
);
