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
// With BARE_REDIS_URL (and BARE_IOREDIS, the path of an ioredis entry, as core has no ioredis),
// a second tool makes one Redis GET: its p50 minus the no-op's is one Redis round trip as a
// server process sees it, in the same conditions as the server measured beside it.
if (process.env.BARE_REDIS_URL) {
  const { pathToFileURL } = await import('node:url');
  const { Redis } = await import(pathToFileURL(process.env.BARE_IOREDIS).href);
  const redis = new Redis(process.env.BARE_REDIS_URL);
  server.registerTool(
    'redis_get',
    {
      description: 'One Redis GET',
      inputSchema: { key: z.string() },
      outputSchema: { value: z.string().nullable() },
    },
    async ({ key }) => {
      const value = await redis.get(key);
      return { content: [{ type: 'text', text: JSON.stringify({ value }) }], structuredContent: { value } };
    },
  );
  process.stdin.on('end', () => redis.disconnect());
}
await server.connect(new StdioServerTransport());
process.stdin.on('end', () => process.exit(0));
