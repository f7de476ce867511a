import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createScrubber } from './logger.js';

const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
const PASSWORD = 'hunter2-correct-horse';

describe('createLogger', () => {
  it('redacts secrets by key, by known value and by shape, on stderr and in the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'core-log-'));
    const file = join(dir, 'server.log');
    const stderr: string[] = [];
    const handle = await createLogger({
      name: 't',
      level: 'debug',
      file,
      secrets: [PASSWORD],
      writeStderr: (l) => stderr.push(l),
    });
    const { logger } = handle;
    logger.info(
      {
        token: 'plain-token-value',
        config: { password: PASSWORD },
        req: { headers: { authorization: 'Basic dXNlcjpwYXNz' } },
      },
      'request',
    );
    logger.warn(`connecting to redis://default:${PASSWORD}@127.0.0.1:6379/0`);
    logger.warn(`github said no to ${TOKEN}`);
    logger.error({ err: new Error(`auth failed with Bearer abcdefghij123456`) }, 'failed');
    logger.info({ nested: { deeper: { apiKey: 'AIzaSyA-something-long' } } }, 'deep');
    await handle.close();
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    const fileText = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    for (const text of [stderr.join(''), fileText]) {
      expect(text.split('\n').filter(Boolean)).toHaveLength(5);
      for (const secretText of [
        'plain-token-value',
        PASSWORD,
        TOKEN,
        'dXNlcjpwYXNz',
        'abcdefghij123456',
        'AIzaSyA-something-long',
      ]) {
        expect(text).not.toContain(secretText);
      }
      expect(text).toContain('[REDACTED]');
      expect(text).toContain('127.0.0.1:6379');
    }
  });

  it('honours the level and logs nothing when silent', async () => {
    const lines: string[] = [];
    const { logger } = await createLogger({ name: 't', level: 'warn', writeStderr: (l) => lines.push(l) });
    logger.info('hidden');
    logger.warn('shown');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'shown', name: 't', level: 40 });
    const silent = await createLogger({ name: 't', level: 'silent', writeStderr: (l) => lines.push(l) });
    silent.logger.fatal('nothing');
    expect(lines).toHaveLength(1);
  });
});

describe('createScrubber', () => {
  it('removes JSON-escaped forms of a secret and ignores very short ones', () => {
    const scrub = createScrubber(['pa"ss\\word', 'ab']);
    expect(scrub(JSON.stringify({ m: 'x pa"ss\\word y' }))).toBe('{"m":"x [REDACTED] y"}');
    expect(scrub('ab cab')).toBe('ab cab');
  });
});
