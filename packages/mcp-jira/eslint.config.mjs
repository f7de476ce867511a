import { packageEslintConfig } from '../../tools/config/eslint.mjs';

// The bin bundles every import: all of them are devDependencies (see CONTRIBUTING.md).
export default packageEslintConfig({ bundled: true });
