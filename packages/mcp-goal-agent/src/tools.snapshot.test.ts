import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectServer } from '@org/mcp-core/testing';
import { server } from './server.js';

// Every tool's name, description, schemas and annotations as clients see them. A change to any of
// them shows up in review as a change to the committed snapshot.
it('tools/list matches the committed snapshot', async () => {
  const session = await connectServer(server, {
    GOAL_AGENT_DATA_DIR: mkdtempSync(join(tmpdir(), 'snapshot-')),
  });
  const { tools } = await session.client.listTools();
  await expect(JSON.stringify(tools, null, 2)).toMatchFileSnapshot('./__snapshots__/tools.json');
  await session.close();
});
