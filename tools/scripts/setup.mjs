// Prepares a fresh clone: dependencies from the frozen lockfile with the pinned pnpm, and, with
// --for-tests, a redis-server binary (the Redis tests start private instances and never skip).
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { runPnpm } from './pnpm.mjs';

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  console.error(`Node.js ${process.version} is too old: this workspace needs Node.js 20 or newer.`);
  process.exit(1);
}

// Warnings and errors only: the list of what was installed is not for the reader.
console.error('Installing dependencies (pnpm install --frozen-lockfile)…');
runPnpm(['install', '--frozen-lockfile', '--reporter=append-only', '--loglevel=warn'], {
  cwd: new URL('../../', import.meta.url),
});

if (process.argv.includes('--for-tests')) {
  // Old reports would be counted by test-summary.mjs.
  for (const group of ['packages', 'tools']) {
    const base = new URL(`../../${group}/`, import.meta.url);
    for (const dir of readdirSync(base))
      rmSync(new URL(`${dir}/test-output/vitest/results.json`, base), { force: true });
  }
  const has = (cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
  if (!has('redis-server')) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (isRoot && has('apt-get')) {
      console.error('redis-server is missing: installing it with apt-get');
      for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'redis-server']]) {
        const result = spawnSync('apt-get', args, {
          stdio: 'inherit',
          env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        });
        if (result.status !== 0) process.exit(result.status ?? 1);
      }
    } else {
      console.error(
        'redis-server is missing: install Redis (e.g. `apt-get install redis-server` or `brew install redis`) and run again.',
      );
      process.exit(1);
    }
  }
}
