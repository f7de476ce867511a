// The server as clients see it: names, annotations, toolsets, read-only mode, the schema snapshot.
import { callTool, connectServer } from '@org/mcp-core/testing';
import { server } from './server.js';

const ENV = {
  JIRA_BASE_URL: 'http://127.0.0.1:9',
  JIRA_EMAIL: 'a@example.com',
  JIRA_API_TOKEN: 'snapshot-token',
};
const ORIGINAL = [
  'jira_get_issue',
  'jira_search_issues',
  'jira_build_jql',
  'jira_get_project_issue_types',
  'jira_get_creatable_issue_types',
  'jira_get_create_metadata',
  'jira_create_issue',
  'jira_create_issues_bulk',
  'jira_update_issue',
  'jira_delete_issue',
  'jira_transition_issue',
  'jira_get_transitions',
  'jira_add_comment',
  'jira_get_comments',
  'jira_link_issues',
  'jira_get_projects',
  'jira_assign_issue',
  'jira_get_watchers',
  'jira_add_watcher',
  'jira_get_boards',
  'jira_get_active_sprints',
  'jira_add_to_sprint',
  'jira_add_issue_to_active_sprint',
];

async function list(env: Record<string, string> = {}) {
  const s = await connectServer(server, { ...ENV, ...env });
  const { tools } = await s.client.listTools();
  await s.close();
  return tools;
}

describe('the Jira server definition', () => {
  it('has the original 23 tools under their names, all annotated, each with an output schema', async () => {
    const tools = await list({ MCP_TOOLSETS: 'all' });
    const names = tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(ORIGINAL));
    expect(new Set(names).size).toBe(names.length);
    for (const t of tools) {
      expect(t.annotations?.readOnlyHint, t.name).toBeTypeOf('boolean');
      expect(t.annotations?.destructiveHint, t.name).toBeTypeOf('boolean');
      expect(t.annotations?.idempotentHint, t.name).toBeTypeOf('boolean');
      expect(t.annotations?.openWorldHint, t.name).toBeTypeOf('boolean');
      expect(t.outputSchema, t.name).toBeDefined();
      expect(t.description!.length, t.name).toBeGreaterThan(30);
    }
  });

  it('offers a small core by default, and only readers in read-only mode', async () => {
    const core = await list();
    expect(core.length).toBeLessThanOrEqual(20);
    expect(core.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'jira_get_issue',
        'jira_search_issues',
        'jira_create_issue',
        'jira_add_comment',
        'jira_search_users',
      ]),
    );
    expect(core.map((t) => t.name)).not.toContain('jira_get_boards');
    const ro = await list({ MCP_TOOLSETS: 'all', MCP_READ_ONLY: 'true' });
    expect(ro.length).toBeGreaterThan(15);
    expect(ro.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    expect(ro.map((t) => t.name)).not.toContain('jira_create_issue');
  });

  it('a bad JIRA_BASE_URL or a missing token fails at start with every problem named', async () => {
    await expect(
      connectServer(server, { ...ENV, JIRA_BASE_URL: 'http://jira.example.com', JIRA_API_TOKEN: '' }),
    ).rejects.toThrow(/JIRA_BASE_URL: must be an https:\/\/ URL[\s\S]*JIRA_API_TOKEN/);
    await expect(connectServer(server, { ...ENV, JIRA_PROJECTS_FILTER: 'ENG,not a key' })).rejects.toThrow(
      /JIRA_PROJECTS_FILTER/,
    );
    const s = await connectServer(server, {
      ...ENV,
      JIRA_BASE_URL: 'https://acme.atlassian.net/',
      JIRA_PROJECTS_FILTER: 'eng',
    });
    expect(s.deps.config.JIRA_BASE_URL).toBe('https://acme.atlassian.net');
    expect(s.deps.filter.keys).toEqual(['ENG']);
    await s.close();
  });

  it('bad input gets a validation envelope, never a crash', async () => {
    const s = await connectServer(server, { ...ENV, MCP_TOOLSETS: 'all' });
    for (const [name, args] of [
      ['jira_get_issue', {}],
      ['jira_search_issues', { jql: '' }],
      ['jira_create_issues_bulk', { issues: 'not json' }],
      ['jira_add_to_sprint', { sprint_id: 'abc', issue_keys: ['ENG-1'] }],
      ['jira_update_issue', { issue_key: 'ENG-1', fields: '[1,2]' }],
      ['jira_search_issues', { jql: 'x = 1', cursor: 'garbage' }],
    ] as const) {
      expect(await callTool(s.client, name, args), name).toMatchObject({
        ok: false,
        error: { type: 'validation', retryable: false },
      });
    }
    await s.close();
  });

  it('tools/list matches the committed snapshot', async () => {
    const tools = await list({ MCP_TOOLSETS: 'all' });
    await expect(JSON.stringify(tools, null, 2)).toMatchFileSnapshot('./__snapshots__/tools.json');
  });
});
