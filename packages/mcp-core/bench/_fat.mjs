import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { readFileSync } from 'node:fs';
const text = readFileSync('/tmp/prof/payload.json', 'utf8').trim();
const server = new McpServer({ name: 'bare', version: '0.0.0' });
server.server.registerCapabilities({ tools: {} });
const { CallToolRequestSchema } = await import('@modelcontextprotocol/sdk/types.js');
server.server.setRequestHandler(CallToolRequestSchema, async () => ({
  content: [{ type: 'text', text }],
  structuredContent: JSON.parse(text),
}));
await server.connect(new StdioServerTransport());
process.stdin.on('end', () => process.exit(0));
