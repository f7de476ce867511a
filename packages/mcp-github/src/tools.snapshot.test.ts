import { createLogger, loadConfig } from '@org/mcp-core';
import { connectInMemory } from '@org/mcp-core/testing';
import { ConfigSchema } from './config.js';
import { createDeps } from './deps.js';
import { createServer } from './server.js';

// Every tool's name, description, schemas and annotations as clients see them. A change to any of
// them shows up in review as a change to the committed snapshot.
it('tools/list matches the committed snapshot', async () => {
  const config = loadConfig(ConfigSchema, {
    GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_snapshot',
    GITHUB_API_URL: 'http://127.0.0.1:9',
  });
  const { logger } = await createLogger({ name: 'test', level: 'silent' });
  const deps = createDeps(config, logger);
  const session = await connectInMemory(createServer(deps, config, logger));
  const { tools } = await session.client.listTools();
  await expect(JSON.stringify(tools, null, 2)).toMatchFileSnapshot('./__snapshots__/tools.json');
  await session.close();
});
