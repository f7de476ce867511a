// How the workspace scripts run pnpm: the one on PATH when it is the pinned major, else the pinned
// version through npx, so a fresh machine with only Node.js and git needs no global install.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const pinned = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).packageManager.replace(
  /^pnpm@/,
  '',
);

/** The command and leading arguments that run the pinned pnpm. */
export function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim().split('.')[0] === pinned.split('.')[0]) return ['pnpm'];
  return ['npx', '-y', `pnpm@${pinned}`];
}

/** Runs pnpm with the given arguments, inheriting stdio; throws when it fails. */
export function runPnpm(args, options = {}) {
  const [command, ...lead] = pnpmCommand();
  const result = spawnSync(command, [...lead, ...args], { stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`pnpm ${args.join(' ')} failed with exit code ${result.status}`);
}
