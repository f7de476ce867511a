// The fake Jira's data: projects with issue types and create metadata, issues, users, boards and
// sprints, with a small seed every test starts from.

export interface User {
  accountId: string;
  displayName: string;
  emailAddress: string;
  active: boolean;
}
export interface FieldMeta {
  fieldId: string;
  name: string;
  required: boolean;
  schema: { type: string; items?: string; system?: string; custom?: string };
  allowedValues?: { id: string; name?: string; value?: string }[];
}
export interface IssueType {
  id: string;
  name: string;
  subtask: boolean;
  hierarchyLevel: number;
  fields: FieldMeta[];
}
export interface Project {
  id: string;
  key: string;
  name: string;
  issueTypes: IssueType[];
  versions: { id: string; name: string; released: boolean; archived: boolean; releaseDate?: string }[];
  components: { id: string; name: string; description?: string }[];
  /** Every request about this project answers 403 (no Browse permission). */
  forbidden?: boolean;
}
export interface Comment {
  id: string;
  author: User;
  body: unknown;
  created: string;
  updated: string;
}
export interface Worklog {
  id: string;
  author: User;
  comment?: unknown;
  started: string;
  timeSpentSeconds: number;
  created: string;
}
export interface Attachment {
  id: string;
  filename: string;
  mimeType: string;
  size: number;
  content: Buffer;
  created: string;
  author: User;
}
export interface Issue {
  id: string;
  key: string;
  fields: Record<string, unknown>;
  comments: Comment[];
  worklogs: Worklog[];
  watchers: string[];
  attachments: Attachment[];
  remoteLinks: { id: number; globalId?: string; object: Record<string, unknown>; relationship?: string }[];
  changelog: {
    id: string;
    author: User;
    created: string;
    items: { field: string; fromString: string | null; toString: string | null }[];
  }[];
}
export interface Board {
  id: number;
  name: string;
  type: 'scrum' | 'kanban';
  projectKey: string;
}
export interface Sprint {
  id: number;
  boardId: number;
  name: string;
  state: 'active' | 'future' | 'closed';
  goal?: string;
}
export interface LinkType {
  id: string;
  name: string;
  inward: string;
  outward: string;
}
export interface Link {
  id: string;
  type: LinkType;
  inward: string;
  outward: string;
}

export const STATUSES = {
  todo: { id: '10000', name: 'To Do', statusCategory: { id: 2, key: 'new', name: 'To Do' } },
  progress: {
    id: '3',
    name: 'In Progress',
    statusCategory: { id: 4, key: 'indeterminate', name: 'In Progress' },
  },
  done: { id: '10001', name: 'Done', statusCategory: { id: 3, key: 'done', name: 'Done' } },
};
export const TRANSITIONS = [
  { id: '11', name: 'To Do', to: STATUSES.todo },
  { id: '21', name: 'In Progress', to: STATUSES.progress },
  { id: '31', name: 'Done', to: STATUSES.done },
];
export const PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'].map((name, i) => ({
  id: String(i + 1),
  name,
}));

