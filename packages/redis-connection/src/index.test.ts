import { createLogger, loadConfig, CoreConfigSchema } from '@org/mcp-core';
import { startRedis, type RedisInstance } from '@org/mcp-core/testing';
import { connectRedis, redisConfigured, redisEnvShape, redisOptions } from './index.js';

const Schema = CoreConfigSchema.extend(redisEnvShape);

describe('redisOptions', () => {
  it('reads REDIS_URL with credentials, database and TLS, and prints no password', () => {
    const env = loadConfig(Schema, { REDIS_URL: 'rediss://app:p%40ss@cache.example.com:6380/3' });
    const { options, location } = redisOptions(env);
    expect(options).toMatchObject({
      host: 'cache.example.com',
      port: 6380,
      db: 3,
      username: 'app',
      password: 'p@ss',
      tls: { servername: 'cache.example.com' },
    });
    expect(location).toBe('rediss://cache.example.com:6380/3');
    expect(redisConfigured(env)).toBe(true);
  });

  it("reads the original's REDIS_HOST/PORT/DB/PASSWORD", () => {
    const env = loadConfig(Schema, {
      REDIS_HOST: 'localhost',
      REDIS_PORT: '6390',
      REDIS_DB: '2',
      REDIS_PASSWORD: 'pw',
    });
    expect(redisOptions(env)).toMatchObject({
      options: { host: 'localhost', port: 6390, db: 2, password: 'pw' },
      location: 'redis://localhost:6390/2',
    });
    expect(redisConfigured(loadConfig(Schema, {}))).toBe(false);
  });

  it('refuses a URL of another scheme', () => {
    expect(() => loadConfig(Schema, { REDIS_URL: 'http://x' })).toThrow(
      /REDIS_URL: must start with redis:\/\//,
    );
  });
});

describe('connectRedis', () => {
  let redis: RedisInstance;
  beforeAll(async () => {
    redis = await startRedis({ password: 'conn-test-pw' });
  });
  afterAll(async () => {
    await redis?.close();
  });

  it('queues until connected, fails fast while down, reconnects by itself', async () => {
    const { logger } = await createLogger({ name: 't', level: 'silent' });
    const conn = await connectRedis(loadConfig(Schema, { REDIS_URL: redis.url }), logger);
    try {
      // Sent before the connection is ready: queued, not refused.
      expect(await conn.client.set('k', 'v')).toBe('OK');
      expect(await conn.health()).toEqual({
        ok: true,
        detail: `redis at redis://127.0.0.1:${redis.port}/0 answers`,
      });
      await redis.stop();
      const started = Date.now();
      const error = await conn.client.get('k').catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(conn.toToolError(error)).toMatchObject({ type: 'unavailable', retryable: true });
      expect(conn.toToolError(error)?.message).not.toContain('conn-test-pw');
      await redis.start();
      let back = false;
      for (let i = 0; i < 50 && !back; i++) {
        back = (await conn.health()).ok;
        if (!back) await new Promise((r) => setTimeout(r, 100));
      }
      expect(back).toBe(true);
      // With Redis up, a command error is the server's to map, not "unavailable".
      expect(conn.toToolError(new Error('WRONGTYPE Operation against a key'))).toBeUndefined();
    } finally {
      await conn.close();
    }
  });
});
