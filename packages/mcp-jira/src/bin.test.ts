import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spawnStdioServer } from '@org/mcp-core/testing';

const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));

describe('the built bin over stdio', () => {
  it('initializes, lists and calls tools, writes only protocol to stdout and exits 0 when stdin ends', async () => {
    const server = await spawnStdioServer({
      command: process.execPath,
      args: [bin],
      env: { PATH: process.env['PATH'] },
    });
    const { tools } = await server.client.listTools();
    expect(tools.length).toBeGreaterThan(0);
    const result = await server.client.callTool({ name: 'server_info', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(await server.close()).toBe(0);
    expect(server.nonProtocolLines).toEqual([]);
  });

  it('--help lists every environment variable', () => {
    const help = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help).toContain('MCP_READ_ONLY');
    expect(help).toContain('MCP_LOG_LEVEL');
  });
});
