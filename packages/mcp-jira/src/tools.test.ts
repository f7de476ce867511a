// Every tool through MCP against the fake Jira; afterEach fails on any request the real API would
// have rejected (OpenAPI) and on any ADF document that is not valid against the ADF schema.
import { callTool } from '@org/mcp-core/testing';
import { startFakeJira, type FakeJira } from '../test/fake-jira/index.js';
import { connectJira, type JiraSession } from '../test/session.js';

let fake: FakeJira;
let s: JiraSession;
const doc = (text: string) => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

beforeEach(async () => {
  fake = await startFakeJira();
  fake.addIssue('ENG', {
    summary: 'Add rate limiting',
    description: doc('Limit **each** client'),
    labels: ['api'],
  });
  fake.addIssue('ENG', { summary: 'Write docs', issuetype: { name: 'Story' } });
  fake.addIssue('OPS', { summary: 'Rotate keys' });
  fake.addIssue('SEC', { summary: 'Secret audit' });
  s = await connectJira(fake, { JIRA_PROJECT_KEY: 'ENG' });
});
afterEach(async () => {
  await s.close();
  expect(fake.violations).toEqual([]);
  await fake.close();
});

const call = <T = Record<string, unknown>>(name: string, args: Record<string, unknown> = {}) =>
  callTool<T>(s.client, name, args);

