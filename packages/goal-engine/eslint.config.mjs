import { packageEslintConfig } from '../../tools/config/eslint.mjs';

export default packageEslintConfig(
  { ignoredFiles: ['{projectRoot}/bench/**'] },
  {
    // The engine is pure: no I/O, no clock, no randomness (time comes in as an argument).
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto'] },
      ],
      'no-restricted-globals': [
        'error',
        'process',
        'Buffer',
        'fetch',
        'setTimeout',
        'setInterval',
        'require',
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Read time from the injected clock.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Read time from the injected clock.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'The engine uses no randomness.',
        },
      ],
    },
  },
  {
    ignores: ['**/out-tsc'],
  },
);
