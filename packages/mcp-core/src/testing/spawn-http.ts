import { spawn, type ChildProcess } from 'node:child_process';

export interface SpawnHttpOptions {
  command: string;
  /** The bin's arguments; `--transport http` is the caller's to pass (or MCP_TRANSPORT=http). */
  args?: readonly string[];
  /** The child's whole environment. @default process.env */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** How long the bin may take to listen. @default 30000 */
  timeoutMs?: number;
}

/** A server process in HTTP mode. */
export interface SpawnedHttpServer {
  child: ChildProcess;
  /** The MCP endpoint the bin printed (`… listening on <url>`). */
  url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Sends `signal` (default SIGTERM), waits up to `timeoutMs` for the exit, then kills. */
  close(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

/**
 * Spawns a bin in HTTP mode and resolves once it printed the URL it listens on; rejects with its
 * stderr when it exits or times out first (and then kills it).
 */
export async function spawnHttpServer(options: SpawnHttpOptions): Promise<SpawnedHttpServer> {
  const child = spawn(options.command, [...(options.args ?? [])], {
    env: (options.env ?? process.env) as NodeJS.ProcessEnv,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.command} did not listen in time\nstderr:\n${stderr}`));
    }, options.timeoutMs ?? 30000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${options.command} exited with ${code} before listening\nstderr:\n${stderr}`));
    });
  });
  return {
    child,
    url,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async close(signal = 'SIGTERM', timeoutMs = 10000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
