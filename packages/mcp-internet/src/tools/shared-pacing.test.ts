import { callTool, connectServer, startRedis, type RedisInstance, type ServerSession } from '@org/mcp-core/testing';
import { startFakeBrave, type FakeProvider } from '../../test/fake-providers/index.js';
import type { Deps } from '../deps.js';
import { server } from '../server.js';

// Issue 16: a provider's plan limits the API key, not the instance. Two instances on one Redis
// keep SEARCH_MIN_INTERVAL_MS together; the fake Brave answers 429 (and records a violation)
// when two requests arrive closer than its plan allows.
let redis: RedisInstance;
let brave: FakeProvider | undefined;
const sessions: ServerSession<Deps>[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  await brave?.close();
  brave = undefined;
});
afterAll(async () => {
  await redis.close();
});

const instance = async (env: Record<string, string>) => {
  const s = await connectServer(server, {
    BRAVE_API_KEY: brave!.key,
    BRAVE_API_URL: brave!.url,
    SEARCH_MIN_INTERVAL_MS: '250',
    ...env,
  });
  sessions.push(s);
  return s;
};
const batch = (s: ServerSession<Deps>, prefix: string) =>
  callTool<{ successful: number }>(s.client, 'batch_search', {
    queries: Array.from({ length: 5 }, (_, i) => `${prefix} ${i}`),
    max_results: 1,
  });

describe('provider pacing shared through Redis', () => {
  it('two instances with REDIS_URL never trip a plan of one request per 150 ms between them', async () => {
    brave = await startFakeBrave({ minGapMs: 150 });
    const [a, b] = [await instance({ REDIS_URL: redis.url }), await instance({ REDIS_URL: redis.url })];
    const [ra, rb] = await Promise.all([batch(a!, 'a'), batch(b!, 'b')]);
    expect(ra).toMatchObject({ ok: true, data: { successful: 5 } });
    expect(rb).toMatchObject({ ok: true, data: { successful: 5 } });
    expect(brave.requests).toHaveLength(10);
    expect(brave.violations).toEqual([]);
  });

  it('without Redis the same two instances each pace only themselves and trip it', async () => {
    brave = await startFakeBrave({ minGapMs: 150 });
    const [a, b] = [await instance({}), await instance({})];
    await Promise.all([batch(a!, 'a'), batch(b!, 'b')]);
    expect(brave.violations.length).toBeGreaterThan(0);
  });
});
