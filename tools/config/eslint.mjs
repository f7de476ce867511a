// The lint configuration every package shares: the root rules, dependency checks of package.json
// and the ignores. A package's eslint.config.mjs re-exports it, or calls packageEslintConfig with
// what it adds.
import baseConfig from '../../eslint.config.mjs';

const jsonParser = await import('jsonc-eslint-parser');

/**
 * @param {{ ignoredFiles?: string[], bundled?: boolean }} [options] more files whose imports are not
 *   dependencies; `bundled`: a server whose published bin bundles everything it imports, so it
 *   declares them all as devDependencies (pack-check asserts it installs alone and runs)
 * @param {...object} extra the package's own config objects, after the shared ones
 */
export function packageEslintConfig({ ignoredFiles = [], bundled = false } = {}, ...extra) {
  return [
    ...baseConfig,
    {
      files: ['**/*.json'],
      rules: {
        '@nx/dependency-checks': bundled
          ? 'off'
          : [
              'error',
              {
                ignoredFiles: [
                  '{projectRoot}/eslint.config.{js,cjs,mjs,ts,cts,mts}',
                  '{projectRoot}/vitest.config.{js,ts,mjs,mts}',
                  ...ignoredFiles,
                ],
              },
            ],
      },
      languageOptions: { parser: jsonParser },
    },
    { ignores: ['**/out-tsc'] },
    ...extra,
  ];
}

export default packageEslintConfig();
