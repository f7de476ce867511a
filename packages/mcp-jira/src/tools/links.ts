import { ToolError, z, type ToolContext } from '@org/mcp-core';
import { jiraCall, type Deps } from '../deps.js';
import { issueKeyField, jqlString, seg } from '../jira/keys.js';
import { IssueSummary, LEAN_FIELDS, toIssueSummary } from './shared.js';
import { tool } from './tool.js';

const LinkType = z.object({ id: z.string(), name: z.string(), inward: z.string(), outward: z.string() });

async function linkTypes(ctx: ToolContext<Deps>) {
  const r = await jiraCall(ctx, (j) => j.v3.issueLinkTypes.getIssueLinkTypes());
  return (r.issueLinkTypes ?? []).map((t) => ({
    id: String(t.id),
    name: String(t.name),
    inward: String(t.inward),
    outward: String(t.outward),
  }));
}

export const getLinkTypes = tool({
  name: 'jira_get_link_types',
  toolset: 'links',
  title: 'Issue link types',
  description:
    'The issue link types of this Jira (e.g. Blocks: "blocks" / "is blocked by"), for jira_link_issues.',
  input: z.object({}),
  output: z.object({ link_types: z.array(LinkType) }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler(_input, ctx) {
    return { link_types: await linkTypes(ctx) };
  },
});

export const linkIssues = tool({
  name: 'jira_link_issues',
  toolset: 'links',
  title: 'Link issues',
  description:
    'Links two issues: `outward_issue` <outward> `inward_issue`; with link_type "Blocks", the outward issue blocks the inward one. The type is checked against the link types (by name, inward or outward description), so a typo fails listing the valid ones.',
  input: z.object({
    inward_issue: issueKeyField('The issue on the inward side (e.g. the blocked one)'),
    outward_issue: issueKeyField('The issue on the outward side (e.g. the blocking one)'),
    link_type: z
      .string()
      .trim()
      .min(1)
      .default('Relates')
      .describe('Link type name (default Relates), e.g. Blocks, Duplicate'),
  }),
  output: z.object({
    success: z.literal(true),
    link_type: z.string(),
    text: z.string().describe('The link in words'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ inward_issue, outward_issue, link_type }, ctx) {
    ctx.deps.filter.assertIssue(inward_issue);
    ctx.deps.filter.assertIssue(outward_issue);
    const types = await linkTypes(ctx);
    const want = link_type.toLowerCase();
    const type =
      types.find((t) => t.name.toLowerCase() === want) ??
      types.find((t) => t.outward.toLowerCase() === want || t.inward.toLowerCase() === want);
    if (!type)
      throw ToolError.validation(
        `Unknown link type "${link_type}"`,
        `Link types: ${types.map((t) => t.name).join(', ')}`,
      );
    await jiraCall(ctx, (j) =>
      j.v3.issueLinks.linkIssues({
        type: { name: type.name },
        inwardIssue: { key: inward_issue },
        outwardIssue: { key: outward_issue },
      }),
    );
    return {
      success: true as const,
      link_type: type.name,
      text: `${outward_issue} ${type.outward} ${inward_issue}`,
    };
  },
});

export const addRemoteLink = tool({
  name: 'jira_add_remote_link',
  toolset: 'links',
  title: 'Add remote link',
  description:
    'Links a web page to an issue, e.g. a GitHub pull request or branch. Calling it again with the same URL updates the link instead of adding a second one.',
  input: z.object({
    issue_key: issueKeyField(),
    url: z.url({ protocol: /^https?$/ }).describe('The http(s) URL'),
    title: z.string().trim().min(1).max(255).describe('Link text, e.g. "PR #42: Add rate limiting"'),
    summary: z.string().max(1000).optional().describe('A line shown under the title'),
    relationship: z.string().max(100).optional().describe('e.g. "implemented in", "mentioned in"'),
  }),
  output: z.object({ success: z.literal(true), id: z.number().int() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ issue_key, url, title, summary, relationship }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    const github = /^https:\/\/github\.com\//.test(url);
    const r = await jiraCall(ctx, (j) =>
      j.v3.issueRemoteLinks.createOrUpdateRemoteIssueLink({
        issueIdOrKey: seg(issue_key),
        globalId: `url=${url}`,
        ...(relationship ? { relationship } : {}),
        ...(github ? { application: { name: 'GitHub', type: 'com.github' } } : {}),
        object: { url, title, ...(summary ? { summary } : {}) },
      }),
    );
    return { success: true as const, id: Number(r.id) };
  },
});

export const getRemoteLinks = tool({
  name: 'jira_get_remote_links',
  toolset: 'links',
  title: 'Remote links',
  description: 'The web links of an issue (GitHub PRs, branches, documents): id, title, URL, relationship.',
  input: z.object({ issue_key: issueKeyField() }),
  output: z.object({
    links: z.array(
      z.object({
        id: z.number().int(),
        title: z.string(),
        url: z.string(),
        relationship: z.string().optional(),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ issue_key }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    const links = await jiraCall(ctx, (j) =>
      j.v3.issueRemoteLinks.getRemoteIssueLinks({ issueIdOrKey: seg(issue_key) }),
    );
    const list = Array.isArray(links) ? links : [links];
    return {
      links: list.slice(0, 200).map((l) => ({
        id: Number(l.id),
        title: String(l.object?.title ?? ''),
        url: String(l.object?.url ?? ''),
        ...(l.relationship ? { relationship: l.relationship } : {}),
      })),
    };
  },
});

export const setParent = tool({
  name: 'jira_set_parent',
  toolset: 'links',
  title: 'Set parent (epic)',
  description:
    'Sets the parent of an issue: its epic, or the parent task of a subtask (the Cloud `parent` field; the old Epic Link field is gone). Reads the issue back to confirm the change took, since Jira can accept it silently without applying it.',
  input: z.object({ issue_key: issueKeyField(), parent_key: issueKeyField('The new parent (epic) key') }),
  output: z.object({ success: z.literal(true), key: z.string(), parent: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ issue_key, parent_key }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    ctx.deps.filter.assertIssue(parent_key);
    await jiraCall(ctx, (j) =>
      j.v3.issues.editIssue({
        issueIdOrKey: seg(issue_key),
        fields: { parent: { key: parent_key } },
      } as never),
    );
    const after = await jiraCall(ctx, (j) =>
      j.v3.issues.getIssue({ issueIdOrKey: seg(issue_key), fields: ['parent'] }),
    );
    const now = (after.fields as { parent?: { key?: string } } | undefined)?.parent?.key;
    if (now !== parent_key) {
      throw new ToolError(
        'conflict',
        `Jira accepted the change but ${issue_key}'s parent is ${now ?? 'unset'}`,
        {
          hint: 'The parent field may not be on the edit screen of this issue type, or the types cannot be nested.',
        },
      );
    }
    return { success: true as const, key: issue_key, parent: parent_key };
  },
});

export const getEpicChildren = tool({
  name: 'jira_get_epic_children',
  toolset: 'links',
  title: 'Children of an epic',
  description:
    "The issues whose parent is the given issue (an epic's stories and tasks, or a task's subtasks), lean, up to `limit` (default 50).",
  input: z.object({
    issue_key: issueKeyField('The epic or parent key'),
    limit: z.number().int().min(1).max(100).default(50).describe('At most this many (default 50)'),
  }),
  output: z.object({ issues: z.array(IssueSummary), truncated: z.boolean() }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ issue_key, limit }, ctx) {
    ctx.deps.filter.assertIssue(issue_key);
    const jql = ctx.deps.filter.confine(`parent = ${jqlString(issue_key)} ORDER BY key ASC`);
    const page = await jiraCall(ctx, (j) =>
      j.v3.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({
        jql,
        maxResults: limit,
        fields: LEAN_FIELDS,
      }),
    );
    const base = ctx.deps.config.JIRA_BASE_URL;
    return {
      issues: ctx.deps.filter
        .keep((page.issues ?? []) as never[])
        .map((i) => toIssueSummary(i as never, base)),
      truncated: Boolean(page.nextPageToken),
    };
  },
});
