import { execFile } from 'node:child_process';

/** How a run of a server's bin ended. */
export interface BinRun {
  /** The exit code (1 when the process could not run or was killed). */
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a built server bin with `args` (e.g. `--help`, `--check`) and only PATH plus `env` in its
 * environment, and collects its output. Asynchronous on purpose: a synchronous spawn would block
 * a fake vendor API living in the test's own process. Killed after `timeoutMs`.
 */
export function runBin(
  bin: string,
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 20_000,
): Promise<BinRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8', timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ status: error ? (typeof code === 'number' ? code : 1) : 0, stdout, stderr });
      },
    );
  });
}
