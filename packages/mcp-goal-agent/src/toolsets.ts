import { defineToolsets } from '@org/mcp-core';

/** The toolsets of the goal agent (MCP_TOOLSETS); all are on by default. */
export const TOOLSETS = defineToolsets({
  goals: { description: 'Create, read, list, update and delete goals', default: true },
  tasks: {
    description: 'Break goals into tasks, dependencies, status, claims and next ready tasks',
    default: true,
  },
  planning: {
    description: 'Execution plans (phases, parallel work, critical path) and dependency checks',
    default: true,
  },
  state: { description: 'Store status, and exporting or importing a copy of every goal', default: true },
});

/** A toolset id of the goal agent. */
export type Toolset = keyof typeof TOOLSETS;
