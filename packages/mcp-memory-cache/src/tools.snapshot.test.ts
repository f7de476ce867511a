import { connectServer, makeTempDir, removeTempDirs } from '@org/mcp-core/testing';
import { server } from './server.js';

afterAll(removeTempDirs);

// Every tool's name, description, schemas and annotations as clients see them. A change to any of
// them shows up in review as a change to the committed snapshot.
it('tools/list matches the committed snapshot', async () => {
  const session = await connectServer(server, {
    CACHE_DATA_DIR: makeTempDir('snapshot-'),
  });
  const { tools } = await session.client.listTools();
  await expect(JSON.stringify(tools, null, 2)).toMatchFileSnapshot('./__snapshots__/tools.json');
  await session.close();
});
