import { z } from '@org/mcp-core';
import { jiraCall } from '../deps.js';
import { issueKeyField, seg } from '../jira/keys.js';
import { UserRef, resolveUser, toUser } from './shared.js';
import { tool } from './tool.js';

export const getWatchers = tool({
  name: 'jira_get_watchers',
  toolset: 'watchers',
  title: 'Get watchers',
  description: 'Who watches an issue, and whether the current user does.',
  input: z.object({ issue_key: issueKeyField() }),
  output: z.object({ watch_count: z.number().int(), is_watching: z.boolean(), watchers: z.array(UserRef) }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ issue_key }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    const w = await jiraCall(ctx, (j) =>
      j.v3.issueWatchers.getIssueWatchers({ issueIdOrKey: seg(issue_key) }),
    );
    return {
      watch_count: w.watchCount ?? 0,
      is_watching: w.isWatching ?? false,
      watchers: (w.watchers ?? []).map(toUser).filter((u): u is NonNullable<typeof u> => u !== null),
    };
  },
});

export const addWatcher = tool({
  name: 'jira_add_watcher',
  toolset: 'watchers',
  title: 'Add watcher',
  description:
    'Adds a watcher to an issue. `account_id` takes an account id, an email, a display name or "me".',
  input: z.object({
    issue_key: issueKeyField(),
    account_id: z.string().trim().min(1).describe('Account id, email, display name or "me"'),
  }),
  output: z.object({ success: z.literal(true), account_id: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ issue_key, account_id }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    const id = await resolveUser(ctx, account_id);
    // The API takes the account id as a JSON string body; quoting it here keeps axios from
    // sending an id that happens to parse as JSON (digits only) as a bare number.
    await jiraCall(ctx, (j) =>
      j.v3.issueWatchers.addWatcher({ issueIdOrKey: seg(issue_key), accountId: JSON.stringify(id) }),
    );
    return { success: true as const, account_id: id };
  },
});