describe('issues', () => {
  it('jira_get_issue is lean by default, with the description as Markdown; fields and expand add more', async () => {
    const r = await call('jira_get_issue', { issue_key: 'eng-1' });
    expect(r).toEqual({
      ok: true,
      text: expect.any(String),
      data: expect.objectContaining({
        key: 'ENG-1',
        summary: 'Add rate limiting',
        status: 'To Do',
        type: 'Task',
        priority: 'Medium',
        assignee: null,
        labels: ['api'],
        description: 'Limit \\*\\*each\\*\\* client',
        url: `${fake.url}/browse/ENG-1`,
      }),
    });
    expect(r.ok && 'fields' in r.data).toBe(false);
    const wide = await call('jira_get_issue', {
      issue_key: 'ENG-1',
      fields: '["customfield_10020","reporter"]',
      expand: ['changelog', 'renderedFields'],
    });
    expect(wide).toMatchObject({
      ok: true,
      data: {
        fields: { customfield_10020: null, reporter: { displayName: 'Alice Admin' } },
        changelog: [],
        rendered_fields: { description: expect.stringContaining('Limit') },
      },
    });
    const get = fake.sent('GET', /\/rest\/api\/3\/issue\/ENG-1\?/);
    expect(decodeURIComponent(get[0]!.path)).toContain(
      'fields=summary,status,issuetype,priority,assignee,parent,labels,updated,created,project,description',
    );
  });

  it("jira_get_issue: a missing issue is not_found with Jira's message; a path-like key never reaches a URL", async () => {
    expect(await call('jira_get_issue', { issue_key: 'ENG-999' })).toMatchObject({
      ok: false,
      error: {
        type: 'not_found',
        status_code: 404,
        error: 'Jira: Issue does not exist or you do not have permission to see it.',
      },
    });
    const before = fake.requests.length;
    for (const bad of ['../../rest/api/3/myself', 'ENG-1/comment', 'ENG-1?x=1', '']) {
      expect(await call('jira_get_issue', { issue_key: bad })).toMatchObject({
        ok: false,
        error: { type: 'validation' },
      });
    }
    expect(fake.requests.length).toBe(before);
  });

  it('jira_search_issues uses POST /search/jql and pages with nextPageToken through the cursor', async () => {
    for (let i = 0; i < 5; i++) fake.addIssue('ENG', { summary: `Bulk ${i}` });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await call<{ issues: { key: string }[]; next_cursor?: string; truncated: boolean }>(
        'jira_search_issues',
        {
          jql: 'project = ENG ORDER BY key ASC',
          max_results: 3,
          ...(cursor ? { cursor } : {}),
        },
      );
      expect(r.ok).toBe(true);
      if (!r.ok) break;
      seen.push(...r.data.issues.map((i) => i.key));
      cursor = r.data.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(['ENG-1', 'ENG-2', 'ENG-3', 'ENG-4', 'ENG-5', 'ENG-6', 'ENG-7']);
    const bodies = fake
      .sent('POST', /^\/rest\/api\/3\/search\/jql$/)
      .map((r) => JSON.parse(r.body) as { nextPageToken?: string });
    expect(bodies.length).toBe(3);
    expect(bodies[1]!.nextPageToken).toBe('tok-3');
    expect(fake.sent('POST', /^\/rest\/api\/3\/search$/)).toEqual([]);
  });

  it("jira_search_issues: Jira's JQL errors come back as validation; start_at still works", async () => {
    expect(await call('jira_search_issues', { jql: 'sprintz = 1' })).toMatchObject({
      ok: false,
      error: {
        type: 'validation',
        status_code: 400,
        error: expect.stringContaining("Field 'sprintz' does not exist"),
      },
    });
    expect(await call('jira_search_issues', { jql: 'ORDER BY created DESC' })).toMatchObject({
      ok: false,
      error: { error: expect.stringContaining('Unbounded JQL') },
    });
    const r = await call<{ issues: { key: string }[] }>('jira_search_issues', {
      jql: 'project = ENG ORDER BY key ASC',
      start_at: 1,
    });
    expect(r.ok && r.data.issues.map((i) => i.key)).toEqual(['ENG-2']);
  });

  it('jira_build_jql quotes and escapes values and uses JIRA_PROJECT_KEY by default', async () => {
    expect(
      await call('jira_build_jql', { status: 'In "Progress"', assignee: 'currentUser()', issue_type: 'Bug' }),
    ).toMatchObject({
      ok: true,
      data: {
        jql: 'project = "ENG" AND status = "In \\"Progress\\"" AND assignee = currentUser() AND issuetype = "Bug" ORDER BY created DESC',
      },
    });
    expect(await call('jira_build_jql', { project: 'OPS', assignee: 'x" OR project = "SEC' })).toMatchObject({
      ok: true,
      data: { jql: 'project = "OPS" AND assignee = "x\\" OR project = \\"SEC" ORDER BY created DESC' },
    });
    const built = await call<{ jql: string }>('jira_build_jql', { assignee: 'EMPTY' });
    expect(built.ok && (await call('jira_search_issues', { jql: built.data.jql }))).toMatchObject({
      ok: true,
      data: { issues: [{ key: 'ENG-2' }, { key: 'ENG-1' }] },
    });
  });

  it('jira_create_issue sends Markdown as valid ADF, resolves the assignee and fields by name', async () => {
    const r = await call('jira_create_issue', {
      summary: 'Rate limit the API',
      description:
        '## Why\n\n- clients *overload* us\n- see [RFC](https://example.com)\n\n```ts\nlimit(10)\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |',
      priority: 'High',
      assignee: 'carol@example.com',
      labels: '["api","backend"]',
      additional_fields: '{"Story Points": 5}',
      rich_text: true,
    });
    expect(r).toMatchObject({
      ok: true,
      data: { success: true, key: 'ENG-3', url: `${fake.url}/browse/ENG-3` },
    });
    const f = fake.state.issues.get('ENG-3')!.fields;
    expect(f).toMatchObject({
      summary: 'Rate limit the API',
      labels: ['api', 'backend'],
      customfield_10016: 5,
      assignee: { accountId: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077' },
      priority: { name: 'High' },
    });
    expect((f['description'] as { content: { type: string }[] }).content.map((n) => n.type)).toEqual([
      'heading',
      'bulletList',
      'codeBlock',
      'table',
    ]);
    expect(await call('jira_get_issue', { issue_key: 'ENG-3' })).toMatchObject({
      ok: true,
      data: { description: expect.stringContaining('## Why') },
    });
  });

  it('jira_create_issue: a missing required field names it with its allowed values (from createmeta)', async () => {
    const r = await call('jira_create_issue', { summary: 'Crash on login', issue_type: 'Bug' });
    expect(r).toMatchObject({ ok: false, error: { type: 'validation' } });
    if (r.ok) return;
    expect(r.error.error).toContain(
      'Severity (customfield_10030) is required; allowed values: Minor, Major, Critical',
    );
    expect(r.error.error).toContain(
      'Priority (priority) is required; allowed values: Highest, High, Medium, Low, Lowest',
    );
    expect(fake.sent('POST', /^\/rest\/api\/3\/issue$/).length).toBe(1);
    expect(
      await call('jira_create_issue', {
        summary: 'Crash',
        issue_type: 'Bug',
        priority: 'High',
        additional_fields: { Severity: { value: 'Major' } },
      }),
    ).toMatchObject({ ok: true });
    expect(await call('jira_create_issue', { summary: 'x', issue_type: 'Saga' })).toMatchObject({
      ok: false,
      error: {
        error: 'Jira: issue type "Saga" does not exist in ENG',
        hint: expect.stringContaining('Task, Bug, Story, Epic, Subtask'),
      },
    });
  });

  it('jira_create_issue: an ambiguous assignee name is refused before anything is created', async () => {
    const r = await call('jira_create_issue', { summary: 'x', assignee: 'Bob' });
    expect(r).toMatchObject({
      ok: false,
      error: {
        type: 'validation',
        error: expect.stringMatching(
          /"Bob" matches 2 users: Bob Builder \(5b10ac8d82e05b22cc7d4ef5\), Bob Marley/,
        ),
      },
    });
    expect(fake.sent('POST', /^\/rest\/api\/3\/issue$/)).toEqual([]);
    expect(await call('jira_create_issue', { summary: 'x', assignee: 'Bob Marley' })).toMatchObject({
      ok: true,
    });
  });

  it('jira_update_issue converts a Markdown description and sets fields by name', async () => {
    expect(
      await call('jira_update_issue', {
        issue_key: 'ENG-1',
        fields: '{"description": "**New** text", "Story Points": 8, "summary": "Renamed"}',
      }),
    ).toMatchObject({
      ok: true,
      data: { updated_fields: ['description', 'customfield_10016', 'summary'] },
    });
    const f = fake.state.issues.get('ENG-1')!.fields;
    expect(f['description']).toEqual({
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'New', marks: [{ type: 'strong' }] },
            { type: 'text', text: ' text' },
          ],
        },
      ],
    });
    expect(f).toMatchObject({ summary: 'Renamed', customfield_10016: 8 });
    expect(
      await call('jira_update_issue', { issue_key: 'ENG-1', fields: { 'No Such Field': 1 } }),
    ).toMatchObject({ ok: false, error: { type: 'validation', error: 'Unknown field "No Such Field"' } });
    expect(await call('jira_update_issue', { issue_key: 'ENG-1', fields: {} })).toMatchObject({
      ok: false,
      error: { type: 'validation' },
    });
  });

  it('jira_get_transitions and jira_transition_issue (by id or name, with a Markdown comment)', async () => {
    expect(await call('jira_get_transitions', { issue_key: 'ENG-1' })).toMatchObject({
      ok: true,
      data: {
        transitions: [
          { id: '11', name: 'To Do', to_status: 'To Do' },
          { id: '21' },
          { id: '31', name: 'Done' },
        ],
      },
    });
    expect(
      await call('jira_transition_issue', {
        issue_key: 'ENG-1',
        transition_id: '21',
        comment: 'Started *now*',
      }),
    ).toMatchObject({ ok: true });
    expect(await call('jira_transition_issue', { issue_key: 'ENG-1', transition_id: 'done' })).toMatchObject({
      ok: true,
      data: { transition_id: '31' },
    });
    expect(fake.state.issues.get('ENG-1')!.fields['status']).toMatchObject({ name: 'Done' });
    expect(
      await call('jira_transition_issue', { issue_key: 'ENG-1', transition_id: 'Reopen' }),
    ).toMatchObject({ ok: false, error: { type: 'validation', hint: expect.stringContaining('31 Done') } });
    expect(await call('jira_get_changelog', { issue_key: 'ENG-1' })).toMatchObject({
      ok: true,
      data: {
        changes: [
          { items: [{ field: 'status', from: 'To Do', to: 'In Progress' }] },
          { items: [{ to: 'Done' }] },
        ],
        truncated: false,
      },
    });
  });

  it('jira_assign_issue takes an account id, a name, me or unassigned', async () => {
    expect(await call('jira_assign_issue', { issue_key: 'ENG-1', account_id: 'Bob Builder' })).toMatchObject({
      ok: true,
      data: { account_id: '5b10ac8d82e05b22cc7d4ef5' },
    });
    expect(await call('jira_assign_issue', { issue_key: 'ENG-1', account_id: 'me' })).toMatchObject({
      ok: true,
      data: { account_id: '5b10a2844c20165700ede21g' },
    });
    expect(await call('jira_assign_issue', { issue_key: 'ENG-1', account_id: 'unassigned' })).toMatchObject({
      ok: true,
      data: { account_id: null },
    });
    expect(fake.state.issues.get('ENG-1')!.fields['assignee']).toBeNull();
    expect(
      await call('jira_assign_issue', { issue_key: 'ENG-1', account_id: 'nobody-like-this' }),
    ).toMatchObject({ ok: false, error: { type: 'not_found' } });
  });

  it('jira_delete_issue refuses an issue with subtasks unless asked', async () => {
    fake.addIssue('ENG', { summary: 'sub', issuetype: { name: 'Subtask' }, parent: { key: 'ENG-1' } });
    expect(await call('jira_delete_issue', { issue_key: 'ENG-1' })).toMatchObject({
      ok: false,
      error: { type: 'validation', error: expect.stringContaining('subtasks') },
    });
    expect(await call('jira_delete_issue', { issue_key: 'ENG-1', delete_subtasks: true })).toMatchObject({
      ok: true,
    });
    expect(fake.state.issues.has('ENG-1')).toBe(false);
    expect(fake.state.issues.has('ENG-3')).toBe(false);
  });
});

