import { callTool, startRedis, type RedisInstance } from '@org/mcp-core/testing';
import { startFakeJira, type FakeJira } from '../test/fake-jira/index.js';
import { connectJira, type JiraSession } from '../test/session.js';

// Issue 16: Jira limits the account, not the instance. Two instances on one Redis keep one
// JIRA_RATE_LIMIT_DELAY between them.
let fake: FakeJira;
let redis: RedisInstance;
const sessions: JiraSession[] = [];
beforeAll(async () => {
  redis = await startRedis();
  fake = await startFakeJira();
});
afterAll(async () => {
  for (const s of sessions) await s.close();
  await fake.close();
  await redis.close();
});
const instance = async (env: Record<string, string>) => {
  const s = await connectJira(fake, { JIRA_RATE_LIMIT_DELAY: '0.15', ...env }, 'debug');
  sessions.push(s);
  return s;
};
const gets = (s: JiraSession, n = 4) =>
  Array.from({ length: n }, () => callTool(s.client, 'jira_get_current_user', {}));
const issueReads = () => fake.requests.filter((r) => r.method === 'GET' && r.path.includes('/myself'));

describe('JIRA_RATE_LIMIT_DELAY shared through Redis', () => {
  it('two instances with REDIS_URL start their requests at one combined rate; the token stays out of the log', async () => {
    const [a, b] = [await instance({ REDIS_URL: redis.url }), await instance({ REDIS_URL: redis.url })];
    await Promise.all([...gets(a!, 1), ...gets(b!, 1)]); // warm up: one call each
    const before = issueReads().length;
    const results = await Promise.all([...gets(a!), ...gets(b!)]);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const at = issueReads()
      .slice(before)
      .map((r) => r.at)
      .sort((x, y) => x - y);
    expect(at.length).toBeGreaterThanOrEqual(8);
    const rate = ((at.length - 1) / (at.at(-1)! - at[0]!)) * 1000;
    expect(rate).toBeLessThanOrEqual((1000 / 150) * 1.1);
    const check = await a!.deps.check!();
    expect(check[0]).toMatchObject({ name: 'rate limit', ok: true });
    await a!.flush();
    expect(a!.log.join('\n')).not.toContain(fake.token);
  });

  it('without Redis each instance paces only itself', async () => {
    const [a, b] = [await instance({}), await instance({})];
    await Promise.all([...gets(a!, 1), ...gets(b!, 1)]); // warm up: one call each
    const started = Date.now();
    await Promise.all([...gets(a!), ...gets(b!)]);
    // Each instance's 4 reads take about 3 delays; together they would take at least 7.
    expect(Date.now() - started).toBeLessThan(7 * 150);
  });
});
