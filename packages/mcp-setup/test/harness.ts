// Runs the built mcp-setup bin as a user would, against a temporary home folder.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '@org/mcp-core/testing';

export const packageDir = fileURLToPath(new URL('..', import.meta.url));
export const cloneRoot = join(packageDir, '..', '..');
export const bin = join(packageDir, 'dist', 'bundle', 'bin.js');

/** A fresh home folder with its own XDG and APPDATA folders. */
export function makeHome(): string {
  return makeTempDir('mcp-setup-home-');
}

/** PATH with node and the basic tools only (a `claude` on the real PATH must not leak in), plus `extra` first. */
export function basePath(...extra: string[]): string {
  return [...extra, dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter);
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runSetup(
  args: string[],
  options: { home: string; path?: string; input?: string; cwd?: string; env?: Record<string, string> },
): Promise<RunResult> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? options.home,
    env: {
      PATH: options.path ?? basePath(),
      HOME: options.home,
      XDG_CONFIG_HOME: join(options.home, '.config'),
      XDG_DATA_HOME: join(options.home, '.local', 'share'),
      APPDATA: join(options.home, 'AppData', 'Roaming'),
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.input ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** A fake `claude` CLI in its own folder that appends its argv (one JSON line) to `log`. */
export function fakeClaude(dir: string, log: string): string {
  const folder = join(dir, 'fake-bin');
  mkdirSync(folder, { recursive: true });
  const script = join(folder, 'claude');
  writeFileSync(
    script,
    `#!/usr/bin/env node\nrequire('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');\n`,
  );
  chmodSync(script, 0o755);
  return folder;
}

/** The backups mcp-setup made beside `file`. */
export function backupsOf(file: string): string[] {
  const dir = dirname(file);
  const name = file.slice(dir.length + 1);
  try {
    return readdirSync(dir).filter((f) => f.startsWith(`${name}.`) && f.endsWith('.bak'));
  } catch {
    return [];
  }
}

/**
 * A fake `npx` that records its argv in `log` and runs `npx -y @org/mcp-x …` from this clone's
 * build instead of a registry (there is none in the tests).
 */
export function fakeNpx(dir: string, log: string): string {
  const folder = join(dir, 'fake-npx');
  mkdirSync(folder, { recursive: true });
  const script = join(folder, 'npx');
  writeFileSync(
    script,
    `#!/usr/bin/env node
const { appendFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const args = process.argv.slice(2);
appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + '\\n');
const name = args[1].replace(/^@org\\//, '');
const bin = ${JSON.stringify(join(cloneRoot, 'packages'))} + '/' + name + '/dist/bundle/bin.js';
process.exit(spawnSync(process.execPath, [bin, ...args.slice(2)], { stdio: 'inherit' }).status ?? 1);
`,
  );
  chmodSync(script, 0o755);
  return folder;
}
