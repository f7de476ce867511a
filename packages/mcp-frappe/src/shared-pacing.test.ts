import { callTool, startRedis, type RedisInstance } from '@org/mcp-core/testing';
import { startFakeFrappe, type FakeFrappe } from '../test/fake-frappe/index.js';
import { connectFrappe, type FrappeSession } from '../test/session.js';

// Issue 16: with FRAPPE_RATE_LIMIT_DELAY and one Redis, two instances on one API key keep one
// spacing between them; without Redis each spaces only its own requests.
let fake: FakeFrappe;
let redis: RedisInstance;
const sessions: FrappeSession[] = [];
beforeAll(async () => {
  redis = await startRedis();
  fake = await startFakeFrappe();
});
afterAll(async () => {
  for (const s of sessions) await s.close();
  await fake.close();
  await redis.close();
});
const DELAY_MS = 150;
const instance = async (env: Record<string, string>) => {
  const s = await connectFrappe(fake, { FRAPPE_RATE_LIMIT_DELAY: String(DELAY_MS / 1000), ...env });
  sessions.push(s);
  return s;
};
const counts = (s: FrappeSession, n = 3) =>
  Array.from({ length: n }, () => callTool(s.client, 'frappe_get_count', { doctype: 'Customer' }));

describe('FRAPPE_RATE_LIMIT_DELAY shared through Redis', () => {
  it('two instances with REDIS_URL start their requests at one combined rate', async () => {
    const [a, b] = [await instance({ REDIS_URL: redis.url }), await instance({ REDIS_URL: redis.url })];
    await Promise.all([...counts(a!, 1), ...counts(b!, 1)]); // warm up, one call each (meta cached)
    const before = fake.apiRequests().length;
    const results = await Promise.all([...counts(a!), ...counts(b!)]);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const at = fake
      .apiRequests()
      .slice(before)
      .map((r) => r.at)
      .sort((x, y) => x - y);
    expect(at.length).toBeGreaterThanOrEqual(6);
    const rate = ((at.length - 1) / (at.at(-1)! - at[0]!)) * 1000;
    expect(rate).toBeLessThanOrEqual((1000 / DELAY_MS) * 1.1);
    expect((await a!.deps.check!())[0]).toMatchObject({ name: 'rate limit', ok: true });
    expect(a!.log.join('\n')).not.toContain(fake.users.admin.secret);
  });

  it('without Redis each instance spaces only its own requests, and no Redis is named', async () => {
    const [a, b] = [await instance({}), await instance({})];
    await Promise.all([...counts(a!, 1), ...counts(b!, 1)]); // warm up, one call each
    const before = fake.apiRequests().length;
    const started = Date.now();
    await Promise.all([...counts(a!), ...counts(b!)]);
    const sent = fake.apiRequests().length - before;
    // Together the instances send faster than one spacing allows.
    expect(Date.now() - started).toBeLessThan((sent - 1) * DELAY_MS);
    expect((await a!.deps.check!()).map((c) => c.name)).not.toContain('rate limit');
  });
});
