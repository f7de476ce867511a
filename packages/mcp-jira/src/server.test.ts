import { callTool, connectServer, type ConnectedClient } from '@org/mcp-core/testing';
import { ConfigSchema, packageInfo } from './config.js';
import { createDeps } from './deps.js';
import { createServer } from './server.js';

const connect = (env: Record<string, string> = {}): Promise<ConnectedClient> =>
  connectServer({ configSchema: ConfigSchema, createDeps, createServer }, env);

describe('@org/mcp-jira over MCP', () => {
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
