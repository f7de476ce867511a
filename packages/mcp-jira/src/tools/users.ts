import { ToolError, z } from '@org/mcp-core';
import { jiraCall } from '../deps.js';
import { issueKeyField, projectKeyField } from '../jira/keys.js';
import { UserRef, toUser } from './shared.js';
import { tool } from './tool.js';

export const getCurrentUser = tool({
  name: 'jira_get_current_user',
  toolset: 'users',
  title: 'Current user',
  description: 'The Jira account this server acts as: account id, display name, email, time zone.',
  input: z.object({}),
  output: UserRef.extend({ time_zone: z.string().optional() }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler(_input, ctx) {
    const me = await jiraCall(ctx, (j) => j.v3.myself.getCurrentUser());
    return { ...toUser(me)!, ...(me.timeZone ? { time_zone: me.timeZone } : {}) };
  },
});

export const searchUsers = tool({
  name: 'jira_search_users',
  toolset: 'users',
  title: 'Search users',
  description:
    'Users matching a name or email prefix, with their account ids (Cloud assignments and watchers need account ids). With `project_key` or `issue_key`, only users who can be assigned there. Up to `limit` (default 20).',
  input: z.object({
    query: z.string().trim().min(1).max(200).describe('Part of a display name, or the start of an email'),
    project_key: projectKeyField('Only users assignable in this project').optional(),
    issue_key: issueKeyField('Only users assignable to this issue').optional(),
    limit: z.number().int().min(1).max(50).default(20).describe('At most this many users (default 20)'),
  }),
  output: z.object({ users: z.array(UserRef) }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ query, project_key, issue_key, limit }, ctx) {
    if (project_key) ctx.deps.filter.assertProject(project_key);
    if (issue_key) ctx.deps.filter.assertIssue(issue_key);
    if (project_key && issue_key) throw ToolError.validation('Give project_key or issue_key, not both');
    const users = await jiraCall(ctx, (j) =>
      project_key || issue_key
        ? j.v3.userSearch.findAssignableUsers({
            query,
            maxResults: limit,
            ...(issue_key ? { issueKey: issue_key } : { project: project_key! }),
          })
        : j.v3.userSearch.findUsers({ query, maxResults: limit }),
    );
    return { users: users.map(toUser).filter((u): u is NonNullable<typeof u> => u !== null) };
  },
});
