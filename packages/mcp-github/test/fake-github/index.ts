// A local GitHub REST API for tests: an in-memory git model (blobs, trees, commits, refs), issues
// and pull requests, Link-header pagination, rate-limit headers, GitHub's error bodies, and every
// request checked against GitHub's published OpenAPI description (see openapi.ts).
import type { ServerResponse } from 'node:http';
import { sendJson, startFakeHttpServer, type RecordedRequest } from '@org/mcp-core/testing';
import { now, sha1, type Entry, type FakeRepo, type Issue, type Release } from './model.js';
import { checkAgainstSpec, loadSpec } from './openapi.js';

export type { FakeRepo } from './model.js';

const DOCS = 'https://docs.github.com/rest';

export interface FakeGitHub {
  url: string;
  token: string;
  requests: RecordedRequest[];
  /** Requests the real API would reject, as found by the OpenAPI check. */
  violations: string[];
  repos: Map<string, FakeRepo>;
  /** Adds a repository with one commit holding `files` on its default branch. */
  addRepo(
    fullName: string,
    files: Record<string, string | Buffer>,
    options?: { private?: boolean; defaultBranch?: string; executable?: string[] },
  ): FakeRepo;
  /** The files of a branch: path → content and mode. */
  files(fullName: string, branch: string): Map<string, { content: Buffer; mode: string }>;
  /** The next `count` requests fail this way. */
  /** The next `count` requests fail this way; `retryAfter` is the Retry-After of 429 and secondary limits (default '1'). */
  failNext(kind: 'primary' | 'secondary' | '429' | '502', count?: number, retryAfter?: string): void;
  close(): Promise<void>;
}

