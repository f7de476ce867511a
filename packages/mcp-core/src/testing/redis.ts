import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFreePort } from './net.js';

export interface RedisOptions {
  /** Keep an append-only file fsynced on every write, so data survives kill and restart. @default false */
  persist?: boolean;
  /** Require this password (`requirepass`). */
  password?: string;
  /** @default 'redis-server' (or REDIS_SERVER_BIN) */
  binary?: string;
}

/** A private redis-server on a free port of 127.0.0.1, for tests. */
export interface RedisInstance {
  port: number;
  /** `redis://127.0.0.1:<port>` (with the password, when one is set). */
  url: string;
  /** Shuts the server down gracefully (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  close(): Promise<void>;
}

/** The process id of the Redis answering on `port` once it has loaded its data, or undefined when none answers (yet). */
async function serverPid(port: number, password?: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    const done = (pid: number | undefined) => {
      socket.destroy();
      resolve(pid);
    };
    socket.setTimeout(500, () => done(undefined));
    socket.on('error', () => done(undefined));
    socket.on('connect', () =>
      socket.write(`${password ? `AUTH ${password}\r\n` : ''}INFO server\r\nINFO persistence\r\n`),
    );
    socket.on('data', (data) => {
      reply += data.toString();
      const pid = /process_id:(\d+)/.exec(reply);
      // While it loads an append-only file Redis answers INFO but refuses commands (-LOADING).
      const loading = /loading:(\d)/.exec(reply);
      if (pid && loading) done(loading[1] === '0' ? Number(pid[1]) : undefined);
      else if (/^-|\r\n-/.test(reply)) done(undefined);
    });
  });
}

/** Starts a private redis-server (no RDB snapshots; AOF only when `persist`) and waits until it answers. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisInstance> {
  const binary = options.binary ?? process.env['REDIS_SERVER_BIN'] ?? 'redis-server';
  const port = await getFreePort();
  const dir = mkdtempSync(join(tmpdir(), 'mcp-redis-'));
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const start = async () => {
    // A second start (a test's cleanup after its own restart) would spawn a server that cannot
    // bind, answer the ping through the running one and leave that one untracked.
    if (running()) return;
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--logfile',
      join(dir, 'redis.log'),
    ];
    args.push('--appendonly', options.persist ? 'yes' : 'no');
    if (options.persist) args.push('--appendfsync', 'always');
    if (options.password) args.push('--requirepass', options.password);
    const proc = spawn(binary, args, { stdio: 'ignore' });
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    let failed: Error | undefined;
    proc.once('error', (error) => (failed = error));
    for (let i = 0; i < 200; i++) {
      if (failed) throw new Error(`could not start ${binary}: ${failed.message}`);
      if (proc.exitCode !== null || proc.signalCode !== null)
        throw new Error(`${binary} on port ${port} exited at start (is the port taken?)`);
      // Only our own process counts, not whoever else may answer on the port.
      if ((await serverPid(port, options.password)) === proc.pid) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    proc.kill('SIGKILL');
    await exited;
    throw new Error(`${binary} did not answer on port ${port} within 5 s`);
  };
  const signal = async (sig: NodeJS.Signals) => {
    if (running()) {
      child!.kill(sig);
      await exited;
    }
    child = undefined;
  };

  await start();
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    start,
    async close() {
      await signal('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
