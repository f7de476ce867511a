// A local Jira Cloud for tests, on 127.0.0.1. Every request is checked against Jira's OpenAPI
// descriptions (openapi.ts) and every ADF document against the published ADF schema
// (adf-schema.ts); what the real API would reject is answered 400 and recorded in `violations`,
// so a test fails on it. Jira's own behaviour is imitated where the server depends on it: basic
// auth (401 as text), 403 on a project without permission, 404 and 400 with `errorMessages` /
// `errors`, `nextPageToken` paging on POST /rest/api/3/search/jql, 410 on the removed
// /rest/api/3/search, 429 with Retry-After, boards and sprints (a Kanban board has none).
import type { ServerResponse } from 'node:http';
import { sendJson, startFakeHttpServer, type RecordedRequest } from '@org/mcp-core/testing';
import { adfProblem } from './adf-schema.js';
import { checkRequest, matchOperation } from './openapi.js';
import { handleAgile } from './agile.js';
import { handlePlatform } from './platform.js';
import { seed, type State } from './state.js';

/** What a route handler gets. */
export interface RouteContext {
  state: State;
  req: RecordedRequest;
  res: ServerResponse;
  params: Record<string, string>;
  /** The parsed JSON body (undefined when none). */
  body: unknown;
  base: string;
  /** Records an ADF document that fails the schema and reports whether it was valid. */
  checkAdf(doc: unknown, where: string): boolean;
}

/** Jira's error body. */
export function jiraError(
  res: ServerResponse,
  status: number,
  messages: string[],
  errors: Record<string, string> = {},
): void {
  sendJson(res, status, { errorMessages: messages, errors });
}

export interface FakeJira {
  url: string;
  email: string;
  token: string;
  state: State;
  requests: RecordedRequest[];
  /** Requests the real API would reject (OpenAPI or ADF schema), as found by the checks. */
  violations: string[];
  /** Every ADF document the server sent, in order. */
  adfDocuments: unknown[];
  /** The next `count` requests (matching `path` when given) fail with this status. */
  failNext(
    status: 429 | 500 | 502 | 503,
    options?: { count?: number; retryAfter?: number; path?: RegExp },
  ): void;
  /** The next request waits `ms` before it is answered (for timeouts). */
  stallNext(ms: number): void;
  /** Requests sent with a method and a path matching `path` (query included). */
  sent(method: string, path: RegExp): RecordedRequest[];
  /** Adds an issue directly (no request recorded) and returns its key. */
  addIssue(project: string, fields: Record<string, unknown>): string;
  close(): Promise<void>;
}

