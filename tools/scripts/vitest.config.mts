import { packageVitestConfig } from '../config/vitest.mjs';

// The demo's test spawns three bundled servers and two fakes: more time than a unit test.
export default packageVitestConfig(import.meta.dirname, 'tools/scripts', {
  include: ['demo/**/*.test.mjs', 'start-path.test.mjs'],
  testTimeout: 120000,
});
