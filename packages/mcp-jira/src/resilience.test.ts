// The projects filter, retries and their limits, Jira's error statuses, and secrecy of the token.
import { callTool } from '@org/mcp-core/testing';
import { startFakeJira, type FakeJira } from '../test/fake-jira/index.js';
import { connectJira, type JiraSession } from '../test/session.js';

let fake: FakeJira;
let s: JiraSession | undefined;
beforeEach(async () => {
  fake = await startFakeJira();
  fake.addIssue('ENG', { summary: 'eng one' });
  fake.addIssue('OPS', { summary: 'ops one' });
  fake.addIssue('WEB', { summary: 'web one' });
});
afterEach(async () => {
  await s?.close();
  s = undefined;
  expect(fake.violations).toEqual([]);
  await fake.close();
});

describe('JIRA_PROJECTS_FILTER', () => {
  it('refuses other projects before sending anything', async () => {
    s = await connectJira(fake, { JIRA_PROJECTS_FILTER: 'eng, ops' });
    const before = fake.requests.length;
    const refused: [string, Record<string, unknown>][] = [
      ['jira_get_issue', { issue_key: 'WEB-1' }],
      ['jira_get_issue', { issue_key: '10002' }],
      ['jira_create_issue', { project_key: 'WEB', summary: 'x' }],
      ['jira_create_issue', { summary: 'no default project' }],
      [
        'jira_create_issues_bulk',
        {
          issues: [
            { project_key: 'ENG', summary: 'a' },
            { project_key: 'WEB', summary: 'b' },
          ],
        },
      ],
      ['jira_update_issue', { issue_key: 'WEB-1', fields: { summary: 'x' } }],
      ['jira_delete_issue', { issue_key: 'WEB-1' }],
      ['jira_transition_issue', { issue_key: 'WEB-1', transition_id: '31' }],
      ['jira_add_comment', { issue_key: 'WEB-1', comment: 'x' }],
      ['jira_link_issues', { inward_issue: 'ENG-1', outward_issue: 'WEB-1' }],
      ['jira_add_to_sprint', { sprint_id: 10, issue_keys: ['ENG-1', 'WEB-1'] }],
      ['jira_add_issue_to_active_sprint', { issue_key: 'WEB-1' }],
      ['jira_get_boards', { project_key: 'WEB' }],
      ['jira_get_project_issue_types', { project_key: 'WEB' }],
      ['jira_add_watcher', { issue_key: 'WEB-1', account_id: 'me' }],
      ['jira_read_attachment', { attachment_id: '1' }],
    ];
    for (const [name, args] of refused) {
      const r = await callTool(s.client, name, args);
      expect(r.ok, `${name} ${JSON.stringify(args)}`).toBe(false);
    }
    expect(fake.requests.length).toBe(before);
    expect(await callTool(s.client, 'jira_get_issue', { issue_key: 'WEB-1' })).toMatchObject({
      ok: false,
      error: { type: 'forbidden', error: 'Issue WEB-1 is outside JIRA_PROJECTS_FILTER (ENG, OPS)' },
    });
  });

  it('confines JQL (no escape through parentheses) and drops results outside', async () => {
    s = await connectJira(fake, { JIRA_PROJECTS_FILTER: 'ENG' });
    const r = await callTool<{ issues: { key: string }[]; jql: string }>(s.client, 'jira_search_issues', {
      jql: 'project = WEB OR project = ENG ORDER BY key ASC',
    });
    expect(r).toMatchObject({
      ok: true,
      data: {
        jql: 'project in ("ENG") AND (project = WEB OR project = ENG) ORDER BY key ASC',
        issues: [{ key: 'ENG-1' }],
      },
    });
    const before = fake.requests.length;
    expect(
      await callTool(s.client, 'jira_search_issues', { jql: 'project = ENG) OR (project = WEB' }),
    ).toMatchObject({ ok: false, error: { type: 'validation', error: 'The JQL has an unmatched ")"' } });
    expect(await callTool(s.client, 'jira_search_issues', { jql: 'summary ~ "unterminated' })).toMatchObject({
      ok: false,
      error: { type: 'validation' },
    });
    expect(fake.requests.length).toBe(before);
    expect(await callTool(s.client, 'jira_get_projects')).toMatchObject({
      ok: true,
      data: { projects: [{ key: 'ENG' }] },
    });
  });
});