export async function startFakeJira(options: { email?: string; token?: string } = {}): Promise<FakeJira> {
  const email = options.email ?? 'alice@example.com';
  const token = options.token ?? 'ATATT3xFfGF0fakeJiraApiToken0123456789';
  const state = seed(email);
  const violations: string[] = [];
  const adfDocuments: unknown[] = [];
  const faults: {
    status: number;
    count: number;
    retryAfter?: number | undefined;
    path?: RegExp | undefined;
  }[] = [];
  const expected = `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
  let base = '';
  let stall = 0;

  const server = await startFakeHttpServer(async (req, res) => {
    const path = req.url.pathname;
    if (stall > 0) {
      const ms = stall;
      stall = 0;
      await new Promise((r) => setTimeout(r, ms));
    }
    const fault = faults.find((f) => f.count > 0 && (!f.path || f.path.test(req.path)));
    if (fault) {
      fault.count--;
      const headers: Record<string, string> = {};
      if (fault.status === 429) {
        headers['retry-after'] = String(fault.retryAfter ?? 1);
        headers['x-ratelimit-reset'] = new Date(Date.now() + (fault.retryAfter ?? 1) * 1000).toISOString();
        headers['ratelimit-reason'] = 'jira-burst-based';
      } else if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      sendJson(
        res,
        fault.status,
        {
          errorMessages: [fault.status === 429 ? 'Rate limit exceeded.' : 'Internal server error'],
          errors: {},
        },
        headers,
      );
      return;
    }
    if (req.headers['authorization'] !== expected) {
      res.writeHead(401, {
        'content-type': 'text/plain;charset=UTF-8',
        'www-authenticate': 'Basic realm="protected-area"',
      });
      res.end('Client must be authenticated to access this resource.');
      return;
    }
    // The removed search endpoints answer 410 on Cloud (CHANGE-2046), before any other check.
    if (path === '/rest/api/3/search') {
      jiraError(res, 410, [
        'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046',
      ]);
      return;
    }
    const problem = checkRequest(req);
    if (problem) {
      violations.push(problem);
      const unknown = !matchOperation(req.method, path);
      if (unknown) sendJson(res, 404, { errorMessages: [`null for uri: ${base}${req.path}`] });
      else jiraError(res, 400, [problem]);
      return;
    }
    const found = matchOperation(req.method, path)!;
    let body: unknown;
    if (req.body !== '' && String(req.headers['content-type'] ?? '').startsWith('application/json'))
      body = JSON.parse(req.body);
    const ctx: RouteContext = {
      state,
      req,
      res,
      params: found.params,
      body,
      base,
      checkAdf(doc, where) {
        adfDocuments.push(doc);
        const why = adfProblem(doc);
        if (why) {
          violations.push(`${req.method} ${found.op.template}: ${where} is not valid ADF: ${why}`);
          return false;
        }
        return true;
      },
    };
    const route = `${req.method} ${found.op.template}`;
    const handled = route.includes('/rest/agile/1.0/')
      ? await handleAgile(route, ctx)
      : await handlePlatform(route, ctx);
    if (!handled) {
      violations.push(`${route}: not implemented by the fake`);
      jiraError(res, 501, [`${route} is not implemented by the fake Jira`]);
    }
  });
  base = server.url;

  return {
    url: server.url,
    email,
    token,
    state,
    requests: server.requests,
    violations,
    adfDocuments,
    failNext(status, opts = {}) {
      faults.push({ status, count: opts.count ?? 1, retryAfter: opts.retryAfter, path: opts.path });
    },
    stallNext(ms) {
      stall = ms;
    },
    sent: (method, path) => server.requests.filter((r) => r.method === method && path.test(r.path)),
    addIssue(project, fields) {
      return createIssueInState(state, project, fields);
    },
    close: () => server.close(),
  };
}

/** Creates an issue in the state (no validation): the seed helper tests use. */
export function createIssueInState(
  state: State,
  projectKey: string,
  fields: Record<string, unknown>,
): string {
  const project = state.projects.find((p) => p.key === projectKey);
  if (!project) throw new Error(`no project ${projectKey}`);
  const n = (state.counters.get(projectKey) ?? 0) + 1;
  state.counters.set(projectKey, n);
  const id = String(state.nextId++);
  const key = `${projectKey}-${n}`;
  const typeName = (fields['issuetype'] as { name?: string } | undefined)?.name ?? 'Task';
  const type = project.issueTypes.find((t) => t.name === typeName) ?? project.issueTypes[0]!;
  const now = new Date(Date.UTC(2026, 0, 1) + state.nextId * 60_000).toISOString().replace('Z', '+0000');
  state.issues.set(key, {
    id,
    key,
    fields: {
      summary: '',
      description: null,
      labels: [],
      priority: { id: '3', name: 'Medium' },
      assignee: null,
      reporter: state.me,
      status: { id: '10000', name: 'To Do', statusCategory: { id: 2, key: 'new', name: 'To Do' } },
      created: now,
      updated: now,
      customfield_10020: null,
      ...fields,
      issuetype: { id: type.id, name: type.name, subtask: type.subtask, hierarchyLevel: type.hierarchyLevel },
      project: { id: project.id, key: project.key, name: project.name },
    },
    comments: [],
    worklogs: [],
    watchers: [state.me.accountId],
    attachments: [],
    remoteLinks: [],
    changelog: [],
  });
  return key;
}
