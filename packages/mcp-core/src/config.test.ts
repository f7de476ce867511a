import { z } from 'zod';
import {
  CoreConfigSchema,
  describeConfig,
  formatEnvHelp,
  loadConfig,
  secret,
  secretNames,
} from './config.js';
import { ConfigError } from './errors.js';

const Schema = CoreConfigSchema.extend({
  API_URL: z.url().describe('Base URL of the API'),
  API_TOKEN: secret(z.string().min(10).describe('Token for the API')),
  RETRIES: z.coerce.number().int().min(0).default(3).describe('How many retries'),
});

describe('loadConfig', () => {
  it('returns typed values with defaults, lists split and booleans parsed', () => {
    const config = loadConfig(Schema, {
      API_URL: 'https://example.test',
      API_TOKEN: 'abcdefghijkl',
      MCP_READ_ONLY: 'YES',
      MCP_TOOLSETS: ' a, b ,,c ',
      OTHER: 'ignored',
    });
    expect(config).toMatchObject({
      API_URL: 'https://example.test',
      RETRIES: 3,
      MCP_READ_ONLY: true,
      MCP_TOOLSETS: ['a', 'b', 'c'],
      MCP_LOG_LEVEL: 'warn',
      MCP_MAX_OUTPUT_CHARS: 20000,
      MCP_VALIDATE_OUTPUT: false,
    });
    expect(config.MCP_TOOLS).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig(Schema, {
      API_URL: 'https://x.test',
      API_TOKEN: 'abcdefghijkl',
      RETRIES: '',
      MCP_LOG_FILE: '  ',
    });
    expect(config.RETRIES).toBe(3);
    expect(config.MCP_LOG_FILE).toBeUndefined();
  });

  it('treats an unfilled MCP Bundle placeholder as unset, and a required one as missing', () => {
    const config = loadConfig(Schema, {
      API_URL: 'https://x.test',
      API_TOKEN: 'abcdefghijkl',
      RETRIES: '${user_config.RETRIES}',
      MCP_LOG_FILE: ' ${user_config.MCP_LOG_FILE} ',
      MCP_READ_ONLY: '${user_config.MCP_READ_ONLY}',
    });
    expect(config.RETRIES).toBe(3);
    expect(config.MCP_LOG_FILE).toBeUndefined();
    expect(config.MCP_READ_ONLY).toBe(false);
    // Only the whole value is a placeholder; text around one is a real value.
    expect(
      loadConfig(Schema, { API_URL: 'https://x.test', API_TOKEN: 'x${user_config.T}yyyy' }).API_TOKEN,
    ).toBe('x${user_config.T}yyyy');
    expect(() =>
      loadConfig(Schema, { API_URL: '${user_config.API_URL}', API_TOKEN: 'abcdefghijkl' }),
    ).toThrow(/API_URL: is required/);
  });

  it('reports every problem at once and never echoes a value', () => {
    let caught: unknown;
    try {
      loadConfig(Schema, {
        API_URL: 'not a url',
        API_TOKEN: 'short-tok',
        RETRIES: '-1',
        MCP_READ_ONLY: 'maybe',
        MCP_LOG_LEVEL: 'loud',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const { problems, message } = caught as ConfigError;
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'API_TOKEN',
      'API_URL',
      'MCP_LOG_LEVEL',
      'MCP_READ_ONLY',
      'RETRIES',
    ]);
    expect(message).not.toContain('short-tok');
  });

  it('says "is required" for a missing variable', () => {
    expect(() => loadConfig(Schema, { API_TOKEN: 'abcdefghijkl' })).toThrow(/API_URL: is required/);
  });
});

describe('loadConfig messages for a value that is given but wrong', () => {
  it('says what is expected instead of "is required" (a number given as text)', () => {
    const S = z.object({ LEASE_SECONDS: z.coerce.number().int().default(1800), NAME: z.string().optional() });
    expect(() => loadConfig(S, { LEASE_SECONDS: 'abc' })).toThrow(/LEASE_SECONDS: must be a number/);
    expect(() => loadConfig(S, { LEASE_SECONDS: 'abc' })).not.toThrow(/is required/);
  });

  it('MCP_HTTP_HEAP_GROWTH_PERCENT: 50 by default, 0 allowed, a negative or fractional value refused', () => {
    expect(loadConfig(CoreConfigSchema, {}).MCP_HTTP_HEAP_GROWTH_PERCENT).toBe(50);
    expect(
      loadConfig(CoreConfigSchema, { MCP_HTTP_HEAP_GROWTH_PERCENT: '0' }).MCP_HTTP_HEAP_GROWTH_PERCENT,
    ).toBe(0);
    for (const bad of ['-5', '12.5', 'lots', '5000'])
      expect(() => loadConfig(CoreConfigSchema, { MCP_HTTP_HEAP_GROWTH_PERCENT: bad })).toThrow(
        /MCP_HTTP_HEAP_GROWTH_PERCENT/,
      );
  });
});

describe('describeConfig and --help text', () => {
  it('documents every variable with its default, requiredness and secrecy', () => {
    const docs = describeConfig(Schema);
    expect(docs.map((d) => d.name)).toEqual([
      ...Object.keys(CoreConfigSchema.shape),
      'API_URL',
      'API_TOKEN',
      'RETRIES',
    ]);
    expect(docs.find((d) => d.name === 'API_TOKEN')).toEqual({
      name: 'API_TOKEN',
      description: 'Token for the API',
      required: true,
      secret: true,
    });
    expect(docs.find((d) => d.name === 'RETRIES')).toMatchObject({
      default: 3,
      required: false,
      secret: false,
    });
    expect(docs.find((d) => d.name === 'MCP_READ_ONLY')).toMatchObject({ default: false, required: false });
    for (const doc of docs) expect(doc.description, doc.name).not.toBe('');
    expect(secretNames(Schema)).toEqual(docs.filter((d) => d.secret).map((d) => d.name));
    expect(secretNames(Schema)).toEqual(['MCP_HTTP_TOKENS', 'API_TOKEN']);
    const help = formatEnvHelp(Schema);
    expect(help).toMatch(/API_TOKEN {2}\(required, secret\)/);
    expect(help).toMatch(/MCP_LOG_LEVEL {2}\(default: warn\)/);
  });
});
