import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sendJson, startFakeHttpServer } from './http.js';
import { startRedis } from './redis.js';

async function redisCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    socket.on('error', reject);
    socket.on('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (data) => {
      reply += data.toString();
      if (reply.endsWith('\r\n')) {
        socket.destroy();
        resolve(reply.trim());
      }
    });
  });
}

describe('startRedis', () => {
  it('starts a private server, and with persist keeps acknowledged writes across a kill and restart', async () => {
    const redis = await startRedis({ persist: true });
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      expect(redis.port).not.toBe(6379);
      expect(await redisCommand(redis.port, 'SET k v')).toBe('+OK');
      await redis.kill();
      await expect(redisCommand(redis.port, 'PING')).rejects.toThrow(/ECONNREFUSED/);
      await redis.start();
      expect(await redisCommand(redis.port, 'GET k')).toBe('$1\r\nv');
    } finally {
      await redis.close();
    }
  });

  it('start() on a running server changes nothing, and close() leaves neither the process nor its folder', async () => {
    const redis = await startRedis();
    let dir = '';
    try {
      dir = (await redisCommand(redis.port, 'CONFIG GET dir')).split('\r\n').at(-1)!;
      expect(existsSync(dir)).toBe(true);
      await redis.start(); // as a test's cleanup does after a restart that already happened
      await redis.start();
      expect(await redisCommand(redis.port, 'PING')).toBe('+PONG');
    } finally {
      await redis.close();
    }
    await expect(redisCommand(redis.port, 'PING')).rejects.toThrow(/ECONNREFUSED/);
    expect(existsSync(dir)).toBe(false);
  });

  it('start() fails when another server holds the port, instead of taking it for its own', async () => {
    const redis = await startRedis();
    const dir = mkdtempSync(join(tmpdir(), 'core-redis-other-'));
    await redis.stop();
    const other = spawn(
      'redis-server',
      ['--port', String(redis.port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
      {
        stdio: 'ignore',
      },
    );
    const otherExited = new Promise((resolve) => other.once('exit', resolve));
    try {
      for (let i = 0; i < 100 && !(await redisCommand(redis.port, 'PING').catch(() => '')); i++)
        await new Promise((r) => setTimeout(r, 25));
      await expect(redis.start()).rejects.toThrow(/exited/);
    } finally {
      other.kill('SIGTERM');
      await otherExited;
      await redis.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('requires the password when one is set', async () => {
    const redis = await startRedis({ password: 's3cret-pass' });
    try {
      expect(redis.url).toBe(`redis://:s3cret-pass@127.0.0.1:${redis.port}`);
      expect(await redisCommand(redis.port, 'GET k')).toMatch(/^-NOAUTH/);
    } finally {
      await redis.close();
    }
  });
});

describe('startFakeHttpServer', () => {
  it('records each request and answers with the handler', async () => {
    const api = await startFakeHttpServer((req, res) => {
      if (req.url.pathname === '/boom') throw new Error('broken fake');
      sendJson(res, 201, { got: JSON.parse(req.body) }, { 'x-ratelimit-remaining': '4' });
    });
    try {
      const response = await fetch(`${api.url}/items?x=1`, {
        method: 'POST',
        body: '{"a":1}',
        headers: { authorization: 'token abc' },
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('x-ratelimit-remaining')).toBe('4');
      expect(await response.json()).toEqual({ got: { a: 1 } });
      expect(api.requests).toEqual([
        expect.objectContaining({ method: 'POST', path: '/items?x=1', body: '{"a":1}' }),
      ]);
      expect(api.requests[0]?.headers.authorization).toBe('token abc');
      expect((await fetch(`${api.url}/boom`)).status).toBe(500);
    } finally {
      await api.close();
    }
  });
});
