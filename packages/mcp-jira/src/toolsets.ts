import { defineToolsets } from '@org/mcp-core';

/** The toolsets of the Jira server (MCP_TOOLSETS); issues, comments and users are on by default. */
export const TOOLSETS = defineToolsets({
  issues: {
    description: 'Read, search, create, update, transition, assign and delete issues; JQL; history',
    default: true,
  },
  comments: { description: 'Issue comments: list, add, edit, delete (Markdown in and out)', default: true },
  users: { description: 'The current user and user search (account ids for assignments)', default: true },
  projects: {
    description: 'Projects, issue types, create metadata, fields, versions and components',
    default: false,
  },
  bulk: { description: 'Bulk issue creation (chunked by 50, one result per input issue)', default: false },
  links: {
    description: 'Issue links, link types, remote links (GitHub PRs and branches), parents and epic children',
    default: false,
  },
  watchers: { description: 'Issue watchers: list and add', default: false },
  agile: {
    description: 'Boards and sprints: list, add issues to a sprint or the active sprint, move to backlog',
    default: false,
  },
  worklogs: { description: 'Work logged on issues: list and add', default: false },
  attachments: {
    description: 'Attachments: upload from text or base64, list, read a text attachment',
    default: false,
  },
});

/** A toolset id of the Jira server. */
export type Toolset = keyof typeof TOOLSETS;
