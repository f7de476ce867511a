import { decodeCursor, encodeCursor, pageInfoShape, z } from '@org/mcp-core';
import { jiraCall } from '../deps.js';
import { numericId, projectKeyField, seg } from '../jira/keys.js';
import { tool } from './tool.js';

const Project = z.object({ id: z.string(), key: z.string(), name: z.string(), type: z.string().optional() });
const IssueType = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  subtask: z.boolean(),
});
const FieldMeta = z.object({
  key: z.string(),
  name: z.string(),
  required: z.boolean(),
  type: z.string().optional(),
  allowed_values: z.array(z.string()).optional(),
});

export const getProjects = tool({
  name: 'jira_get_projects',
  toolset: 'projects',
  title: 'List projects',
  description:
    'Projects the account can see (only those in JIRA_PROJECTS_FILTER when set), up to `limit` (default 50) per call with a cursor; `query` filters by name or key.',
  input: z.object({
    query: z.string().trim().min(1).max(200).optional().describe('Part of a project name or key'),
    limit: z.number().int().min(1).max(100).default(50).describe('Projects per call (default 50)'),
    cursor: z.string().optional().describe('next_cursor of the previous call'),
  }),
  output: z.object({ projects: z.array(Project), ...pageInfoShape }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ query, limit, cursor }, ctx) {
    const startAt = cursor ? decodeCursor(cursor, z.object({ o: z.number().int().nonnegative() })).o : 0;
    const keys = ctx.deps.filter.keys;
    const page = await jiraCall(ctx, (j) =>
      j.v3.projects.searchProjects({
        startAt,
        maxResults: limit,
        ...(query ? { query } : {}),
        ...(keys ? { keys: [...keys] } : {}),
      }),
    );
    const projects = (page.values ?? [])
      .filter((p) => ctx.deps.filter.allows(p.key))
      .map((p) => ({
        id: String(p.id),
        key: String(p.key),
        name: String(p.name),
        ...(p.projectTypeKey ? { type: String(p.projectTypeKey) } : {}),
      }));
    const more = page.isLast === false;
    return {
      projects,
      truncated: more,
      ...(more ? { next_cursor: encodeCursor({ o: startAt + (page.values?.length ?? 0) }) } : {}),
    };
  },
});

async function issueTypesOf(ctx: Parameters<typeof getProjects.handler>[1], project: string) {
  const r = await jiraCall(ctx, (j) =>
    j.v3.issues.getCreateIssueMetaIssueTypes({ projectIdOrKey: seg(project), maxResults: 200 }),
  );
  const list = (r.issueTypes ?? (r as { createMetaIssueType?: unknown[] }).createMetaIssueType ?? []) as {
    id?: string;
    name?: string;
    description?: string;
    subtask?: boolean;
  }[];
  return list.map((t) => ({
    id: String(t.id),
    name: String(t.name),
    description: t.description ?? '',
    subtask: t.subtask ?? false,
  }));
}

async function fieldsOf(ctx: Parameters<typeof getProjects.handler>[1], project: string, typeId: string) {
  const r = await jiraCall(ctx, (j) =>
    j.v3.issues.getCreateIssueMetaIssueTypeId({
      projectIdOrKey: seg(project),
      issueTypeId: seg(typeId),
      maxResults: 200,
    }),
  );
  const list = ((r as { fields?: unknown[] }).fields ?? (r as { results?: unknown[] }).results ?? []) as {
    fieldId?: string;
    key?: string;
    name?: string;
    required?: boolean;
    schema?: { type?: string };
    allowedValues?: { name?: string; value?: string; id?: string }[];
  }[];
  return list.map((f) => {
    const allowed = (f.allowedValues ?? []).map((v) => String(v.name ?? v.value ?? v.id));
    return {
      key: String(f.fieldId ?? f.key),
      name: String(f.name ?? f.fieldId),
      required: f.required ?? false,
      ...(f.schema?.type ? { type: f.schema.type } : {}),
      ...(allowed.length ? { allowed_values: allowed.slice(0, 100) } : {}),
    };
  });
}

export const getProjectIssueTypes = tool({
  name: 'jira_get_project_issue_types',
  toolset: 'projects',
  title: 'Project issue types',
  description: 'The issue types that can be created in a project (id, name, description, subtask).',
  input: z.object({ project_key: projectKeyField() }),
  output: z.object({ issue_types: z.array(IssueType) }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ project_key }, ctx) {
    ctx.deps.filter.assertProject(project_key);
    return { issue_types: await issueTypesOf(ctx, project_key) };
  },
});

