import { loadConfig, createLogger } from '@org/mcp-core';
import { callTool, connectInMemory, type ConnectedClient } from '@org/mcp-core/testing';
import { ConfigSchema } from './config.js';
import { createDeps } from './deps.js';
import { packageInfo } from './config.js';
import { createServer } from './server.js';

async function connect(env: Record<string, string> = {}): Promise<ConnectedClient> {
  const config = loadConfig(ConfigSchema, env);
  const { logger } = await createLogger({ name: 'test', level: 'silent' });
  return connectInMemory(createServer(createDeps(config, logger), config, logger));
}

describe('@org/mcp-github over MCP', () => {
  let session: ConnectedClient;
  afterEach(() => session?.close());

  it('lists every tool with full annotations and an output schema', async () => {
    session = await connect();
    const { tools } = await session.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['server_info']);
    for (const tool of tools) {
      expect(tool.annotations?.readOnlyHint, tool.name).toBeTypeOf('boolean');
      expect(tool.annotations?.openWorldHint, tool.name).toBeTypeOf('boolean');
      expect(tool.outputSchema, tool.name).toBeDefined();
    }
  });

  it('server_info answers with the package name and version', async () => {
    session = await connect({ MCP_READ_ONLY: 'true' });
    const result = await callTool(session.client, 'server_info');
    expect(result).toMatchObject({
      ok: true,
      data: { name: packageInfo.name, version: packageInfo.version, read_only: true },
    });
  });

  it('an unknown tool gets the not_found envelope', async () => {
    session = await connect();
    const result = await callTool(session.client, 'no_such_tool', {});
    expect(result).toMatchObject({ ok: false, error: { type: 'not_found', retryable: false } });
  });
});
