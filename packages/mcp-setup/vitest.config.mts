import { packageVitestConfig } from '../../tools/config/vitest.mjs';

export default packageVitestConfig(import.meta.dirname, '@org/mcp-setup', { testTimeout: 120000 });
