import { defineToolsets } from '@org/mcp-core';

/** The toolsets of the Frappe server (MCP_TOOLSETS); all but `workflow_actions` and `methods` are on by default. */
export const TOOLSETS = defineToolsets({
  documents: {
    description: 'Documents: get, permission-checked lists and counts, create, update, delete',
    default: true,
  },
  schema: {
    description: 'DocType meta (fields, types, links, child tables) and link-field search',
    default: true,
  },
  workflow: {
    description: 'Submit and cancel submittable documents (docstatus checked first)',
    default: true,
  },
  reports: {
    description: 'Query and script reports, prepared (background) reports waited for',
    default: true,
  },
  workflow_actions: {
    description:
      "Frappe Workflow actions: the transitions open to the user from a document's state, and applying one (approve, reject, …)",
    default: false,
  },
  methods: {
    description: 'Call a whitelisted method listed in FRAPPE_METHODS_ALLOW (none by default)',
    default: false,
  },
});

/** A toolset id of the Frappe server. */
export type Toolset = keyof typeof TOOLSETS;
