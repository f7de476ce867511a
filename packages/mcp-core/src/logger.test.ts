import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, createScrubber, redactSecretKeys } from './logger.js';
import { makeTempDir, removeTempDirs } from './testing/temp.js';

const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
const PASSWORD = 'hunter2-correct-horse';

describe('createLogger', () => {
  afterAll(removeTempDirs);
  const tempDir = () => makeTempDir('core-log-');

  it('redacts secrets by key, by known value and by shape, on stderr and in the file', async () => {
    const dir = tempDir();
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
    logger.child({ Password: 'child-binding-secret' }).info(
      {
        a: { b: { c: { d: [{ Cookie: { session: 'deep-cookie-secret' } }] } } },
        'x-api-key': 'hdr-key-secret',
      },
      'deeper than three levels, any case, object values',
    );
    await handle.close();
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    const fileText = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    for (const text of [stderr.join(''), fileText]) {
      expect(text.split('\n').filter(Boolean)).toHaveLength(6);
      for (const secretText of [
        'plain-token-value',
        PASSWORD,
        TOKEN,
        'dXNlcjpwYXNz',
        'abcdefghij123456',
        'AIzaSyA-something-long',
        'child-binding-secret',
        'deep-cookie-secret',
        'hdr-key-secret',
      ]) {
        expect(text).not.toContain(secretText);
      }
      expect(text).toContain('[REDACTED]');
      expect(text).toContain('127.0.0.1:6379');
      // What is not secret stays readable.
      expect(text).toContain('deeper than three levels');
      expect(text).toContain('"Cookie":"[REDACTED]"');
      expect(text).toContain('"Password":"[REDACTED]"');
    }
  });

  it('writes the file named and rotates it to <file>.1 … <file>.5, keeping 5 older files', async () => {
    const dir = tempDir();
    const file = join(dir, 'logs', 'server.log'); // the folder is created
    const numbers = (name: string) =>
      readFileSync(join(dir, 'logs', name), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { n: number }).n);
    const handle = await createLogger({
      name: 't',
      level: 'info',
      file,
      fileMaxBytes: 300,
      writeStderr: () => undefined,
    });
    // Each line is about 100 bytes, so the file rotates every few lines.
    for (let n = 0; n < 40; n++) handle.logger.info({ n, pad: 'x'.repeat(40) }, 'line');
    await handle.close();
    const rotated = ['server.log.1', 'server.log.2', 'server.log.3', 'server.log.4', 'server.log.5'];
    expect(readdirSync(join(dir, 'logs')).sort()).toEqual(['server.log', ...rotated]);
    // Newest in the file named, then .1, .2 … oldest; each line in one file, in order.
    const kept = [...rotated].reverse().flatMap(numbers).concat(numbers('server.log'));
    expect(kept.at(-1)).toBe(39);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 40 - kept.length + i));
    expect(kept[0]).toBeGreaterThan(0); // the oldest lines were dropped with the sixth older file

    // A restart appends to the file named.
    const again = await createLogger({
      name: 't',
      level: 'info',
      file,
      fileMaxBytes: 300,
      writeStderr: () => undefined,
    });
    again.logger.info({ n: 40 }, 'after restart');
    await again.close();
    expect(numbers('server.log').at(-1)).toBe(40);
  });

  it('honours the level and logs nothing when silent', async () => {
    const lines: string[] = [];
    const handle = await createLogger({ name: 't', level: 'warn', writeStderr: (l) => lines.push(l) });
    const { logger } = handle;
    logger.info('hidden');
    logger.warn('shown');
    await handle.flush();
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'shown', name: 't', level: 40 });
    const silent = await createLogger({ name: 't', level: 'silent', writeStderr: (l) => lines.push(l) });
    silent.logger.fatal('nothing');
    await silent.flush();
    expect(lines).toHaveLength(1);
    expect(logger.isLevelEnabled('warn')).toBe(true);
    expect(logger.isLevelEnabled('info')).toBe(false);
  });

  it('writes lines logged before pino is loaded in order, with the time they were logged at', async () => {
    const lines: string[] = [];
    const handle = await createLogger({ name: 't', level: 'info', writeStderr: (l) => lines.push(l) });
    const before = Date.now();
    handle.logger.info({ n: 1 }, 'first');
    handle.logger.child({ tool: 'x' }).warn('second');
    handle.logger.error(new Error('third'));
    expect(lines).toHaveLength(0); // pino is still loading
    await handle.flush();
    handle.logger.info('fourth'); // pino is loaded: written at once
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((p) => p['msg'])).toEqual(['first', 'second', 'third', 'fourth']);
    expect(parsed[0]).toMatchObject({ n: 1, level: 30, name: 't' });
    expect(parsed[1]).toMatchObject({ tool: 'x', level: 40 });
    expect(parsed[2]).toMatchObject({ level: 50, err: { type: 'Error', message: 'third' } });
    for (const p of parsed.slice(0, 3)) {
      const t = Date.parse(p['time'] as string);
      expect(t).toBeGreaterThanOrEqual(before);
      expect(t).toBeLessThanOrEqual(Date.now());
    }
  });
});

describe('redactSecretKeys', () => {
  it('replaces values of any type at any depth and leaves the line valid JSON', () => {
    const record = {
      msg: 'a "token": in text stays',
      token: 'a"b\\',
      n: { Authorization: { scheme: 'Basic', value: 'x' }, list: [1, { password: 42 }], keep: true },
      secret: null,
      after: [{ apiKey: ['k1', 'k2'] }, 'tail'],
    };
    const line = JSON.stringify(record);
    const out = redactSecretKeys(line);
    expect(JSON.parse(out)).toEqual({
      msg: 'a "token": in text stays',
      token: '[REDACTED]',
      n: { Authorization: '[REDACTED]', list: [1, { password: '[REDACTED]' }], keep: true },
      secret: '[REDACTED]',
      after: [{ apiKey: '[REDACTED]' }, 'tail'],
    });
    expect(redactSecretKeys('{"msg":"nothing here"}')).toBe('{"msg":"nothing here"}');
  });
});

describe('createScrubber', () => {
  it('removes JSON-escaped forms of a secret and ignores very short ones', () => {
    const scrub = createScrubber(['pa"ss\\word', 'ab']);
    expect(scrub(JSON.stringify({ m: 'x pa"ss\\word y' }))).toBe('{"m":"x [REDACTED] y"}');
    expect(scrub('ab cab')).toBe('ab cab');
  });
});
