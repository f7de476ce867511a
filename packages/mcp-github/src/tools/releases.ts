import { pageInfoShape, z, pageFields } from '@org/mcp-core';
import { repoRef } from '../github.js';
import { Cursor, githubPage, Limit, RepoName, requireSomeChange } from './shared.js';
import { tool } from './tool.js';

const Release = z.object({
  id: z.number(),
  tag_name: z.string(),
  name: z.string().nullable(),
  body: z.string().nullable(),
  draft: z.boolean(),
  prerelease: z.boolean(),
  url: z.string(),
  created_at: z.string(),
  published_at: z.string().nullable(),
});
interface RawRelease {
  id: number | bigint;
  tag_name: string;
  name: string | null;
  body?: string | null;
  draft: boolean;
  prerelease: boolean;
  html_url: string;
  created_at: string;
  published_at: string | null;
}
const toRelease = (r: RawRelease): z.infer<typeof Release> => ({
  id: Number(r.id),
  tag_name: r.tag_name,
  name: r.name,
  body: r.body ?? null,
  draft: r.draft,
  prerelease: r.prerelease,
  url: r.html_url,
  created_at: r.created_at,
  published_at: r.published_at,
});

export const listReleases = tool({
  name: 'list_releases',
  toolset: 'releases',
  title: 'List releases',
  description: 'Releases of a repository, newest first (drafts included for users who can push); paged.',
  input: z.object({ repo_name: RepoName, limit: Limit(20), cursor: Cursor }),
  output: z.object({ releases: z.array(Release), ...pageInfoShape }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ repo_name, limit, cursor }, { deps, outputBudget, signal }) {
    const ref = repoRef(repo_name, deps.config);
    const p = await githubPage(
      (n, perPage) =>
        deps.github.request('GET /repos/{owner}/{repo}/releases', {
          ...ref,
          per_page: perPage,
          page: n,
          request: { signal },
        }),
      {
        limit,
        cursor,
        budget: outputBudget,
        map: (r) => toRelease(r as RawRelease),
      },
    );
    return { releases: p.items, ...pageFields(p) };
  },
});

export const getRelease = tool({
  name: 'get_release',
  toolset: 'releases',
  title: 'Get release',
  description: 'One release by tag, or the latest published one when tag is omitted.',
  input: z.object({ repo_name: RepoName, tag: z.string().min(1).max(250).optional() }),
  output: Release,
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ repo_name, tag }, { deps, signal }) {
    const ref = repoRef(repo_name, deps.config);
    const { data } = tag
      ? await deps.github.request('GET /repos/{owner}/{repo}/releases/tags/{tag}', {
          ...ref,
          tag,
          request: { signal },
        })
      : await deps.github.request('GET /repos/{owner}/{repo}/releases/latest', {
          ...ref,
          request: { signal },
        });
    return toRelease(data as RawRelease);
  },
});

const ReleaseFields = {
  name: z.string().max(256).optional(),
  body: z.string().max(125_000).optional(),
  draft: z.boolean().optional(),
  prerelease: z.boolean().optional(),
  target_commitish: z
    .string()
    .max(250)
    .optional()
    .describe('Branch or SHA the tag is created from, when the tag does not exist yet'),
};

export const createRelease = tool({
  name: 'create_release',
  toolset: 'releases',
  title: 'Create release',
  description:
    'Creates a release for a tag (the tag is created from target_commitish when missing). An existing release for the tag is a validation error.',
  input: z.object({
    repo_name: RepoName,
    tag_name: z.string().min(1).max(250),
    ...ReleaseFields,
    generate_release_notes: z.boolean().default(false),
  }),
  output: Release,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ repo_name, ...fields }, { deps, signal }) {
    const ref = repoRef(repo_name, deps.config);
    const { data } = await deps.github.request('POST /repos/{owner}/{repo}/releases', {
      ...ref,
      ...fields,
      request: { signal },
    });
    return toRelease(data as RawRelease);
  },
});

export const updateRelease = tool({
  name: 'update_release',
  toolset: 'releases',
  title: 'Update release',
  description:
    'Changes a release (by id): name, notes, tag, draft or prerelease state; publishing a draft is draft: false.',
  input: z.object({
    repo_name: RepoName,
    release_id: z.number().int().positive(),
    tag_name: z.string().min(1).max(250).optional(),
    ...ReleaseFields,
  }),
  output: Release,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ repo_name, release_id, ...fields }, { deps, signal }) {
    const ref = repoRef(repo_name, deps.config);
    requireSomeChange(fields);
    const { data } = await deps.github.request('PATCH /repos/{owner}/{repo}/releases/{release_id}', {
      ...ref,
      release_id,
      ...fields,
      request: { signal },
    });
    return toRelease(data as RawRelease);
  },
});

export const releaseTools = [listReleases, getRelease, createRelease, updateRelease];
