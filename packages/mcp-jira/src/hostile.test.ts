// Randomized hostile calls (fixed seed, bounded count) to every Jira tool against the local fake:
// the server keeps answering, every answer is a result or a well-formed envelope, a rejected call
// leaves no accepted write behind, and nothing sent violates Atlassian's OpenAPI description.
import { acceptedWrites, runHostileCalls } from '@org/mcp-core/testing';
import { startFakeJira } from '../test/fake-jira/index.js';
import { connectJira } from '../test/session.js';

it('hostile calls never wedge, crash or half-write the server', { timeout: 180_000 }, async () => {
  const fake = await startFakeJira();
  const keys = [
    fake.addIssue('ENG', { summary: 'Add rate limiting' }),
    fake.addIssue('ENG', { summary: 'Write docs', issuetype: { name: 'Story' } }),
  ];
  const s = await connectJira(fake, { JIRA_PROJECT_KEY: 'ENG' }, 'debug');
  const report = await runHostileCalls(s.client, {
    seed: 18,
    callsPerTool: 8,
    known: {
      issue_key: keys,
      issue_keys: [keys],
      parent_key: keys,
      project_key: ['ENG'],
      project: ['ENG'],
      issue_type: ['Task', 'Story'],
      summary: ['A summary'],
      jql: ['project = ENG', 'status = "To Do" ORDER BY created DESC'],
    },
    // Searches sent as POST do not count.
    snapshot: () => acceptedWrites(fake.requests, /\/search(\/jql)?(\?|$)|\/search\/approximate-count/),
  });
  await s.close();
  const violations = [...fake.violations];
  await fake.close();
  expect(report.problems).toEqual([]);
  expect(violations).toEqual([]);
  expect(report.calls).toBeGreaterThan(250);
  expect(report.types['validation']).toBeGreaterThan(100);
  expect(report.accepted).toBeGreaterThan(10);
});
