import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import * as path from 'path';

/**
 * The command and leading arguments that run the workspace's pinned pnpm, as
 * tools/scripts/pnpm.mjs picks it: the one on PATH when it is the pinned major, else npx.
 */
export function pnpmCommand(root: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    packageManager?: string;
  };
  const pinned = (pkg.packageManager ?? 'pnpm@10').replace(/^pnpm@/, '');
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim().split('.')[0] === pinned.split('.')[0]) return ['pnpm'];
  return ['npx', '-y', `pnpm@${pinned}`];
}