describe('bulk create', () => {
  it('sends 120 issues as requests of 50, 50 and 20, with one result per input issue', async () => {
    const issues = Array.from({ length: 120 }, (_, i) => ({
      summary: `Task ${i}`,
      description: `Step **${i}**`,
    }));
    issues[7] = { summary: 'Bad one', issue_type: 'Bug' } as never;
    const r = await call<{
      created: number;
      failed: number;
      results: { index: number; key?: string; error?: string }[];
    }>('jira_create_issues_bulk', { issues: JSON.stringify(issues) });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const posts = fake.sent('POST', /^\/rest\/api\/3\/issue\/bulk$/);
    expect(posts.map((p) => (JSON.parse(p.body) as { issueUpdates: unknown[] }).issueUpdates.length)).toEqual(
      [50, 50, 20],
    );
    expect(r.data.created).toBe(119);
    expect(r.data.failed).toBe(1);
    expect(r.data.results.length).toBe(120);
    expect(r.data.results[7]).toMatchObject({ index: 7, error: expect.stringContaining('priority') });
    expect(r.data.results[0]).toMatchObject({ index: 0, key: 'ENG-3' });
    expect(r.data.results[8]).toMatchObject({ index: 8, key: 'ENG-10' });
    expect(r.data.results[119]).toMatchObject({ index: 119, key: 'ENG-121' });
  });

  it('a bad item (no project anywhere) is refused before any request', async () => {
    await s.close();
    s = await connectJira(fake);
    const before = fake.requests.length;
    expect(
      await call('jira_create_issues_bulk', {
        issues: [{ project_key: 'ENG', summary: 'a' }, { summary: 'b' }],
      }),
    ).toMatchObject({ ok: false, error: { type: 'validation', error: 'issues[1]: no project_key' } });
    expect(await call('jira_create_issues_bulk', { issues: '[{"summary": ""}]' })).toMatchObject({
      ok: false,
      error: { type: 'validation' },
    });
    expect(fake.requests.length).toBe(before);
  });
});

