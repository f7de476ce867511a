import { existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import spawn from 'cross-spawn';
import type { Scope } from './clients.js';
import type { Entry } from './entries.js';

/** The full path of `command` on PATH (with PATHEXT on Windows), or undefined. */
export function findOnPath(
  command: string,
  env: Record<string, string | undefined>,
  platform = process.platform,
) {
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, command + ext);
      try {
        if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
      } catch {
        // unreadable PATH entry: not this one
      }
    }
  }
  return undefined;
}

/** `claude mcp add <name> --scope <scope> -e K=V … -- <command> <args…>` (the name first: -e takes many values). */
export function addArgs(
  name: string,
  entry: Entry,
  scope: Scope,
  mask?: (env: Record<string, string>) => Record<string, string>,
): string[] {
  const env = mask ? mask(entry.env ?? {}) : (entry.env ?? {});
  return [
    'mcp',
    'add',
    name,
    '--scope',
    scope,
    ...Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]),
    '--',
    entry.command,
    ...entry.args,
  ];
}

export function removeArgs(name: string, scope: Scope): string[] {
  return ['mcp', 'remove', name, '--scope', scope];
}

/** Runs the claude CLI; rejects with its output when it fails. */
export function runClaude(claude: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(claude, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`claude ${args.slice(0, 3).join(' ')} failed (${code}): ${output.trim()}`)),
    );
  });
}
