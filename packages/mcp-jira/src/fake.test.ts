// The fake's own checks can fail: requests the real API would reject are recorded as violations.
import { startFakeJira, type FakeJira } from '../test/fake-jira/index.js';

let fake: FakeJira;
beforeEach(async () => {
  fake = await startFakeJira();
  fake.addIssue('ENG', { summary: 'x' });
});
afterEach(() => fake.close());

const send = (method: string, path: string, body?: unknown) =>
  fetch(`${fake.url}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${fake.email}:${fake.token}`).toString('base64')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('the fake Jira rejects what Jira would', () => {
  it.each([
    ['an unknown route', 'GET', '/rest/api/3/issues/ENG-1', undefined, /not an endpoint/],
    ['a wrong method', 'PATCH', '/rest/api/3/issue/ENG-1', {}, /method not allowed/],
    [
      'an unknown query parameter',
      'GET',
      '/rest/api/3/issue/ENG-1?fieldz=summary',
      undefined,
      /unknown query parameter fieldz/,
    ],
    [
      'a non-integer maxResults',
      'GET',
      '/rest/agile/1.0/board?maxResults=ten',
      undefined,
      /maxResults must be an integer/,
    ],
    [
      'a body that breaks the schema',
      'POST',
      '/rest/api/3/issueLink',
      { type: 'Blocks', inwardIssue: { key: 'ENG-1' }, outwardIssue: { key: 'ENG-1' } },
      /body\/type must be object/,
    ],
    [
      'an unknown search property',
      'POST',
      '/rest/api/3/search/jql',
      { jql: 'project = ENG', startAt: 0 },
      /must NOT have additional properties/,
    ],
    [
      'a watcher body that is not a string',
      'POST',
      '/rest/api/3/issue/ENG-1/watchers',
      { accountId: 'x' },
      /body must be string/,
    ],
  ])('%s', async (_name, method, path, body, violation) => {
    const res = await send(method, path, body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(fake.violations.join('\n')).toMatch(violation);
  });

  it('an invalid ADF document (an empty text node) is a violation; a valid one is not', async () => {
    const bad = {
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }],
    };
    expect((await send('POST', '/rest/api/3/issue/ENG-1/comment', { body: bad })).status).toBe(201);
    expect(fake.violations.join('\n')).toMatch(/body\.body is not valid ADF/);
    fake.violations.length = 0;
    const good = {
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'ok' }] }],
    };
    expect((await send('POST', '/rest/api/3/issue/ENG-1/comment', { body: good })).status).toBe(201);
    expect(fake.violations).toEqual([]);
    expect(fake.adfDocuments.length).toBe(2);
  });

  it('answers 401 as text without the right credentials, and 410 on the removed search', async () => {
    const res = await fetch(`${fake.url}/rest/api/3/myself`, {
      headers: { authorization: 'Basic bm9wZTpub3Bl' },
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('Client must be authenticated to access this resource.');
    expect((await send('GET', '/rest/api/3/search?jql=x')).status).toBe(410);
  });
});
