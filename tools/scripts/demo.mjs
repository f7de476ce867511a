// The main job: starts a built server over stdio, talks to it with a real MCP client and prints
// what a person would want to see. Run through `npm run demo`, which builds everything first.
import { fileURLToPath } from 'node:url';
import { spawnStdioServer } from '../../packages/mcp-core/dist/testing/index.js';

const bin = fileURLToPath(new URL('../../packages/mcp-example/dist/bin.js', import.meta.url));
const server = await spawnStdioServer({
  command: process.execPath,
  args: [bin],
  env: { PATH: process.env.PATH },
});
const info = server.client.getServerVersion();
console.log(`Connected over stdio to ${info?.name} ${info?.version}`);
const { tools } = await server.client.listTools();
for (const tool of tools) console.log(`  tool ${tool.name}: ${tool.description}`);
const result = await server.client.callTool({ name: 'server_info', arguments: {} });
console.log('server_info ->', JSON.stringify(result.structuredContent, null, 2));
process.exitCode = (await server.close()) === 0 && server.nonProtocolLines.length === 0 ? 0 : 1;