describe('comments', () => {
  it('add, list (Markdown out), edit, delete', async () => {
    const added = await call<{ id: string }>('jira_add_comment', {
      issue_key: 'ENG-1',
      comment: 'Looks good:\n\n1. one\n2. two',
      rich_text: false,
    });
    expect(added).toMatchObject({
      ok: true,
      data: { author: { display_name: 'Alice Admin' }, body: 'Looks good:\n\n1. one\n2. two' },
    });
    const id = added.ok ? added.data.id : '';
    await call('jira_add_comment', { issue_key: 'ENG-1', comment: 'second' });
    expect(await call('jira_get_comments', { issue_key: 'ENG-1', limit: 1 })).toMatchObject({
      ok: true,
      data: { comments: [{ body: 'Looks good:\n\n1. one\n2. two' }], total: 2, truncated: true },
    });
    expect(await call('jira_get_comments', { issue_key: 'ENG-1', newest_first: true })).toMatchObject({
      ok: true,
      data: { comments: [{ body: 'second' }, {}], truncated: false },
    });
    expect(
      await call('jira_edit_comment', { issue_key: 'ENG-1', comment_id: id, comment: 'Edited ~~old~~' }),
    ).toMatchObject({ ok: true, data: { body: 'Edited ~~old~~' } });
    expect(await call('jira_delete_comment', { issue_key: 'ENG-1', comment_id: Number(id) })).toMatchObject({
      ok: true,
    });
    expect(await call('jira_delete_comment', { issue_key: 'ENG-1', comment_id: id })).toMatchObject({
      ok: false,
      error: { type: 'not_found' },
    });
    expect(
      await call('jira_edit_comment', { issue_key: 'ENG-1', comment_id: '../x', comment: 'x' }),
    ).toMatchObject({ ok: false, error: { type: 'validation' } });
  });
});

