import { createLogger, loadConfig, CoreConfigSchema, redisEnvShape, redisSettings } from '@org/mcp-core';
import { startRedis, type RedisInstance } from '@org/mcp-core/testing';
import { connectRedis, openRedisOrLocal, redisLocation, redisOptions } from './index.js';

const Schema = CoreConfigSchema.extend(redisEnvShape);
const settingsOf = (env: Record<string, string>) => redisSettings(loadConfig(Schema, env))!;

describe('redisOptions', () => {
  it('reads REDIS_URL with credentials, database and TLS, and prints no password', () => {
    const settings = settingsOf({ REDIS_URL: 'rediss://app:p%40ss@cache.example.com:6380/3' });
    expect(redisOptions(settings)).toMatchObject({
      host: 'cache.example.com',
      port: 6380,
      db: 3,
      username: 'app',
      password: 'p@ss',
      tls: { servername: 'cache.example.com' },
    });
    expect(redisLocation(settings)).toBe('cache.example.com:6380/3 TLS');
  });

  it("reads the original's REDIS_HOST/PORT/DB/PASSWORD", () => {
    const settings = settingsOf({
      REDIS_HOST: 'localhost',
      REDIS_PORT: '6390',
      REDIS_DB: '2',
      REDIS_PASSWORD: 'pw',
    });
    expect(redisOptions(settings)).toMatchObject({ host: 'localhost', port: 6390, db: 2, password: 'pw' });
    expect(redisLocation(settings)).toBe('localhost:6390/2');
    expect(redisSettings(loadConfig(Schema, {}))).toBeUndefined();
  });

  it('refuses a URL of another scheme', () => {
    expect(() => loadConfig(Schema, { REDIS_URL: 'http://x' })).toThrow(
      /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ \(TLS\) URL/,
    );
  });

  it('says what is wrong with a port or database that is not a number', () => {
    expect(() => loadConfig(Schema, { REDIS_HOST: 'h', REDIS_PORT: 'notaport', REDIS_DB: 'x' })).toThrow(
      /REDIS_PORT: must be a port number from 1 to 65535\n.*REDIS_DB: must be a database number from 0 to 15/,
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
    const conn = await connectRedis(settingsOf({ REDIS_URL: redis.url }), logger);
    try {
      // Sent before the connection is ready: queued, not refused.
      expect(await conn.client.set('k', 'v')).toBe('OK');
      expect(await conn.health()).toEqual({
        ok: true,
        detail: `redis at 127.0.0.1:${redis.port}/0 answers`,
      });
      await redis.stop();
      const started = Date.now();
      const error = await conn.client.get('k').catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(conn.isUnavailable(error)).toBe(true);
      await redis.start();
      let back = false;
      for (let i = 0; i < 50 && !back; i++) {
        back = (await conn.health()).ok;
        if (!back) await new Promise((r) => setTimeout(r, 100));
      }
      expect(back).toBe(true);
      // With Redis up, a command error is the server's to map, not "unavailable".
      expect(conn.isUnavailable(new Error('WRONGTYPE Operation against a key'))).toBe(false);
    } finally {
      await conn.close();
    }
  });
});

describe('openRedisOrLocal', () => {
  class Store {
    constructor(readonly where: string) {}
    async read(): Promise<string> {
      return this.where;
    }
  }

  it('opens the local store at once when no Redis is configured', async () => {
    const { logger } = await createLogger({ name: 't', level: 'silent' });
    const opened = openRedisOrLocal({
      redis: undefined,
      logger,
      methods: ['read'],
      openRedis: () => new Store('redis'),
      openLocal: () => ({ store: new Store('local'), location: '/data' }),
    });
    expect(opened).toMatchObject({ kind: 'local', location: '/data' });
    expect(await opened.store.read()).toBe('local');
    expect(opened.redis()).toBeUndefined();
  });

  it('opens Redis in the background; calls made meanwhile wait for it', async () => {
    const redis = await startRedis();
    const { logger } = await createLogger({ name: 't', level: 'silent' });
    const opened = openRedisOrLocal({
      redis: settingsOf({ REDIS_URL: redis.url }),
      logger,
      methods: ['read'],
      openRedis: async (connection) => new Store(await connection.client.ping()),
      openLocal: () => ({ store: new Store('local'), location: '/data' }),
    });
    try {
      expect(opened).toMatchObject({ kind: 'redis', location: `127.0.0.1:${redis.port}/0` });
      expect(opened.redis()).toBeUndefined();
      expect(await opened.store.read()).toBe('PONG');
      expect(opened.redis()?.location).toBe(`127.0.0.1:${redis.port}/0`);
    } finally {
      await opened.closeConnection();
      await redis.close();
    }
  });
});