export async function startFakeGitHub(
  token = 'ghp_FAKEtoken1234567890abcdefABCDEF0123',
): Promise<FakeGitHub> {
  loadSpec();
  const repos = new Map<string, FakeRepo>();
  const violations: string[] = [];
  const failures: { kind: 'primary' | 'secondary' | '429' | '502'; retryAfter: string }[] = [];
  let remaining = 5000;
  let nextId = 1000;

  const putBlob = (repo: FakeRepo, content: Buffer) => {
    const sha = sha1(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]));
    repo.blobs.set(sha, content);
    return sha;
  };
  /** path → {mode, sha} for every blob under a tree. */
  const flatten = (
    repo: FakeRepo,
    treeSha: string,
    prefix = '',
    out = new Map<string, { mode: string; sha: string }>(),
  ) => {
    for (const [name, e] of repo.trees.get(treeSha) ?? []) {
      const path = prefix ? `${prefix}/${name}` : name;
      if (e.type === 'tree') flatten(repo, e.sha, path, out);
      else out.set(path, { mode: e.mode, sha: e.sha });
    }
    return out;
  };
  const build = (repo: FakeRepo, files: Map<string, { mode: string; sha: string }>): string => {
    const here = new Map<string, Entry>();
    const sub = new Map<string, Map<string, { mode: string; sha: string }>>();
    for (const [path, f] of files) {
      const [head, ...rest] = path.split('/');
      if (rest.length === 0) here.set(head!, { mode: f.mode, type: 'blob', sha: f.sha });
      else {
        if (!sub.has(head!)) sub.set(head!, new Map());
        sub.get(head!)!.set(rest.join('/'), f);
      }
    }
    for (const [name, inner] of sub)
      here.set(name, { mode: '040000', type: 'tree', sha: build(repo, inner) });
    const sorted = new Map([...here].sort(([a], [b]) => (a < b ? -1 : 1)));
    const sha = sha1(`tree ${JSON.stringify([...sorted])}`);
    repo.trees.set(sha, sorted);
    return sha;
  };
  const commitFiles = (
    repo: FakeRepo,
    files: Map<string, { mode: string; sha: string }>,
    parents: string[],
    message: string,
  ) => {
    const tree = build(repo, files);
    const sha = sha1(`commit ${tree} ${parents.join(',')} ${message} ${nextId++}`);
    repo.commits.set(sha, { tree, parents, message, date: now() });
    return sha;
  };
  const addRepo: FakeGitHub['addRepo'] = (fullName, files, options = {}) => {
    const [owner, name] = fullName.split('/') as [string, string];
    const repo: FakeRepo = {
      owner,
      name,
      private: options.private ?? false,
      default_branch: options.defaultBranch ?? 'main',
      blobs: new Map(),
      trees: new Map(),
      commits: new Map(),
      refs: new Map(),
      issues: [],
      releases: [],
    };
    const flat = new Map<string, { mode: string; sha: string }>();
    for (const [path, content] of Object.entries(files)) {
      flat.set(path, {
        mode: options.executable?.includes(path) ? '100755' : '100644',
        sha: putBlob(repo, Buffer.isBuffer(content) ? content : Buffer.from(content)),
      });
    }
    repo.refs.set(`heads/${repo.default_branch}`, commitFiles(repo, flat, [], 'Initial commit'));
    repos.set(fullName.toLowerCase(), repo);
    return repo;
  };
  const files: FakeGitHub['files'] = (fullName, branch) => {
    const repo = repos.get(fullName.toLowerCase())!;
    const commit = repo.commits.get(repo.refs.get(`heads/${branch}`)!)!;
    return new Map(
      [...flatten(repo, commit.tree)].map(([p, f]) => [p, { content: repo.blobs.get(f.sha)!, mode: f.mode }]),
    );
  };

  const api = await startFakeHttpServer((req, res) => handle(req, res));
  const base = api.url;
  const notFound = (res: ServerResponse) =>
    reply(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
  const reply = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    sendJson(res, status, body, {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-used': String(5000 - remaining),
      'x-ratelimit-resource': 'core',
      ...headers,
    });
  const paged = <T>(req: RecordedRequest, res: ServerResponse, items: T[]) => {
    const perPage = Math.min(100, Number(req.url.searchParams.get('per_page') ?? 30));
    const page = Number(req.url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => {
      const u = new URL(req.path, base);
      u.searchParams.set('page', String(p));
      u.searchParams.set('per_page', String(perPage));
      return `<${u.toString()}>; rel="${rel}"`;
    };
    const links = [
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
    ];
    reply(
      res,
      200,
      items.slice((page - 1) * perPage, page * perPage),
      links.length ? { link: links.join(', ') } : {},
    );
  };
  const resolveCommit = (repo: FakeRepo, ref: string | null): string | undefined =>
    ref === null
      ? repo.refs.get(`heads/${repo.default_branch}`)
      : (repo.refs.get(`heads/${ref}`) ?? (repo.commits.has(ref) ? ref : undefined));
  const repoJson = (r: FakeRepo) => ({
    id: 1,
    name: r.name,
    full_name: `${r.owner}/${r.name}`,
    html_url: `https://github.com/${r.owner}/${r.name}`,
    description: null,
    private: r.private,
    language: 'TypeScript',
    stargazers_count: 3,
    forks_count: 1,
    open_issues_count: r.issues.filter((i) => i.state === 'open').length,
    default_branch: r.default_branch,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    owner: { login: r.owner },
  });
  const issueJson = (r: FakeRepo, i: Issue) => ({
    id: i.number * 7,
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    html_url: `https://github.com/${r.owner}/${r.name}/${i.pull ? 'pull' : 'issues'}/${i.number}`,
    user: { login: 'me' },
    labels: i.labels.map((name) => ({ name })),
    assignees: i.assignees.map((login) => ({ login })),
    comments: i.comments.length,
    created_at: i.created_at,
    updated_at: i.created_at,
    ...(i.pull ? { pull_request: { url: `${base}/repos/${r.owner}/${r.name}/pulls/${i.number}` } } : {}),
  });
  const commitJson = (r: FakeRepo, sha: string) => {
    const c = r.commits.get(sha)!;
    return {
      sha,
      html_url: `https://github.com/${r.owner}/${r.name}/commit/${sha}`,
      message: c.message,
      tree: { sha: c.tree, url: `${base}/trees/${c.tree}` },
      parents: c.parents.map((p) => ({ sha: p })),
      author: { name: 'Me', email: 'me@example.com', date: c.date },
    };
  };
  const isAncestor = (r: FakeRepo, ancestor: string, of: string): boolean => {
    const queue = [of];
    const seen = new Set<string>();
    while (queue.length) {
      const sha = queue.pop()!;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      queue.push(...(r.commits.get(sha)?.parents ?? []));
    }
    return false;
  };

  const headOf = (r: FakeRepo, branch: string) => r.refs.get(`heads/${branch.split(':').pop()}`);
  /** Files that differ between two commits, as GitHub lists them, with a unified diff per file. */
  const changes = (r: FakeRepo, fromSha: string | undefined, toSha: string) => {
    const before = fromSha
      ? flatten(r, r.commits.get(fromSha)!.tree)
      : new Map<string, { mode: string; sha: string }>();
    const after = flatten(r, r.commits.get(toSha)!.tree);
    const out: {
      filename: string;
      status: string;
      additions: number;
      deletions: number;
      changes: number;
      patch: string;
      sha: string;
    }[] = [];
    for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const a = before.get(path);
      const b = after.get(path);
      if (a?.sha === b?.sha) continue;
      const oldLines = a ? r.blobs.get(a.sha)!.toString('utf8').split('\n').filter(Boolean) : [];
      const newLines = b ? r.blobs.get(b.sha)!.toString('utf8').split('\n').filter(Boolean) : [];
      const patch = [
        `@@ -1,${oldLines.length} +1,${newLines.length} @@`,
        ...oldLines.map((l) => `-${l}`),
        ...newLines.map((l) => `+${l}`),
      ].join('\n');
      out.push({
        filename: path,
        status: !a ? 'added' : !b ? 'removed' : 'modified',
        additions: newLines.length,
        deletions: oldLines.length,
        changes: newLines.length + oldLines.length,
        patch,
        sha: (b ?? a)!.sha,
      });
    }
    return out;
  };
  const diffText = (files: ReturnType<typeof changes>) =>
    files
      .map(
        (f) =>
          `diff --git a/${f.filename} b/${f.filename}\n--- a/${f.filename}\n+++ b/${f.filename}\n${f.patch}\n`,
      )
      .join('');
  const pullJson = (r: FakeRepo, i: Issue) => ({
    id: i.number * 11,
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    draft: i.pull!.draft,
    merged: i.pull!.merged,
    mergeable: !i.pull!.merged && i.state === 'open',
    html_url: `https://github.com/${r.owner}/${r.name}/pull/${i.number}`,
    user: { login: 'me' },
    head: { ref: i.pull!.head, sha: headOf(r, i.pull!.head) ?? '' },
    base: { ref: i.pull!.base, sha: headOf(r, i.pull!.base) ?? '' },
    created_at: i.created_at,
    updated_at: i.created_at,
    merged_at: i.pull!.merged ? i.created_at : null,
    comments: i.comments.length,
    commits: 1,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  });
  const releaseJson = (r: FakeRepo, rel: Release) => ({
    ...rel,
    html_url: `https://github.com/${r.owner}/${r.name}/releases/tag/${rel.tag_name}`,
    published_at: rel.draft ? null : rel.created_at,
    author: { login: 'me' },
  });

  function handle(req: RecordedRequest, res: ServerResponse): void {
    const auth = String(req.headers.authorization ?? '');
    if (auth !== `token ${token}` && auth !== `bearer ${token}` && auth !== `Bearer ${token}`) {
      return reply(res, 401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
    }
    const next = failures.shift();
    const failure = next?.kind;
    if (failure === 'primary') {
      return sendJson(
        res,
        403,
        { message: 'API rate limit exceeded for user ID 1.', documentation_url: DOCS },
        {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1),
          'x-ratelimit-resource': 'core',
        },
      );
    }
    if (failure === 'secondary') {
      return sendJson(
        res,
        403,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: DOCS,
        },
        { 'retry-after': next!.retryAfter },
      );
    }
    if (failure === '429')
      return sendJson(
        res,
        429,
        { message: 'Too Many Requests', documentation_url: DOCS },
        { 'retry-after': next!.retryAfter },
      );
    if (failure === '502') return sendJson(res, 502, { message: 'Server Error' });
    const violation = checkAgainstSpec(req);
    if (violation) {
      violations.push(violation);
      return reply(res, 422, {
        message: 'Invalid request.',
        errors: [violation],
        documentation_url: DOCS,
        status: '422',
      });
    }
    remaining--;
    const body = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    const q = req.url.searchParams;
    const p = req.url.pathname;
    const m = (re: RegExp) => re.exec(p);
    let g: RegExpExecArray | null;

    if (req.method === 'GET' && p === '/user') return reply(res, 200, { login: 'me', id: 1 });
    if (req.method === 'GET' && p === '/user/repos')
      return paged(req, res, [...repos.values()].map(repoJson));
    if (req.method === 'GET' && (g = m(/^\/users\/([^/]+)\/repos$/))) {
      return paged(
        req,
        res,
        [...repos.values()]
          .filter((r) => r.owner.toLowerCase() === g![1]!.toLowerCase() && !r.private)
          .map(repoJson),
      );
    }
    if (req.method === 'GET' && (g = m(/^\/search\/(code|issues|repositories)$/))) {
      const query = q.get('q') ?? '';
      const repoFilter = /repo:(\S+)/.exec(query)?.[1]?.toLowerCase();
      const words = query
        .replace(/\b\w+:\S+/g, '')
        .trim()
        .toLowerCase()
        .split(/\s+/)
        .filter(Boolean);
      const hit = (text: string) => words.every((w) => text.toLowerCase().includes(w));
      const inScope = [...repos.values()].filter(
        (r) => !repoFilter || `${r.owner}/${r.name}`.toLowerCase() === repoFilter,
      );
      let items: unknown[] = [];
      if (g[1] === 'repositories') items = inScope.filter((r) => hit(`${r.owner}/${r.name}`)).map(repoJson);
      if (g[1] === 'issues')
        items = inScope.flatMap((r) =>
          r.issues
            .filter((i) => hit(`${i.title} ${i.body}`))
            .map((i) => ({ ...issueJson(r, i), repository_url: `${base}/repos/${r.owner}/${r.name}` })),
        );
      if (g[1] === 'code') {
        items = inScope.flatMap((r) =>
          [...flatten(r, r.commits.get(r.refs.get(`heads/${r.default_branch}`)!)!.tree)]
            .filter(([, f]) => hit(r.blobs.get(f.sha)!.toString('utf8')))
            .map(([path, f]) => ({
              name: path.split('/').pop(),
              path,
              sha: f.sha,
              html_url: `https://github.com/${r.owner}/${r.name}/blob/${r.default_branch}/${path}`,
              repository: { full_name: `${r.owner}/${r.name}` },
            })),
        );
      }
      const perPage = Math.min(100, Number(q.get('per_page') ?? 30));
      const page = Number(q.get('page') ?? 1);
      const next = page * perPage < items.length;
      return reply(
        res,
        200,
        {
          total_count: items.length,
          incomplete_results: false,
          items: items.slice((page - 1) * perPage, page * perPage),
        },
        next
          ? {
              link: `<${base}${p}?q=${encodeURIComponent(query)}&page=${page + 1}&per_page=${perPage}>; rel="next"`,
            }
          : {},
      );
    }
    if (!(g = m(/^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/))) return notFound(res);
    const repo = repos.get(`${g[1]}/${g[2]}`.toLowerCase());
    if (!repo) return notFound(res);
    const rest = decodeURIComponent(g[3] ?? '');

    if (req.method === 'GET' && rest === '') return reply(res, 200, repoJson(repo));
    if (req.method === 'GET' && rest === '/branches') {
      return paged(
        req,
        res,
        [...repo.refs]
          .filter(([r]) => r.startsWith('heads/'))
          .map(([r, sha]) => ({ name: r.slice(6), protected: false, commit: { sha, url: '' } })),
      );
    }
    if (req.method === 'GET' && (g = /^\/branches\/(.+)$/.exec(rest))) {
      const sha = repo.refs.get(`heads/${g[1]}`);
      if (!sha)
        return reply(res, 404, { message: 'Branch not found', documentation_url: DOCS, status: '404' });
      const c = repo.commits.get(sha)!;
      return reply(res, 200, {
        name: g[1],
        protected: false,
        commit: {
          sha,
          html_url: `https://github.com/x/commit/${sha}`,
          commit: { message: c.message, author: { name: 'Me', date: c.date } },
        },
      });
    }
    if (req.method === 'GET' && (g = /^\/git\/ref\/(.+)$/.exec(rest))) {
      const sha = repo.refs.get(g[1]!);
      return sha ? reply(res, 200, { ref: `refs/${g[1]}`, object: { sha, type: 'commit' } }) : notFound(res);
    }
    if (req.method === 'POST' && rest === '/git/refs') {
      const name = String(body['ref']).replace(/^refs\//, '');
      if (repo.refs.has(name))
        return reply(res, 422, {
          message: 'Reference already exists',
          documentation_url: DOCS,
          status: '422',
        });
      if (!repo.commits.has(String(body['sha'])))
        return reply(res, 422, { message: 'Object does not exist', documentation_url: DOCS, status: '422' });
      repo.refs.set(name, String(body['sha']));
      return reply(res, 201, { ref: `refs/${name}`, object: { sha: body['sha'], type: 'commit' } });
    }
    if (req.method === 'PATCH' && (g = /^\/git\/refs\/(.+)$/.exec(rest))) {
      const current = repo.refs.get(g[1]!);
      if (!current)
        return reply(res, 422, {
          message: 'Reference does not exist',
          documentation_url: DOCS,
          status: '422',
        });
      const target = String(body['sha']);
      if (!body['force'] && !isAncestor(repo, current, target))
        return reply(res, 422, {
          message: 'Update is not a fast forward',
          documentation_url: DOCS,
          status: '422',
        });
      repo.refs.set(g[1]!, target);
      return reply(res, 200, { ref: `refs/${g[1]}`, object: { sha: target, type: 'commit' } });
    }
    if (req.method === 'GET' && (g = /^\/git\/commits\/([0-9a-f]{40})$/.exec(rest)))
      return repo.commits.has(g[1]!) ? reply(res, 200, commitJson(repo, g[1]!)) : notFound(res);
    if (req.method === 'POST' && rest === '/git/commits') {
      const tree = String(body['tree']);
      if (!repo.trees.has(tree))
        return reply(res, 422, {
          message: 'Tree SHA does not exist',
          documentation_url: DOCS,
          status: '422',
        });
      const sha = sha1(`commit ${tree} ${JSON.stringify(body['parents'])} ${body['message']} ${nextId++}`);
      repo.commits.set(sha, {
        tree,
        parents: (body['parents'] as string[]) ?? [],
        message: String(body['message']),
        date: now(),
      });
      return reply(res, 201, commitJson(repo, sha));
    }
    if (req.method === 'POST' && rest === '/git/blobs') {
      const sha = putBlob(
        repo,
        Buffer.from(String(body['content']), body['encoding'] === 'base64' ? 'base64' : 'utf8'),
      );
      return reply(res, 201, { sha, url: `${base}/blobs/${sha}` });
    }
    if (req.method === 'GET' && (g = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(rest))) {
      const blob = repo.blobs.get(g[1]!);
      return blob
        ? reply(res, 200, {
            sha: g[1],
            size: blob.length,
            encoding: 'base64',
            content: blob.toString('base64'),
          })
        : notFound(res);
    }
    if (req.method === 'GET' && (g = /^\/git\/trees\/(.+)$/.exec(rest))) {
      const commit = resolveCommit(repo, g[1]!);
      const treeSha = commit ? repo.commits.get(commit)!.tree : repo.trees.has(g[1]!) ? g[1]! : undefined;
      if (!treeSha) return notFound(res);
      const entries: { path: string; mode: string; type: string; sha: string; size?: number }[] = [];
      const walk = (sha: string, prefix: string) => {
        for (const [name, e] of repo.trees.get(sha)!) {
          const path = prefix ? `${prefix}/${name}` : name;
          entries.push({
            path,
            mode: e.mode,
            type: e.type,
            sha: e.sha,
            ...(e.type === 'blob' ? { size: repo.blobs.get(e.sha)!.length } : {}),
          });
          if (e.type === 'tree' && q.get('recursive')) walk(e.sha, path);
        }
      };
      walk(treeSha, '');
      return reply(res, 200, { sha: treeSha, url: '', tree: entries, truncated: false });
    }
    if (req.method === 'POST' && rest === '/git/trees') {
      const flat = body['base_tree']
        ? flatten(repo, String(body['base_tree']))
        : new Map<string, { mode: string; sha: string }>();
      for (const e of body['tree'] as {
        path: string;
        mode: string;
        sha?: string | null;
        content?: string;
      }[]) {
        if (e.sha === null) {
          if (!flat.delete(e.path))
            return reply(res, 422, {
              message: `GitRPC::BadObjectState`,
              documentation_url: DOCS,
              status: '422',
            });
        } else if (e.content !== undefined)
          flat.set(e.path, { mode: e.mode, sha: putBlob(repo, Buffer.from(e.content, 'utf8')) });
        else if (e.sha) {
          if (!repo.blobs.has(e.sha))
            return reply(res, 422, { message: 'Invalid tree info', documentation_url: DOCS, status: '422' });
          flat.set(e.path, { mode: e.mode, sha: e.sha });
        }
      }
      const sha = build(repo, flat);
      return reply(res, 201, {
        sha,
        url: '',
        tree: [...repo.trees.get(sha)!].map(([path, e]) => ({ path, ...e })),
        truncated: false,
      });
    }
    if ((g = /^\/contents\/(.+)$/.exec(rest))) {
      const path = g[1]!;
      const branch = req.method === 'GET' ? q.get('ref') : ((body['branch'] as string | undefined) ?? null);
      const head = resolveCommit(repo, branch);
      if (!head)
        return reply(res, 404, {
          message: `No commit found for the ref ${branch}`,
          documentation_url: DOCS,
          status: '404',
        });
      const flat = flatten(repo, repo.commits.get(head)!.tree);
      const file = flat.get(path);
      if (req.method === 'GET') {
        if (file) {
          const content = repo.blobs.get(file.sha)!;
          const big = content.length > 1024 * 1024;
          return reply(res, 200, {
            type: 'file',
            name: path.split('/').pop(),
            path,
            sha: file.sha,
            size: content.length,
            encoding: big ? 'none' : 'base64',
            content: big ? '' : (content.toString('base64').match(/.{1,60}/g) ?? []).join('\n'),
            html_url: `https://github.com/x/blob/${path}`,
            download_url: `https://raw.githubusercontent.com/x/${path}`,
            url: '',
            git_url: '',
            _links: { self: '', git: '', html: '' },
          });
        }
        const children = new Map<string, string>();
        for (const key of flat.keys())
          if (key.startsWith(`${path}/`))
            children.set(
              key.slice(path.length + 1).split('/')[0]!,
              key.slice(path.length + 1).includes('/') ? 'dir' : 'file',
            );
        if (children.size === 0) return notFound(res);
        return reply(
          res,
          200,
          [...children].map(([name, type]) => ({
            type,
            name,
            path: `${path}/${name}`,
            sha: '0'.repeat(40),
            size: 0,
          })),
        );
      }
      const branchName = branch ?? repo.default_branch;
      if (req.method === 'PUT') {
        if (file && !body['sha'])
          return reply(res, 422, {
            message: 'Invalid request.\n\n"sha" wasn\'t supplied.',
            documentation_url: DOCS,
            status: '422',
          });
        if (file && body['sha'] !== file.sha)
          return reply(res, 409, {
            message: `${path} does not match ${body['sha']}`,
            documentation_url: DOCS,
            status: '409',
          });
        if (!file && body['sha'])
          return reply(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
        const blob = putBlob(repo, Buffer.from(String(body['content']), 'base64'));
        flat.set(path, { mode: file?.mode ?? '100644', sha: blob });
        const commit = commitFiles(repo, flat, [head], String(body['message']));
        repo.refs.set(`heads/${branchName}`, commit);
        return reply(res, file ? 200 : 201, {
          content: { sha: blob, path, html_url: `https://github.com/x/blob/${path}` },
          commit: {
            sha: commit,
            message: body['message'],
            html_url: `https://github.com/x/commit/${commit}`,
          },
        });
      }
      if (req.method === 'DELETE') {
        if (!file) return notFound(res);
        if (body['sha'] !== file.sha)
          return reply(res, 409, {
            message: `${path} does not match ${body['sha']}`,
            documentation_url: DOCS,
            status: '409',
          });
        flat.delete(path);
        const commit = commitFiles(repo, flat, [head], String(body['message']));
        repo.refs.set(`heads/${branchName}`, commit);
        return reply(res, 200, {
          content: null,
          commit: {
            sha: commit,
            message: body['message'],
            html_url: `https://github.com/x/commit/${commit}`,
          },
        });
      }
    }
    if (req.method === 'GET' && rest === '/issues') {
      const state = q.get('state') ?? 'open';
      const labels = q.get('labels')?.split(',') ?? [];
      const items = repo.issues
        .filter((i) => (state === 'all' || i.state === state) && labels.every((l) => i.labels.includes(l)))
        .sort((a, b) => b.number - a.number)
        .map((i) => issueJson(repo, i));
      return paged(req, res, items);
    }
    if (req.method === 'GET' && (g = /^\/issues\/(\d+)$/.exec(rest))) {
      const issue = repo.issues.find((i) => i.number === Number(g![1]));
      return issue ? reply(res, 200, issueJson(repo, issue)) : notFound(res);
    }
    if (req.method === 'POST' && rest === '/issues') {
      const issue: Issue = {
        number: repo.issues.length + 1,
        title: String(body['title']),
        body: String(body['body'] ?? ''),
        state: 'open',
        labels: (body['labels'] as string[]) ?? [],
        assignees: (body['assignees'] as string[]) ?? [],
        comments: [],
        created_at: now(),
      };
      repo.issues.push(issue);
      return reply(res, 201, issueJson(repo, issue));
    }
    if (req.method === 'POST' && (g = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = repo.issues.find((i) => i.number === Number(g![1]));
      if (!issue) return notFound(res);
      const comment = { id: nextId++, body: String(body['body']) };
      issue.comments.push(comment);
      return reply(res, 201, {
        id: comment.id,
        body: comment.body,
        html_url: `https://github.com/x/issues/${issue.number}#issuecomment-${comment.id}`,
        created_at: now(),
      });
    }
    if (req.method === 'POST' && rest === '/pulls') {
      const head = String(body['head']);
      if (!repo.refs.has(`heads/${head.split(':').pop()}`)) {
        return reply(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }],
          documentation_url: DOCS,
          status: '422',
        });
      }
      const issue: Issue = {
        number: repo.issues.length + 1,
        title: String(body['title']),
        body: String(body['body'] ?? ''),
        state: 'open',
        labels: [],
        assignees: [],
        comments: [],
        created_at: now(),
        pull: { head, base: String(body['base']), draft: Boolean(body['draft']), merged: false },
      };
      repo.issues.push(issue);
      return reply(res, 201, {
        ...issueJson(repo, issue),
        html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${issue.number}`,
      });
    }
    if (req.method === 'PATCH' && (g = /^\/issues\/(\d+)$/.exec(rest))) {
      const issue = repo.issues.find((i) => i.number === Number(g![1]));
      if (!issue) return notFound(res);
      if (typeof body['title'] === 'string') issue.title = body['title'];
      if (typeof body['body'] === 'string') issue.body = body['body'];
      if (body['state'] === 'open' || body['state'] === 'closed') issue.state = body['state'];
      if (Array.isArray(body['labels'])) issue.labels = body['labels'] as string[];
      if (Array.isArray(body['assignees'])) issue.assignees = body['assignees'] as string[];
      return reply(res, 200, issueJson(repo, issue));
    }
    if (req.method === 'GET' && rest === '/pulls') {
      const state = q.get('state') ?? 'open';
      return paged(
        req,
        res,
        repo.issues
          .filter((i) => i.pull && (state === 'all' || i.state === state))
          .sort((a, b) => b.number - a.number)
          .map((i) => pullJson(repo, i)),
      );
    }
    if ((g = /^\/pulls\/(\d+)(\/files|\/merge)?$/.exec(rest))) {
      const pr = repo.issues.find((i) => i.number === Number(g![1]) && i.pull);
      if (!pr) return notFound(res);
      const files = () => changes(repo, headOf(repo, pr.pull!.base), headOf(repo, pr.pull!.head)!);
      if (req.method === 'GET' && !g[2]) {
        if (String(req.headers.accept).includes('diff')) {
          res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
          return void res.end(diffText(files()));
        }
        return reply(res, 200, pullJson(repo, pr));
      }
      if (req.method === 'GET' && g[2] === '/files') return paged(req, res, files());
      if (req.method === 'PUT' && g[2] === '/merge') {
        if (pr.pull!.merged || pr.state !== 'open')
          return reply(res, 405, {
            message: 'Pull Request is not mergeable',
            documentation_url: DOCS,
            status: '405',
          });
        const headSha = headOf(repo, pr.pull!.head)!;
        if (body['sha'] && body['sha'] !== headSha)
          return reply(res, 409, {
            message: 'Head branch was modified. Review and try the merge again.',
            documentation_url: DOCS,
            status: '409',
          });
        const baseSha = headOf(repo, pr.pull!.base)!;
        const merged = commitFiles(
          repo,
          flatten(repo, repo.commits.get(headSha)!.tree),
          [baseSha, headSha],
          String(body['commit_title'] ?? `Merge pull request #${pr.number}`),
        );
        repo.refs.set(`heads/${pr.pull!.base}`, merged);
        pr.pull!.merged = true;
        pr.state = 'closed';
        return reply(res, 200, { sha: merged, merged: true, message: 'Pull Request successfully merged' });
      }
    }
    if (req.method === 'GET' && rest === '/commits') {
      let sha = resolveCommit(repo, q.get('sha'));
      const list: unknown[] = [];
      while (sha) {
        const c = repo.commits.get(sha)!;
        list.push({
          sha,
          html_url: `https://github.com/x/commit/${sha}`,
          commit: { message: c.message, author: { name: 'Me', email: 'me@example.com', date: c.date } },
          author: { login: 'me' },
          parents: c.parents.map((x) => ({ sha: x })),
        });
        sha = c.parents[0];
      }
      return paged(req, res, list);
    }
    if (req.method === 'GET' && (g = /^\/commits\/(.+)$/.exec(rest))) {
      const sha = resolveCommit(repo, g[1]!);
      if (!sha)
        return reply(res, 422, {
          message: `No commit found for SHA: ${g[1]}`,
          documentation_url: DOCS,
          status: '422',
        });
      const c = repo.commits.get(sha)!;
      const files = changes(repo, c.parents[0], sha);
      return reply(res, 200, {
        sha,
        html_url: `https://github.com/x/commit/${sha}`,
        commit: { message: c.message, author: { name: 'Me', email: 'me@example.com', date: c.date } },
        author: { login: 'me' },
        parents: c.parents.map((x) => ({ sha: x })),
        stats: {
          additions: files.reduce((n, f) => n + f.additions, 0),
          deletions: files.reduce((n, f) => n + f.deletions, 0),
          total: files.reduce((n, f) => n + f.changes, 0),
        },
        files,
      });
    }
    if (req.method === 'GET' && rest === '/releases')
      return paged(
        req,
        res,
        [...repo.releases].reverse().map((rel) => releaseJson(repo, rel)),
      );
    if (req.method === 'GET' && rest === '/releases/latest') {
      const latest = [...repo.releases].reverse().find((rel) => !rel.draft && !rel.prerelease);
      return latest ? reply(res, 200, releaseJson(repo, latest)) : notFound(res);
    }
    if (req.method === 'GET' && (g = /^\/releases\/tags\/(.+)$/.exec(rest))) {
      const rel = repo.releases.find((x) => x.tag_name === g![1]);
      return rel ? reply(res, 200, releaseJson(repo, rel)) : notFound(res);
    }
    if (req.method === 'POST' && rest === '/releases') {
      if (repo.releases.some((x) => x.tag_name === body['tag_name'])) {
        return reply(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
          documentation_url: DOCS,
          status: '422',
        });
      }
      const rel: Release = {
        id: nextId++,
        tag_name: String(body['tag_name']),
        name: (body['name'] as string) ?? null,
        body: (body['body'] as string) ?? null,
        draft: Boolean(body['draft']),
        prerelease: Boolean(body['prerelease']),
        target_commitish: String(body['target_commitish'] ?? repo.default_branch),
        created_at: now(),
      };
      repo.releases.push(rel);
      return reply(res, 201, releaseJson(repo, rel));
    }
    if (req.method === 'PATCH' && (g = /^\/releases\/(\d+)$/.exec(rest))) {
      const rel = repo.releases.find((x) => x.id === Number(g![1]));
      if (!rel) return notFound(res);
      for (const key of ['tag_name', 'name', 'body', 'draft', 'prerelease', 'target_commitish'] as const) {
        if (body[key] !== undefined) (rel as unknown as Record<string, unknown>)[key] = body[key];
      }
      return reply(res, 200, releaseJson(repo, rel));
    }
    return notFound(res);
  }

  return {
    url: base,
    token,
    requests: api.requests,
    violations,
    repos,
    addRepo,
    files,
    failNext(kind, count = 1, retryAfter = '1') {
      for (let i = 0; i < count; i++) failures.push({ kind, retryAfter });
    },
    close: api.close,
  };
}