export const FIELDS = [
  {
    id: 'summary',
    key: 'summary',
    name: 'Summary',
    custom: false,
    schema: { type: 'string', system: 'summary' },
  },
  {
    id: 'description',
    key: 'description',
    name: 'Description',
    custom: false,
    schema: { type: 'string', system: 'description' },
  },
  {
    id: 'issuetype',
    key: 'issuetype',
    name: 'Issue Type',
    custom: false,
    schema: { type: 'issuetype', system: 'issuetype' },
  },
  {
    id: 'project',
    key: 'project',
    name: 'Project',
    custom: false,
    schema: { type: 'project', system: 'project' },
  },
  {
    id: 'priority',
    key: 'priority',
    name: 'Priority',
    custom: false,
    schema: { type: 'priority', system: 'priority' },
  },
  {
    id: 'labels',
    key: 'labels',
    name: 'Labels',
    custom: false,
    schema: { type: 'array', items: 'string', system: 'labels' },
  },
  {
    id: 'assignee',
    key: 'assignee',
    name: 'Assignee',
    custom: false,
    schema: { type: 'user', system: 'assignee' },
  },
  {
    id: 'parent',
    key: 'parent',
    name: 'Parent',
    custom: false,
    schema: { type: 'issuelink', system: 'parent' },
  },
  {
    id: 'components',
    key: 'components',
    name: 'Components',
    custom: false,
    schema: { type: 'array', items: 'component', system: 'components' },
  },
  {
    id: 'customfield_10016',
    key: 'customfield_10016',
    name: 'Story Points',
    custom: true,
    schema: { type: 'number', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float' },
  },
  {
    id: 'customfield_10020',
    key: 'customfield_10020',
    name: 'Sprint',
    custom: true,
    schema: { type: 'array', items: 'json', custom: 'com.pyxis.greenhopper.jira:gh-sprint' },
  },
  {
    id: 'customfield_10030',
    key: 'customfield_10030',
    name: 'Severity',
    custom: true,
    schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select' },
  },
];

function baseFields(required: Partial<Record<string, boolean>> = {}): FieldMeta[] {
  return [
    { fieldId: 'summary', name: 'Summary', required: true, schema: { type: 'string', system: 'summary' } },
    {
      fieldId: 'issuetype',
      name: 'Issue Type',
      required: true,
      schema: { type: 'issuetype', system: 'issuetype' },
    },
    { fieldId: 'project', name: 'Project', required: true, schema: { type: 'project', system: 'project' } },
    {
      fieldId: 'description',
      name: 'Description',
      required: false,
      schema: { type: 'string', system: 'description' },
    },
    {
      fieldId: 'priority',
      name: 'Priority',
      required: Boolean(required['priority']),
      schema: { type: 'priority', system: 'priority' },
      allowedValues: PRIORITIES,
    },
    {
      fieldId: 'labels',
      name: 'Labels',
      required: false,
      schema: { type: 'array', items: 'string', system: 'labels' },
    },
    { fieldId: 'assignee', name: 'Assignee', required: false, schema: { type: 'user', system: 'assignee' } },
    { fieldId: 'parent', name: 'Parent', required: false, schema: { type: 'issuelink', system: 'parent' } },
    {
      fieldId: 'customfield_10016',
      name: 'Story Points',
      required: false,
      schema: { type: 'number', custom: 'float' },
    },
  ];
}

function issueTypes(prefix: string): IssueType[] {
  return [
    { id: `${prefix}1`, name: 'Task', subtask: false, hierarchyLevel: 0, fields: baseFields() },
    {
      id: `${prefix}2`,
      name: 'Bug',
      subtask: false,
      hierarchyLevel: 0,
      fields: [
        ...baseFields({ priority: true }),
        {
          fieldId: 'customfield_10030',
          name: 'Severity',
          required: true,
          schema: { type: 'option', custom: 'select' },
          allowedValues: [
            { id: '20001', value: 'Minor' },
            { id: '20002', value: 'Major' },
            { id: '20003', value: 'Critical' },
          ],
        },
      ],
    },
    { id: `${prefix}3`, name: 'Story', subtask: false, hierarchyLevel: 0, fields: baseFields() },
    { id: `${prefix}4`, name: 'Epic', subtask: false, hierarchyLevel: 1, fields: baseFields() },
    { id: `${prefix}5`, name: 'Subtask', subtask: true, hierarchyLevel: -1, fields: baseFields() },
  ];
}

/** The data of one fake instance. */
export interface State {
  me: User;
  users: User[];
  projects: Project[];
  issues: Map<string, Issue>;
  boards: Board[];
  sprints: Sprint[];
  linkTypes: LinkType[];
  links: Link[];
  nextId: number;
  counters: Map<string, number>;
}

/** A fresh copy of the seed: projects ENG (scrum, one active sprint), OPS (kanban), WEB, SEC (403). */
export function seed(email: string): State {
  const me: User = {
    accountId: '5b10a2844c20165700ede21g',
    displayName: 'Alice Admin',
    emailAddress: email,
    active: true,
  };
  const users: User[] = [
    me,
    {
      accountId: '5b10ac8d82e05b22cc7d4ef5',
      displayName: 'Bob Builder',
      emailAddress: 'bob@example.com',
      active: true,
    },
    {
      accountId: '712020:bd1e7e0d-2b1c-4d5e-8f3a-3c6b1a2d9e77',
      displayName: 'Bob Marley',
      emailAddress: 'marley@example.com',
      active: true,
    },
    {
      accountId: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077',
      displayName: 'Carol Chen',
      emailAddress: 'carol@example.com',
      active: true,
    },
  ];
  const project = (id: string, key: string, name: string, extra: Partial<Project> = {}): Project => ({
    id,
    key,
    name,
    issueTypes: issueTypes(id),
    versions: [],
    components: [],
    ...extra,
  });
  return {
    me,
    users,
    projects: [
      project('10000', 'ENG', 'Engineering', {
        versions: [
          { id: '10100', name: '1.0', released: true, archived: false, releaseDate: '2026-01-15' },
          { id: '10101', name: '1.1', released: false, archived: false },
        ],
        components: [
          { id: '10200', name: 'API', description: 'The public API' },
          { id: '10201', name: 'Web' },
        ],
      }),
      project('10001', 'OPS', 'Operations'),
      project('10002', 'WEB', 'Website'),
      project('10003', 'SEC', 'Security', { forbidden: true }),
    ],
    issues: new Map(),
    boards: [
      { id: 1, name: 'ENG board', type: 'scrum', projectKey: 'ENG' },
      { id: 3, name: 'ENG triage', type: 'kanban', projectKey: 'ENG' },
      { id: 2, name: 'OPS board', type: 'kanban', projectKey: 'OPS' },
      { id: 4, name: 'WEB board', type: 'scrum', projectKey: 'WEB' },
    ],
    sprints: [
      { id: 9, boardId: 1, name: 'ENG Sprint 1', state: 'closed' },
      { id: 10, boardId: 1, name: 'ENG Sprint 2', state: 'active', goal: 'Ship rate limiting' },
      { id: 11, boardId: 1, name: 'ENG Sprint 3', state: 'future' },
    ],
    linkTypes: [
      { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
      { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
      { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
      { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
    ],
    links: [],
    nextId: 10000,
    counters: new Map(),
  };
}
