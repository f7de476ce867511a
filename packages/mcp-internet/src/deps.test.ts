import { createLogger, loadConfig } from '@org/mcp-core';
import { startFakeGoogle } from '../test/fake-providers/index.js';
import { ConfigSchema } from './config.js';
import { configuredProviders, createDeps } from './deps.js';

it('providers default to every configured one, in the documented order', () => {
  const config = loadConfig(ConfigSchema, { SERPER_API_KEY: 's', SEARXNG_URL: 'http://searx:8080', BRAVE_API_KEY: 'b' });
  expect(configuredProviders(config).map((p) => p.provider.id)).toEqual(['brave', 'serper', 'searxng']);
});

it('--check fails Google once its Custom Search JSON API has closed', async () => {
  const google = await startFakeGoogle();
  const config = loadConfig(ConfigSchema, {
    GOOGLE_API_KEY: google.key,
    GOOGLE_SEARCH_ENGINE_ID: '0123456789abcdef0',
    GOOGLE_API_URL: google.url,
  });
  const { logger } = await createLogger({ name: 'test', level: 'silent' });
  const before = await createDeps(config, logger, { now: () => new Date('2026-12-01T00:00:00Z') }).check!();
  expect(before.find((r) => r.name === 'google closure')).toMatchObject({ ok: true, detail: expect.stringContaining('in 31 days') });
  const after = await createDeps(config, logger, { now: () => new Date('2027-01-02T00:00:00Z') }).check!();
  expect(after.find((r) => r.name === 'google closure')).toMatchObject({ ok: false, detail: expect.stringContaining('closed') });
  await google.close();
});
