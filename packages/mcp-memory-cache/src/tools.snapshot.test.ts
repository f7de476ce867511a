import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig } from '@org/mcp-core';
import { connectInMemory } from '@org/mcp-core/testing';
import { ConfigSchema } from './config.js';
import { createDeps } from './deps.js';
import { createServer } from './server.js';

// Every tool's name, description, schemas and annotations as clients see them. A change to any of
// them shows up in review as a change to the committed snapshot.
it('tools/list matches the committed snapshot', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'snapshot-'));
  const config = loadConfig(ConfigSchema, { GOAL_AGENT_DATA_DIR: dir, CACHE_DATA_DIR: dir });
  const { logger } = await createLogger({ name: 'test', level: 'silent' });
  const deps = await createDeps(config, logger);
  const session = await connectInMemory(createServer(deps, config, logger));
  const { tools } = await session.client.listTools();
  await expect(JSON.stringify(tools, null, 2)).toMatchFileSnapshot('./__snapshots__/tools.json');
  await session.close();
});
