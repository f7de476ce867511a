import { startRedis, type RedisInstance } from '@org/mcp-core/testing';
import { Redis } from 'ioredis';
import { GlobSyntaxError, matchGlob, parseGlob } from './glob.js';

// [glob, text, matches]: ASCII cases, each also checked against Redis's own matcher below.
const CASES: [string, string, boolean][] = [
  ['user:*', 'user:1', true],
  ['user:*', 'user:', true],
  ['user:*', 'xuser:1', false],
  ['*', '', true],
  ['*', 'anything', true],
  ['**', 'a', true],
  ['a*b', 'ab', true],
  ['a*b', 'axxb', true],
  ['a*b', 'axxbx', false],
  ['*a*b*c*', 'xxaxxbxxcxx', true],
  ['*a*b*c*', 'xxcxxbxxaxx', false],
  ['a*a', 'a', false],
  ['*ab*ab', 'abab', true],
  ['*ab*ab', 'abxab', true],
  ['*aab', 'aaab', true],
  ['a?c', 'abc', true],
  ['a?c', 'ac', false],
  ['???', 'abc', true],
  ['???', 'abcd', false],
  ['[ab]x', 'bx', true],
  ['[ab]x', 'cx', false],
  ['[^ab]x', 'bx', false],
  ['[^ab]x', 'cx', true],
  ['[a-c]x', 'cx', true],
  ['[a-c]x', 'dx', false],
  ['[^a-c]x', 'dx', true],
  ['[a-cx-z]', 'y', true],
  ['[-a]', '-', true],
  ['[\\]]', ']', true],
  ['[\\-]', '-', true],
  ['[a\\-c]', 'b', false],
  ['[a\\-c]', '-', true],
  ['[\\a-c]', 'b', false],
  ['[\\a-c]', 'c', true],
  ['[*?]', '*', true],
  ['[*?]', 'a', false],
  ['a\\*', 'a*', true],
  ['a\\*', 'ab', false],
  ['a\\?', 'a?', true],
  ['\\[a]', '[a]', true],
  ['a\\', 'a\\', true],
  ['\\\\', '\\', true],
  ['a.b', 'axb', false],
  ['a.b', 'a.b', true],
  ['(a|b)+', '(a|b)+', true],
  ['^a$', '^a$', true],
];

describe('glob matching', () => {
  it.each(CASES)('%s on %s is %s', (glob, text, expected) => {
    expect(matchGlob(parseGlob(glob), text)).toBe(expected);
  });

  it('compares characters, not UTF-16 units', () => {
    expect(matchGlob(parseGlob('?'), '😀')).toBe(true);
    expect(matchGlob(parseGlob('[😀é]x'), 'éx')).toBe(true);
    expect(matchGlob(parseGlob('[à-ÿ]'), 'é')).toBe(true);
  });

  it.each([
    ['[z-a]', /reversed/],
    ['x[b-a]y', /reversed/],
    ['[ab', /no closing/],
    ['a[', /no closing/],
    ['[^', /no closing/],
    ['[]', /lists no character/],
    ['[^]', /lists no character/],
    ['[a-]', /range up to \]/],
  ])('refuses %s', (glob, message) => {
    expect(() => parseGlob(glob)).toThrow(GlobSyntaxError);
    expect(() => parseGlob(glob)).toThrow(message);
  });

  it('never backtracks: many stars against a long key answer at once, and correctly', () => {
    const glob = parseGlob('*a*a*a*a*a*a*a*a*a*a*a*a*b');
    const key = 'a'.repeat(64);
    const start = performance.now();
    expect(matchGlob(glob, key)).toBe(false);
    expect(matchGlob(glob, `${key}b`)).toBe(true);
    expect(matchGlob(glob, `${'a'.repeat(11)}b`)).toBe(false);
    expect(matchGlob(glob, `${'a'.repeat(12)}b`)).toBe(true);
    const stars = parseGlob(`${'*a'.repeat(100)}*b`);
    expect(matchGlob(stars, 'a'.repeat(1024))).toBe(false);
    // Generous: the backtracking regular expression this replaced took seconds, or forever.
    expect(performance.now() - start).toBeLessThan(100);
  });
});

describe('glob matching agrees with Redis', () => {
  let redis: RedisInstance;
  let client: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis({ port: redis.port, host: '127.0.0.1' });
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.close();
  });

  it('on every case of the table', async () => {
    for (const [glob, text] of CASES) {
      await client.flushdb();
      await client.set(`k:${text}`, '1');
      const [, keys] = await client.scan('0', 'MATCH', `k:${glob}`, 'COUNT', 100);
      expect(keys.length === 1, `Redis on ${glob} / ${text}`).toBe(matchGlob(parseGlob(glob), text));
    }
  });
});
