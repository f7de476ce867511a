// Adds up the vitest JSON reports of every project and prints one closing line for CI.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
let passed = 0;
let failed = 0;
let skipped = 0;
let projects = 0;
for (const group of ['packages', 'tools']) {
  for (const dir of readdirSync(join(root, group))) {
    const report = join(root, group, dir, 'test-output/vitest/results.json');
    if (!existsSync(report)) continue;
    const result = JSON.parse(readFileSync(report, 'utf8'));
    projects++;
    passed += result.numPassedTests;
    failed += result.numFailedTests;
    skipped += result.numPendingTests + (result.numTodoTests ?? 0);
  }
}
console.log(`vitest (${projects} projects): ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
