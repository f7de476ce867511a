import { pageInfoShape, z, pageFields, type ToolContext } from '@org/mcp-core';
import type { Deps } from '../deps.js';
import { allowedBy } from '../github.js';
import { Cursor, githubPage, Limit } from './shared.js';
import { tool } from './tool.js';

type SearchKind = 'code' | 'issues' | 'repositories';

const SearchInput = z.object({ query: z.string().min(1).max(256), limit: Limit(20), cursor: Cursor });

const SearchResult = z.object({
  total_count: z.number(),
  items: z.array(
    z.object({
      repository: z.string(),
      title: z.string(),
      url: z.string(),
      path: z.string().optional(),
      number: z.number().optional(),
      state: z.string().optional(),
    }),
  ),
  ...pageInfoShape,
});

/** The one handler of the three search tools: a GitHub search, paged, limited to the allow list. */
async function search(
  kind: SearchKind,
  { query, limit, cursor }: z.output<typeof SearchInput>,
  { deps, outputBudget, signal }: ToolContext<Deps>,
): Promise<z.input<typeof SearchResult>> {
  let total = 0;
  const p = await githubPage(
    async (n, perPage) => {
      const res = await deps.github.request(`GET /search/${kind}` as 'GET /search/code', {
        q: query,
        per_page: perPage,
        page: n,
        request: { signal },
      });
      total = res.data.total_count;
      return { data: res.data.items as unknown[], headers: res.headers };
    },
    {
      limit,
      cursor,
      budget: outputBudget - 200,
      map: (raw) => {
        const x = raw as Record<string, unknown> & { html_url: string };
        const repository =
          kind === 'repositories'
            ? String(x['full_name'])
            : kind === 'code'
              ? String((x['repository'] as { full_name: string }).full_name)
              : (String(x['repository_url']).split('/repos/')[1] ?? '');
        if (!allowedBy(deps.config.GITHUB_ALLOWED_REPOS, repository)) return undefined;
        if (kind === 'code')
          return { repository, title: String(x['name']), url: x.html_url, path: String(x['path']) };
        if (kind === 'issues')
          return {
            repository,
            title: String(x['title']),
            url: x.html_url,
            number: Number(x['number']),
            state: String(x['state']),
          };
        return { repository, title: String(x['full_name']), url: x.html_url };
      },
    },
  );
  return { total_count: total, items: p.items, ...pageFields(p) };
}

const SUFFIX = 'Uses GitHub search syntax in query; results outside GITHUB_ALLOWED_REPOS are dropped. Paged.';

export const searchCode = tool({
  name: 'search_code',
  toolset: 'search',
  title: 'Search code',
  description: `Code search across repositories (e.g. "useState repo:org/app"). ${SUFFIX}`,
  input: SearchInput,
  output: SearchResult,
  annotations: { readOnlyHint: true, openWorldHint: true },
  handler: (input, context) => search('code', input, context),
});

export const searchIssues = tool({
  name: 'search_issues',
  toolset: 'search',
  title: 'Search issues',
  description: `Issue and pull request search (e.g. "is:open label:bug repo:org/app"). ${SUFFIX}`,
  input: SearchInput,
  output: SearchResult,
  annotations: { readOnlyHint: true, openWorldHint: true },
  handler: (input, context) => search('issues', input, context),
});

export const searchRepositories = tool({
  name: 'search_repositories',
  toolset: 'search',
  title: 'Search repositories',
  description: `Repository search (e.g. "mcp language:typescript"). ${SUFFIX}`,
  input: SearchInput,
  output: SearchResult,
  annotations: { readOnlyHint: true, openWorldHint: true },
  handler: (input, context) => search('repositories', input, context),
});

export const searchTools = [searchCode, searchIssues, searchRepositories];
