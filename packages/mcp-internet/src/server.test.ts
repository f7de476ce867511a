import { ConfigError, loadConfig } from '@org/mcp-core';
import { callTool, connectServer } from '@org/mcp-core/testing';
import { ConfigSchema } from './config.js';
import { server } from './server.js';

const ORIGINAL = ['web_search', 'web_fetch', 'batch_fetch_urls', 'batch_search', 'search_and_fetch', 'parallel_search_with_filters'];

// Every tool's name, description, schemas and annotations as clients see them. A change to any of
// them shows up in review as a change to the committed snapshot.
it('tools/list matches the committed snapshot', async () => {
  const s = await connectServer(server, {});
  const { tools } = await s.client.listTools();
  await expect(JSON.stringify(tools, null, 2)).toMatchFileSnapshot('./__snapshots__/tools.json');
  await s.close();
});

it('offers the original six tools with their parameters, all read-only and open-world, each with an output schema', async () => {
  const s = await connectServer(server, {});
  const { tools } = await s.client.listTools();
  expect(tools.map((t) => t.name)).toEqual(ORIGINAL);
  for (const t of tools) {
    expect(t.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: true });
    expect(t.outputSchema?.type).toBe('object');
    expect(t.description!.length).toBeLessThan(1024);
  }
  const params = Object.fromEntries(tools.map((t) => [t.name, Object.keys(t.inputSchema.properties ?? {})]));
  expect(params['web_search']).toEqual(expect.arrayContaining(['query', 'max_results', 'search_type', 'file_type', 'date_restrict']));
  expect(params['web_fetch']).toEqual(expect.arrayContaining(['url', 'timeout']));
  expect(params['batch_fetch_urls']).toEqual(expect.arrayContaining(['urls', 'timeout']));
  expect(params['batch_search']).toEqual(expect.arrayContaining(['queries', 'max_results']));
  expect(params['search_and_fetch']).toEqual(expect.arrayContaining(['query', 'max_results', 'fetch_content']));
  expect(params['parallel_search_with_filters']).toEqual(expect.arrayContaining(['query', 'filters']));
  expect(s.client.getInstructions()).toMatch(/No search provider is configured/);
  expect(s.client.getInstructions()!.length).toBeLessThan(1500);
  await s.close();
});

it('toolsets pick tools; read-only mode keeps every tool (all of them only read)', async () => {
  const fetchOnly = await connectServer(server, { MCP_TOOLSETS: 'fetch' });
  expect((await fetchOnly.client.listTools()).tools.map((t) => t.name)).toEqual(['web_fetch', 'batch_fetch_urls']);
  expect(await callTool(fetchOnly.client, 'web_search', { query: 'x' })).toMatchObject({ ok: false, error: { type: 'forbidden' } });
  await fetchOnly.close();
  const readOnly = await connectServer(server, { MCP_READ_ONLY: 'true' });
  expect((await readOnly.client.listTools()).tools).toHaveLength(6);
  await readOnly.close();
});

describe('configuration', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(ConfigSchema, env);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };

  it('no variable at all is valid (fetch works, search answers a config error)', () => {
    expect(problems({})).toEqual([]);
  });

  it('SEARCH_PROVIDERS names only known, configured providers', () => {
    expect(problems({ SEARCH_PROVIDERS: 'brave,bing' })).toEqual([
      'SEARCH_PROVIDERS: "brave" is listed but BRAVE_API_KEY is not set',
      'SEARCH_PROVIDERS: unknown provider "bing" (known: brave, tavily, exa, serper, searxng, google)',
    ]);
  });

  it('Google needs its engine id; bad allow-list entries, URLs and numbers are listed together', () => {
    expect(
      problems({
        GOOGLE_API_KEY: 'AIza-x',
        INTERNET_FETCH_ALLOW_HOSTS: '10.0.0.0/8,not a host',
        SEARXNG_URL: 'ftp://searx',
        INTERNET_MAX_FETCH_BYTES: '12',
      }),
    ).toEqual([
      'SEARXNG_URL: Invalid URL',
      'INTERNET_MAX_FETCH_BYTES: Too small: expected number to be >=1024',
      'GOOGLE_SEARCH_ENGINE_ID: is required with GOOGLE_API_KEY',
      'INTERNET_FETCH_ALLOW_HOSTS: "not a host" is not a host name, *.suffix, IP address or CIDR range',
    ]);
  });
});
