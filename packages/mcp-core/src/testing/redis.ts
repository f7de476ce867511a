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

async function ping(port: number, password?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write(`${password ? `AUTH ${password}\r\n` : ''}PING\r\n`));
    socket.on('data', (data) => {
      reply += data.toString();
      if (reply.includes('+PONG')) done(true);
      else if (reply.includes('-')) done(false);
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

  const start = async () => {
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
      if (await ping(port, options.password)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    proc.kill('SIGKILL');
    throw new Error(`${binary} did not answer on port ${port} within 5 s`);
  };
  const signal = async (sig: NodeJS.Signals) => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill(sig);
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
