#!/usr/bin/env node
// The yardstick for server benchmarks: a bare MCP SDK server over stdio with one no-op tool.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'bare', version: '0.0.0' });
server.registerTool(
  'noop',
  {
    description: 'Does nothing',
    inputSchema: { value: z.string().optional() },
    outputSchema: { ok: z.boolean() },
  },
  async () => ({ content: [{ type: 'text', text: '{"ok":true}' }], structuredContent: { ok: true } }),
);
await server.connect(new StdioServerTransport());
process.stdin.on('end', () => process.exit(0));
