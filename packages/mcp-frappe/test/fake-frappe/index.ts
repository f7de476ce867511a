// A fake Frappe site on 127.0.0.1 built from the framework's route tables (frappe/api/v1.py,
// frappe/api/v2.py) and documented answers: token auth, role and user permissions, the
// permission-checked REST list, Frappe's error bodies per exception class, and a /api/v2 that
// can be switched off (a v14 site). `requests` records what the server under test sent.
import type { ServerResponse } from 'node:http';
import { sendJson, startFakeHttpServer, type RecordedRequest } from '@org/mcp-core/testing';
import { FrappeException, sendFrappeError } from './errors.js';
import { getList } from './list.js';
import { methods } from './methods.js';
import { FakeSite, type Doc, type FakeUser } from './state.js';
import { seed } from './seed.js';

export { TRACEBACK_MARKER } from './errors.js';
export type { Doc, FakeUser } from './state.js';

/** A canned answer for the next requests whose path contains `path`. */
export interface Injected {
  path: string;
  status: number;
  times: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export interface FakeFrappe {
  url: string;
  site: FakeSite;
  requests: RecordedRequest[];
  /** admin: every permission; clerk: limited roles and a user permission on Customer; approver: approves expense claims. */
  users: { admin: FakeUser; clerk: FakeUser; approver: FakeUser };
  /** Whether /api/v2 is served (Frappe 15+); off, /api/v2 answers 404 as a v14 site does. */
  v2: boolean;
  /** v14's search_link answer shape ({results}) instead of v15's ({message}). */
  legacySearch: boolean;
  /**
   * The site's rate limit (site_config `rate_limit: {limit, window}`), counted here in requests
   * rather than Frappe's seconds of request time: past `limit` in a window of `window` seconds,
   * TooManyRequestsError (429) with Retry-After until the window ends (frappe/rate_limiter.py).
   */
  rateLimit: { limit: number; window: number } | undefined;
  inject(injection: Omit<Injected, 'times'> & { times?: number }): void;
  /** Requests to /api/… other than the ones --check and meta make, for "no request was sent" checks. */
  apiRequests(): RecordedRequest[];
  close(): Promise<void>;
}

function authenticate(site: FakeSite, req: RecordedRequest): FakeUser {
  const header = req.headers['authorization'];
  if (!header)
    throw new FrappeException('PermissionError', 'Not permitted', {
      serverMessage: 'Not permitted. Login as Guest',
    });
  const match = /^token ([^:\s]+):(\S+)$/.exec(String(header));
  const user = match && site.users.find((u) => u.key === match[1] && u.secret === match[2]);
  if (!user) throw new FrappeException('AuthenticationError', 'Invalid API key or secret');
  return user;
}

function bodyOf(req: RecordedRequest): Record<string, unknown> {
  if (!req.body) return {};
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('json')) return JSON.parse(req.body) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(req.body));
}

/** frappe.form_dict: query parameters and the body together. */
export function formDict(req: RecordedRequest): Record<string, unknown> {
  return { ...Object.fromEntries(req.url.searchParams), ...bodyOf(req) };
}

/** Starts the fake with its seeded documents. */
export async function startFakeFrappe(options: { v2?: boolean } = {}): Promise<FakeFrappe> {
  const site = new FakeSite();
  const users = seed(site);
  const injections: Injected[] = [];
  const fake: Partial<FakeFrappe> & {
    v2: boolean;
    legacySearch: boolean;
    rateLimit: FakeFrappe['rateLimit'];
  } = {
    v2: options.v2 ?? true,
    legacySearch: false,
    rateLimit: undefined,
  };
  const counter = { window: -1, count: 0 };
  const rateLimited = (): FrappeException | undefined => {
    const limit = fake.rateLimit;
    if (!limit) return undefined;
    const seconds = Date.now() / 1000;
    const window = Math.floor(seconds / limit.window);
    if (window !== counter.window) Object.assign(counter, { window, count: 0 });
    counter.count++;
    if (counter.count <= limit.limit) return undefined;
    const reset = String(Math.max(1, Math.ceil(limit.window - (seconds % limit.window))));
    return new FrappeException('TooManyRequestsError', '', {
      bare: true,
      headers: {
        'retry-after': reset,
        'x-ratelimit-reset': reset,
        'x-ratelimit-limit': String(limit.limit * 1_000_000),
        'x-ratelimit-remaining': '0',
      },
    });
  };

  const handle = (req: RecordedRequest, res: ServerResponse) => {
    const injected = injections.find((i) => i.times > 0 && req.path.includes(i.path));
    if (injected) {
      injected.times--;
      if (injected.text !== undefined) {
        res.writeHead(injected.status, { 'content-type': 'text/html; charset=utf-8', ...injected.headers });
        res.end(injected.text);
      } else sendJson(res, injected.status, injected.body ?? {}, injected.headers);
      return;
    }
    const path = req.url.pathname;
    const isV2 = path.startsWith('/api/v2/');
    try {
      const limited = rateLimited();
      if (limited) throw limited;
      if (isV2 && !fake.v2)
        throw new FrappeException('DoesNotExistError', 'Not found', { serverMessage: 'Not Found' });
      const user = authenticate(site, req);
      if (isV2) return v2(site, user, req, res);
      if (path.startsWith('/api/method/')) {
        const method = decodeURIComponent(path.slice('/api/method/'.length)).split('/')[0]!;
        const impl = methods[method];
        if (!impl) {
          throw new FrappeException(
            'ValidationError',
            `Failed to get method for command ${method} with No module named '${method}'`,
          );
        }
        const out = impl({ site, user, req, form: formDict(req), legacySearch: fake.legacySearch });
        return sendJson(res, 200, out);
      }
      if (path.startsWith('/api/resource/')) return resource(site, user, req, res);
      throw new FrappeException('DoesNotExistError', 'Not found');
    } catch (error) {
      if (error instanceof FrappeException) return sendFrappeError(res, error, isV2);
      throw error;
    }
  };

  const http = await startFakeHttpServer(handle);
  return Object.assign(fake, {
    url: http.url,
    site,
    requests: http.requests,
    users,
    inject(i: Omit<Injected, 'times'> & { times?: number }) {
      injections.push({ times: 1, ...i });
    },
    apiRequests: () => http.requests.filter((r) => r.url.pathname.startsWith('/api/')),
    close: () => http.close(),
  }) as FakeFrappe;
}

