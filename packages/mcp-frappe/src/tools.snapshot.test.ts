import { connectServer } from '@org/mcp-core/testing';
import { server } from './server.js';

// Every tool's name, description, schemas and annotations as clients see them. A change to any of
// them shows up in review as a change to the committed snapshot.
it('tools/list matches the committed snapshot', async () => {
  const session = await connectServer(server, {
    FRAPPE_URL: 'http://127.0.0.1:9',
    FRAPPE_API_KEY: 'snapshot',
    FRAPPE_API_SECRET: 'snapshot',
    MCP_TOOLSETS: 'all',
  });
  const { tools } = await session.client.listTools();
  await expect(JSON.stringify(tools, null, 2)).toMatchFileSnapshot('./__snapshots__/tools.json');
  await session.close();
});