export const getCreatableIssueTypes = tool({
  name: 'jira_get_creatable_issue_types',
  toolset: 'projects',
  title: 'Creatable issue types with required fields',
  description:
    'The issue types of a project with the fields each requires on create (from the current createmeta endpoints; one request per issue type).',
  input: z.object({ project_key: projectKeyField() }),
  output: z.object({
    issue_types: z.array(
      IssueType.extend({
        required_fields: z.array(
          z.object({ key: z.string(), name: z.string(), allowed_values: z.array(z.string()).optional() }),
        ),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ project_key }, ctx) {
    ctx.deps.filter.assertProject(project_key);
    const types = await issueTypesOf(ctx, project_key);
    const out = [];
    for (const t of types.slice(0, 30)) {
      const fields = await fieldsOf(ctx, project_key, t.id);
      out.push({
        ...t,
        required_fields: fields
          .filter((f) => f.required)
          .map((f) => ({
            key: f.key,
            name: f.name,
            ...(f.allowed_values ? { allowed_values: f.allowed_values } : {}),
          })),
      });
    }
    return { issue_types: out };
  },
});

export const getCreateMetadata = tool({
  name: 'jira_get_create_metadata',
  toolset: 'projects',
  title: 'Create metadata',
  description:
    'Every field of an issue type on create: key, name, whether required, type and allowed values.',
  input: z.object({
    project_key: projectKeyField(),
    issue_type_id: numericId('Issue type id (from jira_get_project_issue_types)'),
  }),
  output: z.object({ fields: z.array(FieldMeta) }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ project_key, issue_type_id }, ctx) {
    ctx.deps.filter.assertProject(project_key);
    return { fields: await fieldsOf(ctx, project_key, issue_type_id) };
  },
});

export const searchFields = tool({
  name: 'jira_search_fields',
  toolset: 'projects',
  title: 'Search fields',
  description:
    'Fields whose name or id contains `query` (e.g. "story points" → customfield_10016), with their type and whether custom. Without a query, up to `limit` fields.',
  input: z.object({
    query: z.string().trim().max(200).optional().describe('Part of a field name or id'),
    limit: z.number().int().min(1).max(200).default(50).describe('At most this many fields (default 50)'),
  }),
  output: z.object({
    fields: z.array(
      z.object({ id: z.string(), name: z.string(), custom: z.boolean(), type: z.string().optional() }),
    ),
    truncated: z.boolean(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ query, limit }, ctx) {
    const all = await jiraCall(ctx, (j) => j.v3.issueFields.getFields());
    const q = query?.toLowerCase();
    const hits = all
      .filter((f) => !q || f.name?.toLowerCase().includes(q) || f.id?.toLowerCase().includes(q))
      .map((f) => ({
        id: String(f.id),
        name: String(f.name),
        custom: f.custom ?? false,
        ...(f.schema?.type ? { type: f.schema.type } : {}),
      }));
    return { fields: hits.slice(0, limit), truncated: hits.length > limit };
  },
});

export const getProjectVersions = tool({
  name: 'jira_get_project_versions',
  toolset: 'projects',
  title: 'Project versions',
  description:
    'Versions (releases) of a project: id, name, released, archived, release date. Up to `limit` (default 50).',
  input: z.object({
    project_key: projectKeyField(),
    limit: z.number().int().min(1).max(100).default(50).describe('At most this many (default 50)'),
  }),
  output: z.object({
    versions: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        released: z.boolean(),
        archived: z.boolean(),
        release_date: z.string().optional(),
      }),
    ),
    truncated: z.boolean(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ project_key, limit }, ctx) {
    ctx.deps.filter.assertProject(project_key);
    const page = await jiraCall(ctx, (j) =>
      j.v3.projectVersions.getProjectVersionsPaginated({
        projectIdOrKey: seg(project_key),
        maxResults: limit,
      }),
    );
    return {
      versions: (page.values ?? []).map((v) => ({
        id: String(v.id),
        name: String(v.name),
        released: v.released ?? false,
        archived: v.archived ?? false,
        ...(v.releaseDate ? { release_date: String(v.releaseDate) } : {}),
      })),
      truncated: page.isLast === false,
    };
  },
});

export const getProjectComponents = tool({
  name: 'jira_get_project_components',
  toolset: 'projects',
  title: 'Project components',
  description: 'Components of a project: id, name, description. Up to `limit` (default 50).',
  input: z.object({
    project_key: projectKeyField(),
    limit: z.number().int().min(1).max(100).default(50).describe('At most this many (default 50)'),
  }),
  output: z.object({
    components: z.array(z.object({ id: z.string(), name: z.string(), description: z.string().optional() })),
    truncated: z.boolean(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ project_key, limit }, ctx) {
    ctx.deps.filter.assertProject(project_key);
    const page = await jiraCall(ctx, (j) =>
      j.v3.projectComponents.getProjectComponentsPaginated({
        projectIdOrKey: seg(project_key),
        maxResults: limit,
      }),
    );
    return {
      components: (page.values ?? []).map((c) => ({
        id: String(c.id),
        name: String(c.name),
        ...(c.description ? { description: c.description } : {}),
      })),
      truncated: page.isLast === false,
    };
  },
});