/** /api/resource/{doctype}[/{name}] (frappe/api/v1.py url_rules; the name is a <path:>). */
function resource(site: FakeSite, user: FakeUser, req: RecordedRequest, res: ServerResponse): void {
  const rest = decodeURIComponent(req.url.pathname.slice('/api/resource/'.length));
  const cut = rest.indexOf('/');
  const doctype = cut < 0 ? rest : rest.slice(0, cut);
  const name = cut < 0 ? undefined : rest.slice(cut + 1).replace(/\/$/, '');
  if (name === undefined) {
    if (req.method === 'GET')
      return sendJson(res, 200, { data: getList(site, user, doctype, req.url.searchParams) });
    if (req.method === 'POST') return sendJson(res, 200, { data: site.insert(user, doctype, bodyOf(req)) });
  } else {
    if (req.method === 'GET') {
      if (site.doctype(doctype).name === 'Prepared Report')
        return sendJson(res, 200, { data: pollPrepared(site, name) });
      return sendJson(res, 200, { data: site.read(user, doctype, name) });
    }
    if (req.method === 'PUT')
      return sendJson(res, 200, { data: site.update(user, doctype, name, bodyOf(req)) });
    if (req.method === 'DELETE') {
      site.remove(user, doctype, name);
      return sendJson(res, 202, { data: 'ok' });
    }
  }
  throw new FrappeException('DoesNotExistError', 'Not found');
}

function pollPrepared(site: FakeSite, name: string): Doc {
  const p = site.prepared.get(name);
  if (!p) throw new FrappeException('DoesNotExistError', `Prepared Report ${name} not found`);
  const report = site.reports.get(p.report_name)!;
  p.polls++;
  if (p.status !== 'Completed' && p.status !== 'Error') {
    if (report.failWith && p.polls >= 1) {
      p.status = 'Error';
      p.error_message = report.failWith;
    } else if (report.pollsToComplete !== -1 && p.polls >= (report.pollsToComplete ?? 2))
      p.status = 'Completed';
    else p.status = 'Started';
  }
  return { ...p, doctype: 'Prepared Report' };
}

/** /api/v2 (frappe/api/v2.py): documents, counts, doc methods, methods; bodies are {data}. */
function v2(site: FakeSite, user: FakeUser, req: RecordedRequest, res: ServerResponse): void {
  const parts = req.url.pathname.slice('/api/v2/'.length).split('/').map(decodeURIComponent);
  const form = formDict(req);
  if (parts[0] === 'method') {
    const impl = methods[parts.slice(1).join('.')] ?? methods[parts[1]!];
    if (!impl) throw new FrappeException('ValidationError', `Failed to get method ${parts[1]}`);
    const out = impl({ site, user, req, form, legacySearch: false }) as { message?: unknown };
    return sendJson(res, 200, { data: out.message ?? null });
  }
  if (parts[0] === 'doctype' && parts[2] === 'count') {
    const { docs } =
      (site.require(user, site.doctype(parts[1]!).name, 'read'),
      listAll(site, user, parts[1]!, form['filters'], form['or_filters']));
    return sendJson(res, 200, { data: docs.length });
  }
  if (parts[0] === 'document') {
    const doctype = parts[1]!;
    const name = parts[2];
    if (name === undefined) {
      if (req.method === 'GET') {
        const limit = Number(form['limit'] ?? 20);
        const rows = getList(site, user, doctype, {
          fields: form['fields'],
          filters: form['filters'],
          or_filters: form['or_filters'],
          order_by: form['order_by'],
          limit_start: form['start'] ?? 0,
          limit_page_length: limit + 1,
        });
        return sendJson(res, 200, { data: rows.slice(0, limit), has_next_page: rows.length > limit });
      }
      if (req.method === 'POST') return sendJson(res, 200, { data: site.insert(user, doctype, bodyOf(req)) });
    } else if (parts[3] === 'method' && req.method === 'POST') {
      const method = parts[4];
      if (method !== 'submit' && method !== 'cancel')
        throw new FrappeException('PermissionError', `Method ${method} is not whitelisted`);
      const doc = site.transition(user, doctype, name, method === 'submit' ? 1 : 2);
      return sendJson(res, 200, { data: null, docs: [doc] });
    } else {
      if (req.method === 'GET') return sendJson(res, 200, { data: site.read(user, doctype, name) });
      if (req.method === 'PATCH' || req.method === 'PUT')
        return sendJson(res, 200, { data: site.update(user, doctype, name, bodyOf(req)) });
      if (req.method === 'DELETE') {
        site.remove(user, doctype, name);
        return sendJson(res, 202, { data: 'ok' });
      }
    }
  }
  throw new FrappeException('DoesNotExistError', 'Not found');
}

function listAll(site: FakeSite, user: FakeUser, doctype: string, filters: unknown, orFilters: unknown) {
  return { docs: getList(site, user, doctype, { filters, or_filters: orFilters, limit_page_length: 0 }) };
}