describe('users, projects and fields', () => {
  it('jira_get_current_user and jira_search_users (plain and assignable)', async () => {
    expect(await call('jira_get_current_user')).toMatchObject({
      ok: true,
      data: {
        account_id: '5b10a2844c20165700ede21g',
        display_name: 'Alice Admin',
        time_zone: 'Europe/Berlin',
      },
    });
    expect(await call('jira_search_users', { query: 'bob' })).toMatchObject({
      ok: true,
      data: { users: [{ display_name: 'Bob Builder' }, { display_name: 'Bob Marley' }] },
    });
    expect(await call('jira_search_users', { query: 'carol', project_key: 'ENG' })).toMatchObject({
      ok: true,
      data: { users: [{ email: 'carol@example.com' }] },
    });
    expect(fake.sent('GET', /\/user\/assignable\/search\?.*project=ENG/).length).toBe(1);
  });

  it('jira_get_projects, issue types, creatable types with required fields, create metadata', async () => {
    expect(await call('jira_get_projects')).toMatchObject({
      ok: true,
      data: { projects: [{ key: 'ENG' }, { key: 'OPS' }, { key: 'WEB' }], truncated: false },
    });
    expect(fake.sent('GET', /^\/rest\/api\/3\/project\?/)).toEqual([]);
    const types = await call<{ issue_types: { id: string; name: string }[] }>(
      'jira_get_project_issue_types',
      { project_key: 'ENG' },
    );
    expect(types.ok && types.data.issue_types.map((t) => t.name)).toEqual([
      'Task',
      'Bug',
      'Story',
      'Epic',
      'Subtask',
    ]);
    expect(await call('jira_get_creatable_issue_types', { project_key: 'ENG' })).toMatchObject({
      ok: true,
      data: {
        issue_types: expect.arrayContaining([
          expect.objectContaining({
            name: 'Bug',
            required_fields: expect.arrayContaining([
              { key: 'customfield_10030', name: 'Severity', allowed_values: ['Minor', 'Major', 'Critical'] },
            ]),
          }),
        ]),
      },
    });
    expect(fake.sent('GET', /createmeta\?/)).toEqual([]);
    expect(
      await call('jira_get_create_metadata', { project_key: 'ENG', issue_type_id: '100002' }),
    ).toMatchObject({
      ok: true,
      data: {
        fields: expect.arrayContaining([
          {
            key: 'priority',
            name: 'Priority',
            required: true,
            type: 'priority',
            allowed_values: ['Highest', 'High', 'Medium', 'Low', 'Lowest'],
          },
        ]),
      },
    });
    expect(await call('jira_get_project_issue_types', { project_key: 'SEC' })).toMatchObject({
      ok: false,
      error: { type: 'forbidden', status_code: 403 },
    });
  });

  it('jira_search_fields, versions, components', async () => {
    expect(await call('jira_search_fields', { query: 'story points' })).toMatchObject({
      ok: true,
      data: { fields: [{ id: 'customfield_10016', name: 'Story Points', custom: true }] },
    });
    expect(await call('jira_get_project_versions', { project_key: 'ENG' })).toMatchObject({
      ok: true,
      data: {
        versions: [
          { name: '1.0', released: true, release_date: '2026-01-15' },
          { name: '1.1', released: false },
        ],
      },
    });
    expect(await call('jira_get_project_components', { project_key: 'ENG' })).toMatchObject({
      ok: true,
      data: { components: [{ name: 'API', description: 'The public API' }, { name: 'Web' }] },
    });
  });
});