describe('retries, rate limits and Jira errors', () => {
  it('retries a read on 429 after Retry-After and on 503, up to JIRA_MAX_RETRIES', async () => {
    s = await connectJira(fake, { JIRA_MAX_RETRIES: '2' });
    fake.failNext(429, { retryAfter: 1, path: /\/issue\/ENG-1/ });
    const t0 = performance.now();
    expect(await callTool(s.client, 'jira_get_issue', { issue_key: 'ENG-1' })).toMatchObject({ ok: true });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
    expect(fake.sent('GET', /\/issue\/ENG-1/).length).toBe(2);
    fake.failNext(503, { count: 3, path: /\/issue\/ENG-1/ });
    expect(await callTool(s.client, 'jira_get_issue', { issue_key: 'ENG-1' })).toMatchObject({
      ok: false,
      error: { type: 'unavailable', status_code: 503, retryable: true },
    });
    expect(fake.sent('GET', /\/issue\/ENG-1/).length).toBe(5);
  });

  it('a Retry-After beyond the wait cap fails at once as rate_limited with the wait in the hint', async () => {
    s = await connectJira(fake);
    fake.failNext(429, { retryAfter: 120 });
    expect(await callTool(s.client, 'jira_get_issue', { issue_key: 'ENG-1' })).toMatchObject({
      ok: false,
      error: {
        type: 'rate_limited',
        status_code: 429,
        retryable: true,
        hint: 'Jira asks to wait 120 s before retrying (Retry-After).',
      },
    });
    expect(fake.sent('GET', /\/issue\/ENG-1/).length).toBe(1);
  });

  it('a write is never sent twice: a create, a comment, a bulk create and a link answered 503 are not retried', async () => {
    s = await connectJira(fake, { JIRA_PROJECT_KEY: 'ENG' });
    const writes: [string, Record<string, unknown>, RegExp][] = [
      ['jira_create_issue', { summary: 'once' }, /^\/rest\/api\/3\/issue$/],
      ['jira_add_comment', { issue_key: 'ENG-1', comment: 'once' }, /\/comment$/],
      ['jira_create_issues_bulk', { issues: [{ summary: 'once' }] }, /\/issue\/bulk$/],
      ['jira_add_worklog', { issue_key: 'ENG-1', time_spent: '1h' }, /\/worklog$/],
    ];
    for (const [name, args, path] of writes) {
      fake.failNext(503, { path });
      const r = await callTool(s.client, name, args);
      if (name === 'jira_create_issues_bulk')
        expect(r).toMatchObject({ ok: true, data: { created: 0, failed: 1 } });
      else expect(r, name).toMatchObject({ ok: false, error: { status_code: 503 } });
      expect(fake.sent('POST', path).length, name).toBe(1);
    }
    // A search is a POST that only reads: it is retried.
    fake.failNext(503, { path: /search\/jql/ });
    expect(await callTool(s.client, 'jira_search_issues', { jql: 'project = ENG' })).toMatchObject({
      ok: true,
    });
    expect(fake.sent('POST', /search\/jql/).length).toBe(2);
  });

  it('401 with a wrong token, 403 on a project without permission, 410 on the removed search endpoint', async () => {
    s = await connectJira(fake, { JIRA_API_TOKEN: 'wrong-token-value' });
    expect(await callTool(s.client, 'jira_get_current_user')).toMatchObject({
      ok: false,
      error: {
        type: 'unauthorized',
        status_code: 401,
        error: 'Jira: Client must be authenticated to access this resource.',
        hint: expect.stringContaining('JIRA_API_TOKEN'),
      },
    });
    await s.close();
    s = await connectJira(fake);
    expect(await callTool(s.client, 'jira_get_project_components', { project_key: 'SEC' })).toMatchObject({
      ok: false,
      error: { type: 'forbidden', status_code: 403 },
    });
    // What the original called: Jira Cloud answers 410 there.
    const old = await fetch(`${fake.url}/rest/api/3/search`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${fake.email}:${fake.token}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: '{"jql":"project = ENG"}',
    });
    expect(old.status).toBe(410);
    expect(((await old.json()) as { errorMessages: string[] }).errorMessages[0]).toContain(
      '/rest/api/3/search/jql',
    );
  });

  it('a connection refused is a connection error; a slow answer times out', async () => {
    const url = fake.url;
    await fake.close();
    fake = await startFakeJira();
    s = await connectJira(fake, { JIRA_BASE_URL: url, JIRA_MAX_RETRIES: '1' });
    expect(await callTool(s.client, 'jira_get_current_user')).toMatchObject({
      ok: false,
      error: { type: 'connection', retryable: true },
    });
    await s.close();
    s = await connectJira(fake, { JIRA_TIMEOUT: '1', JIRA_MAX_RETRIES: '0' });
    fake.stallNext(1500);
    expect(await callTool(s.client, 'jira_get_current_user')).toMatchObject({
      ok: false,
      error: { type: 'timeout', retryable: true },
    });
  });

  it('paces request starts by JIRA_RATE_LIMIT_DELAY', async () => {
    s = await connectJira(fake, { JIRA_RATE_LIMIT_DELAY: '0.2' });
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) await callTool(s.client, 'jira_get_issue', { issue_key: 'ENG-1' });
    // Three starts, at least two gaps of 200 ms.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(390);
  });
});

describe('secrets', () => {
  it('the API token never appears in logs (at trace), errors or outputs', async () => {
    s = await connectJira(fake, { JIRA_PROJECT_KEY: 'ENG' }, 'trace');
    const basic = Buffer.from(`${fake.email}:${fake.token}`).toString('base64');
    const outputs: string[] = [];
    fake.failNext(429, { retryAfter: 500 });
    for (const [name, args] of [
      ['jira_get_issue', { issue_key: 'ENG-1' }],
      ['jira_get_issue', { issue_key: 'ENG-1' }],
      ['jira_get_issue', { issue_key: 'ENG-404' }],
      ['jira_create_issue', { summary: 'x', issue_type: 'Bug' }],
      ['jira_search_issues', { jql: 'bad = 1' }],
      ['jira_get_current_user', {}],
    ] as const) {
      outputs.push(JSON.stringify(await callTool(s.client, name, args)));
    }
    await s.flush();
    const everything = [...outputs, ...s.log].join('\n');
    expect(s.log.length).toBeGreaterThan(5);
    expect(everything).toContain('jira request');
    expect(everything).not.toContain(fake.token);
    expect(everything).not.toContain(basic);
    await s.close();
    s = await connectJira(fake, { JIRA_API_TOKEN: 'another-secret-token' }, 'trace');
    const bad = JSON.stringify(await callTool(s.client, 'jira_get_current_user'));
    await s.flush();
    expect([bad, ...s.log].join('\n')).not.toContain('another-secret-token');
  });
});
