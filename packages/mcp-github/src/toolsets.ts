import { defineToolsets } from '@org/mcp-core';

/** The toolsets of the GitHub server (MCP_TOOLSETS); `releases` is opt-in. */
export const TOOLSETS = defineToolsets({
  repos: {
    description: 'Repositories, files, branches, commits and atomic multi-file commits',
    default: true,
  },
  issues: { description: 'Issues and their comments', default: true },
  pull_requests: { description: 'Pull requests: open, read, merge', default: true },
  search: { description: 'Code, issue and repository search', default: true },
  releases: { description: 'Releases: list, read, create, update', default: false },
});

/** A toolset id of the GitHub server. */
export type Toolset = keyof typeof TOOLSETS;
