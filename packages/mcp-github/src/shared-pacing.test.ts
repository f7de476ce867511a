import {
  callTool,
  connectServer,
  startRedis,
  type RedisInstance,
  type ServerSession,
} from '@org/mcp-core/testing';
import { startFakeGitHub, type FakeGitHub } from '../test/fake-github/index.js';
import { createDeps, type Deps } from './deps.js';
import { server } from './server.js';

// Issue 16: two instances on one token and one Redis keep GitHub's write pause together.
let gh: FakeGitHub;
let redis: RedisInstance;
const sessions: ServerSession<Deps>[] = [];
beforeAll(async () => {
  redis = await startRedis();
  gh = await startFakeGitHub();
  gh.addRepo('acme/api', { 'README.md': '# API\n' });
});
afterAll(async () => {
  for (const s of sessions) await s.close();
  await gh.close();
  await redis.close();
});

const WRITE_MS = 200;
const instance = async (env: Record<string, string>) => {
  const s = await connectServer(
    server,
    { GITHUB_PERSONAL_ACCESS_TOKEN: gh.token, GITHUB_API_URL: gh.url, ...env },
    {
      createDeps: (config, logger) =>
        createDeps(config, logger, { retryBaseMs: 5, writeIntervalMs: WRITE_MS }),
    },
  );
  sessions.push(s);
  return s;
};
const comment = (s: ServerSession<Deps>, n: number) =>
  callTool(s.client, 'add_issue_comment', { repo_name: 'acme/api', issue_number: 1, body: `c${n}` });
const commentPosts = () => gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/comments'));

describe('GitHub write pacing shared through Redis', () => {
  it('two instances with REDIS_URL post comments at one combined rate', async () => {
    const [a, b] = [await instance({ REDIS_URL: redis.url }), await instance({ REDIS_URL: redis.url })];
    expect(await callTool(a!.client, 'create_issue', { repo_name: 'acme/api', title: 't' })).toMatchObject({
      ok: true,
    });
    await comment(b!, 0); // warm up both
    const before = commentPosts().length;
    const results = await Promise.all([0, 1, 2, 3].flatMap((n) => [comment(a!, n), comment(b!, n)]));
    expect(results.every((r) => r.ok)).toBe(true);
    const at = commentPosts()
      .slice(before)
      .map((r) => r.at)
      .sort((x, y) => x - y);
    expect(at).toHaveLength(8);
    // 8 writes one pause apart: at least 7 pauses, whichever instance sent them.
    const rate = ((at.length - 1) / (at.at(-1)! - at[0]!)) * 1000;
    expect(rate).toBeLessThanOrEqual((1000 / WRITE_MS) * 1.1);
    const check = await a!.deps.check!();
    expect(check[0]).toMatchObject({ name: 'rate limit', ok: true });
  });

  it('without Redis each instance paces only itself (twice the combined rate)', async () => {
    const [a, b] = [await instance({}), await instance({})];
    const before = commentPosts().length;
    const started = Date.now();
    await Promise.all([0, 1, 2, 3].flatMap((n) => [comment(a!, n), comment(b!, n)]));
    expect(commentPosts().length - before).toBe(8);
    expect(Date.now() - started).toBeLessThan(7 * WRITE_MS);
    expect((await a!.deps.check!()).map((c) => c.name)).not.toContain('rate limit');
  });
});