describe('links, watchers, worklogs, attachments', () => {
  it('jira_link_issues validates the type; link types; remote links (a GitHub PR) update in place', async () => {
    expect(
      await call('jira_link_issues', { inward_issue: 'ENG-2', outward_issue: 'ENG-1', link_type: 'blocks' }),
    ).toMatchObject({ ok: true, data: { link_type: 'Blocks', text: 'ENG-1 blocks ENG-2' } });
    expect(fake.state.links).toMatchObject([{ type: { name: 'Blocks' }, inward: 'ENG-2', outward: 'ENG-1' }]);
    expect(
      await call('jira_link_issues', { inward_issue: 'ENG-2', outward_issue: 'ENG-1', link_type: 'Blockz' }),
    ).toMatchObject({
      ok: false,
      error: { type: 'validation', hint: 'Link types: Blocks, Cloners, Duplicate, Relates' },
    });
    expect(await call('jira_get_link_types')).toMatchObject({
      ok: true,
      data: {
        link_types: expect.arrayContaining([
          { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
        ]),
      },
    });
    const pr = {
      issue_key: 'ENG-1',
      url: 'https://github.com/acme/api/pull/42',
      title: 'PR #42',
      relationship: 'implemented in',
    };
    expect(await call('jira_add_remote_link', pr)).toMatchObject({ ok: true });
    expect(await call('jira_add_remote_link', { ...pr, title: 'PR #42: rate limiting' })).toMatchObject({
      ok: true,
    });
    expect(await call('jira_get_remote_links', { issue_key: 'ENG-1' })).toMatchObject({
      ok: true,
      data: { links: [{ title: 'PR #42: rate limiting', url: pr.url, relationship: 'implemented in' }] },
    });
    expect(await call('jira_add_remote_link', { ...pr, url: 'javascript:alert(1)' })).toMatchObject({
      ok: false,
      error: { type: 'validation' },
    });
  });

  it('jira_set_parent reads back; jira_get_epic_children lists by parent', async () => {
    const epic = fake.addIssue('ENG', { summary: 'Epic', issuetype: { name: 'Epic' } });
    expect(await call('jira_set_parent', { issue_key: 'ENG-1', parent_key: epic })).toMatchObject({
      ok: true,
      data: { parent: epic },
    });
    expect(await call('jira_set_parent', { issue_key: 'ENG-2', parent_key: epic })).toMatchObject({
      ok: true,
    });
    expect(await call('jira_get_epic_children', { issue_key: epic })).toMatchObject({
      ok: true,
      data: { issues: [{ key: 'ENG-1', parent: epic }, { key: 'ENG-2' }], truncated: false },
    });
  });

  it('jira_get_watchers and jira_add_watcher (a JSON string body, as the API describes)', async () => {
    expect(
      await call('jira_add_watcher', { issue_key: 'ENG-1', account_id: 'bob@example.com' }),
    ).toMatchObject({ ok: true, data: { account_id: '5b10ac8d82e05b22cc7d4ef5' } });
    expect(fake.sent('POST', /\/watchers$/)[0]!.body).toBe('"5b10ac8d82e05b22cc7d4ef5"');
    expect(await call('jira_get_watchers', { issue_key: 'ENG-1' })).toMatchObject({
      ok: true,
      data: {
        watch_count: 2,
        is_watching: true,
        watchers: [{ display_name: 'Alice Admin' }, { display_name: 'Bob Builder' }],
      },
    });
  });

  it('jira_add_worklog parses durations; jira_get_worklogs sums them', async () => {
    expect(
      await call('jira_add_worklog', {
        issue_key: 'ENG-1',
        time_spent: '1h 30m',
        comment: 'Pairing on *limits*',
        started: '2026-01-02T09:00:00Z',
      }),
    ).toMatchObject({ ok: true, data: { time_spent_seconds: 5400, comment: 'Pairing on *limits*' } });
    expect(await call('jira_add_worklog', { issue_key: 'ENG-1', time_spent: '45' })).toMatchObject({
      ok: true,
      data: { time_spent_seconds: 2700 },
    });
    expect(await call('jira_add_worklog', { issue_key: 'ENG-1', time_spent: 'a while' })).toMatchObject({
      ok: false,
      error: { type: 'validation' },
    });
    expect(await call('jira_get_worklogs', { issue_key: 'ENG-1' })).toMatchObject({
      ok: true,
      data: { total: 2, total_seconds: 8100 },
    });
    expect(JSON.parse(fake.sent('POST', /\/worklog$/)[0]!.body)).toMatchObject({
      started: '2026-01-02T09:00:00.000+0000',
      timeSpentSeconds: 5400,
    });
  });

  it('attachments: upload text and base64, list, read a text one, refuse binary and oversize', async () => {
    expect(
      await call('jira_add_attachment', {
        issue_key: 'ENG-1',
        filename: 'notes.md',
        content: '# Notes\nhéllo',
        mime_type: 'text/markdown',
      }),
    ).toMatchObject({ ok: true, data: { attachments: [{ filename: 'notes.md', size: 14 }] } });
    expect(
      await call('jira_add_attachment', {
        issue_key: 'ENG-1',
        filename: 'data.json',
        content: Buffer.from('{"a":1}').toString('base64'),
        encoding: 'base64',
        mime_type: 'application/json',
      }),
    ).toMatchObject({ ok: true });
    expect(
      await call('jira_add_attachment', { issue_key: 'ENG-1', filename: '../etc/passwd', content: 'x' }),
    ).toMatchObject({ ok: false, error: { type: 'validation' } });
    expect(
      await call('jira_add_attachment', {
        issue_key: 'ENG-1',
        filename: 'a.bin',
        content: 'not base64!',
        encoding: 'base64',
      }),
    ).toMatchObject({ ok: false, error: { type: 'validation' } });
    const list = await call<{ attachments: { id: string; filename: string }[] }>('jira_get_attachments', {
      issue_key: 'ENG-1',
    });
    expect(list.ok && list.data.attachments.map((a) => a.filename)).toEqual(['notes.md', 'data.json']);
    const ids = list.ok ? list.data.attachments.map((a) => a.id) : [];
    expect(await call('jira_read_attachment', { attachment_id: ids[0] })).toMatchObject({
      ok: true,
      data: { content: '# Notes\nhéllo', truncated: false },
    });
    expect(await call('jira_read_attachment', { attachment_id: ids[1] })).toMatchObject({
      ok: true,
      data: { content: '{"a":1}' },
    });
    await call('jira_add_attachment', {
      issue_key: 'ENG-1',
      filename: 'p.png',
      content: 'iVBORw0KGgo=',
      encoding: 'base64',
      mime_type: 'image/png',
    });
    const png = [...fake.state.issues.get('ENG-1')!.attachments].pop()!;
    expect(await call('jira_read_attachment', { attachment_id: png.id })).toMatchObject({
      ok: false,
      error: { type: 'validation', error: 'p.png is image/png, not text' },
    });
  });
});

describe('agile', () => {
  it('jira_get_boards, jira_get_active_sprints (a Kanban board says so), jira_add_to_sprint, jira_move_to_backlog', async () => {
    expect(await call('jira_get_boards')).toMatchObject({
      ok: true,
      data: {
        boards: [
          { id: 1, type: 'scrum', project_key: 'ENG' },
          { id: 3, type: 'kanban' },
        ],
      },
    });
    expect(await call('jira_get_active_sprints', { board_id: '1' })).toMatchObject({
      ok: true,
      data: { sprints: [{ id: 10, name: 'ENG Sprint 2', state: 'active', goal: 'Ship rate limiting' }] },
    });
    expect(await call('jira_get_active_sprints', { board_id: 2 })).toMatchObject({
      ok: true,
      data: { sprints: [], note: expect.stringContaining('Kanban') },
    });
    expect(
      await call('jira_add_to_sprint', { sprint_id: 11, issue_keys: '["ENG-1","ENG-2"]' }),
    ).toMatchObject({ ok: true });
    expect(fake.state.issues.get('ENG-2')!.fields['customfield_10020']).toEqual([{ id: 11 }]);
    expect(await call('jira_add_to_sprint', { sprint_id: 9, issue_keys: ['ENG-1'] })).toMatchObject({
      ok: false,
      error: { type: 'validation', error: 'Jira: Issues can only be moved to open or active sprints.' },
    });
    expect(await call('jira_move_to_backlog', { issue_keys: ['ENG-2'] })).toMatchObject({ ok: true });
    expect(fake.state.issues.get('ENG-2')!.fields['customfield_10020']).toBeNull();
  });

  it('jira_add_issue_to_active_sprint picks the board deterministically and says so; Kanban-only is a clear error', async () => {
    expect(await call('jira_add_issue_to_active_sprint', { issue_key: 'ENG-1' })).toMatchObject({
      ok: true,
      data: {
        sprint_id: 10,
        sprint_name: 'ENG Sprint 2',
        board_id: 1,
        board_name: 'ENG board',
        note: expect.stringContaining('ENG has 2 boards (1 ENG board, 3 ENG triage); used board 1'),
      },
    });
    expect(await call('jira_search_issues', { jql: 'sprint in openSprints()' })).toMatchObject({
      ok: true,
      data: { issues: [{ key: 'ENG-1' }] },
    });
    expect(await call('jira_add_issue_to_active_sprint', { issue_key: 'OPS-1' })).toMatchObject({
      ok: false,
      error: {
        type: 'validation',
        error: 'Project OPS has only Kanban boards (2 OPS board), which have no sprints',
      },
    });
    expect(
      await call('jira_add_issue_to_active_sprint', { issue_key: 'ENG-1', project_key: 'WEB' }),
    ).toMatchObject({
      ok: false,
      error: { type: 'not_found', error: 'No active sprint found for project WEB' },
    });
  });
});
