import { defineTool, z } from '@org/mcp-core';
import type { Deps } from '../deps.js';
import { packageInfo } from '../config.js';

export const serverInfo = defineTool<Deps>()({
  name: 'server_info',
  toolset: 'server',
  title: 'Server info',
  description:
    'Name, version, Node.js version and uptime of this server, and whether it runs read-only. Use it to check that the connection works.',
  input: z.object({}),
  output: z.object({
    name: z.string(),
    version: z.string(),
    node_version: z.string(),
    uptime_seconds: z.number().describe('Seconds since the server started'),
    read_only: z.boolean().describe('True when MCP_READ_ONLY hides every tool that changes something'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler(_input, { deps }) {
    return {
      name: packageInfo.name,
      version: packageInfo.version,
      node_version: process.version,
      uptime_seconds: Math.round((Date.now() - deps.startedAt) / 1000),
      read_only: deps.config.MCP_READ_ONLY,
    };
  },
});
