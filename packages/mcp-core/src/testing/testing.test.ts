import { connect } from 'node:net';
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
