import {
  createHttpClient,
  ToolError,
  type HttpClient,
  type HttpRequest,
  type Logger,
  type Pacer,
} from '@org/mcp-core';
import { siteOf, type Config } from '../config.js';
import { parseFrappeError } from './errors.js';
import { DoctypeGuard } from './guard.js';
import { readMetaBundle, type DocTypeMeta } from './meta.js';
import type { Filter, MetaSource } from './query.js';

/** A document as Frappe returns it. */
export type Doc = Record<string, unknown>;

/** Options for tests: shorter retry waits, a shorter meta cache, a faster prepared-report poll. */
export interface ClientOptions {
  retryBaseMs?: number;
  maxRetryWaitMs?: number;
  metaTtlMs?: number;
  pollMs?: number;
  /** Paces request starts instead of FRAPPE_RATE_LIMIT_DELAY alone (a pacer shared through Redis). */
  pacer?: Pacer;
}

/** One page of a list: the rows and whether more exist after them. */
export interface ListPage {
  rows: Doc[];
  hasMore: boolean;
}

/** What a list request asks for (already checked against the meta). */
export interface ListQuery {
  fields: string[];
  filters: Filter[];
  /** Rows match when any of these holds (Frappe's or_filters), beside every one of `filters`. */
  orFilters?: Filter[];
  /** A child DocType's rows: the parent DocType (frappe.client.get_list's `parent`). */
  parent?: string | undefined;
  orderBy?: string | undefined;
  start: number;
  limit: number;
}

const enc = encodeURIComponent;

/**
 * The Frappe REST API as the tools use it, over mcp-core's HTTP client (token auth, timeouts,
 * retries of idempotent requests, Frappe's error bodies read by parseFrappeError). Documents,
 * lists, counts, submit and cancel go through v1 (`/api/resource`, `/api/method`) or v2
 * (`/api/v2/document`) as FRAPPE_API_VERSION says; meta, search, reports and methods use the v1
 * method routes, which every version from 14 on serves.
 */
export class FrappeClient implements MetaSource {
  readonly site: string;
  readonly guard: DoctypeGuard;
  readonly v2: boolean;
  readonly pollMs: number;
  private readonly http: HttpClient;
  private readonly logger: Logger;
  private readonly metaTtlMs: number;
  private readonly metas = new Map<string, { at: number; meta: Promise<DocTypeMeta> }>();

  constructor(config: Config, logger: Logger, options: ClientOptions = {}) {
    this.site = siteOf(config);
    this.logger = logger;
    this.v2 = config.FRAPPE_API_VERSION === 'v2';
    this.guard = new DoctypeGuard(config.FRAPPE_DOCTYPES_ALLOW, config.FRAPPE_DOCTYPES_DENY);
    this.metaTtlMs = options.metaTtlMs ?? 5 * 60_000;
    this.pollMs = options.pollMs ?? 1000;
    this.http = createHttpClient({
      baseUrl: this.site,
      vendor: 'Frappe',
      auth: {
        type: 'header',
        name: 'Authorization',
        value: `token ${config.FRAPPE_API_KEY}:${config.FRAPPE_API_SECRET}`,
      },
      timeoutMs: config.FRAPPE_TIMEOUT * 1000,
      retries: config.FRAPPE_MAX_RETRIES,
      minIntervalMs: config.FRAPPE_RATE_LIMIT_DELAY * 1000,
      ...(options.pacer ? { pacer: options.pacer } : {}),
      ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
      ...(options.maxRetryWaitMs !== undefined ? { maxRetryWaitMs: options.maxRetryWaitMs } : {}),
      userAgent: 'org-mcp-frappe',
      headers: { accept: 'application/json' },
      logger,
      parseError: parseFrappeError,
    });
  }

  /** One request, logged at debug (method, path, status, time; never headers or bodies). */
  async request<T>(request: HttpRequest): Promise<T> {
    const started = Date.now();
    try {
      const res = await this.http.request<T>(request);
      this.logger.debug(
        { method: request.method, path: request.path, status: res.status, ms: Date.now() - started },
        'frappe request',
      );
      return res.data;
    } catch (error) {
      this.logger.debug(
        {
          method: request.method,
          path: request.path,
          ms: Date.now() - started,
          failed: (error as Error).message,
        },
        'frappe request failed',
      );
      throw error;
    }
  }

  /** GET or POST /api/method/{method}; returns `message`. */
  async method<T>(
    method: string,
    args: Record<string, unknown>,
    options: { http?: 'GET' | 'POST'; signal?: AbortSignal | undefined } = {},
  ): Promise<T> {
    const verb = options.http ?? 'GET';
    const body = await this.request<{ message?: T }>({
      method: verb,
      path: `/api/method/${method}`,
      ...(verb === 'GET' ? { query: queryOf(args) } : { json: args }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return body?.message as T;
  }

  /** The DocType's meta with its child tables, cached for a few minutes per DocType. */
  meta(doctype: string, signal?: AbortSignal): Promise<DocTypeMeta> {
    const key = doctype.trim().toLowerCase();
    const hit = this.metas.get(key);
    if (hit && Date.now() - hit.at < this.metaTtlMs) return hit.meta;
    const meta = this.request<unknown>({
      method: 'GET',
      path: '/api/method/frappe.desk.form.load.getdoctype',
      query: { doctype },
      ...(signal ? { signal } : {}),
    }).then((body) => {
      const m = readMetaBundle(body, doctype);
      if (!m) throw new ToolError('http_error', `Frappe: no meta came back for DocType ${doctype}`);
      return m;
    });
    this.metas.set(key, { at: Date.now(), meta });
    meta.catch(() => this.metas.delete(key));
    return meta;
  }

  private docPath(doctype: string, name?: string): string {
    const base = this.v2 ? `/api/v2/document/${enc(doctype)}` : `/api/resource/${enc(doctype)}`;
    return name === undefined ? base : `${base}/${enc(name)}`;
  }

  /** One document (permission-checked by Frappe: read). */
  async get(doctype: string, name: string, signal?: AbortSignal): Promise<Doc> {
    const body = await this.request<{ data: Doc }>({
      method: 'GET',
      path: this.docPath(doctype, name),
      ...sig(signal),
    });
    return body.data;
  }

  /**
   * One page of the permission-checked REST list (frappe.client.get_list / v2 document_list,
   * never get_all). v1 asks for one row more than `limit` to know whether more exist; the page
   * length sent is therefore at least 2, never Frappe's 0 = every row.
   */
  async list(doctype: string, q: ListQuery, signal?: AbortSignal): Promise<ListPage> {
    const common = {
      fields: JSON.stringify(q.fields),
      ...(q.filters.length > 0 ? { filters: JSON.stringify(q.filters) } : {}),
      ...(q.orFilters && q.orFilters.length > 0 ? { or_filters: JSON.stringify(q.orFilters) } : {}),
      ...(q.orderBy ? { order_by: q.orderBy } : {}),
    };
    // Child rows: v1's list takes `parent` (check_parent_permission) on every version; v2 has no such parameter.
    if (q.parent) {
      const body = await this.request<{ data: Doc[] }>({
        method: 'GET',
        path: `/api/resource/${enc(doctype)}`,
        query: {
          ...common,
          parent: q.parent,
          limit_start: q.start,
          limit_page_length: Math.max(1, q.limit) + 1,
        },
        ...sig(signal),
      });
      return { rows: body.data.slice(0, q.limit), hasMore: body.data.length > q.limit };
    }
    if (this.v2) {
      const body = await this.request<{ data: Doc[]; has_next_page?: boolean }>({
        method: 'GET',
        path: this.docPath(doctype),
        query: { ...common, start: q.start, limit: Math.max(1, q.limit) },
        ...sig(signal),
      });
      return {
        rows: body.data.slice(0, q.limit),
        hasMore: body.has_next_page === true || body.data.length > q.limit,
      };
    }
    const body = await this.request<{ data: Doc[] }>({
      method: 'GET',
      path: this.docPath(doctype),
      query: { ...common, limit_start: q.start, limit_page_length: Math.max(1, q.limit) + 1 },
      ...sig(signal),
    });
    return { rows: body.data.slice(0, q.limit), hasMore: body.data.length > q.limit };
  }

  /** How many documents match, with the user's permissions applied (reportview.get_count, not client.get_count). */
  async count(
    doctype: string,
    filters: Filter[],
    orFilters: Filter[] = [],
    signal?: AbortSignal,
  ): Promise<number> {
    const query = {
      ...(filters.length > 0 ? { filters: JSON.stringify(filters) } : {}),
      ...(orFilters.length > 0 ? { or_filters: JSON.stringify(orFilters) } : {}),
    };
    if (this.v2) {
      const body = await this.request<{ data: number }>({
        method: 'GET',
        path: `/api/v2/doctype/${enc(doctype)}/count`,
        query,
        ...sig(signal),
      });
      return Number(body.data);
    }
    return Number(
      await this.method<number>('frappe.desk.reportview.get_count', { doctype, ...query }, { signal }),
    );
  }

  async insert(doctype: string, data: Doc, signal?: AbortSignal): Promise<Doc> {
    const body = await this.request<{ data: Doc }>({
      method: 'POST',
      path: this.docPath(doctype),
      json: data,
      ...sig(signal),
    });
    return body.data;
  }

  async update(doctype: string, name: string, data: Doc, signal?: AbortSignal): Promise<Doc> {
    const body = await this.request<{ data: Doc }>({
      method: this.v2 ? 'PATCH' : 'PUT',
      path: this.docPath(doctype, name),
      json: data,
      ...sig(signal),
    });
    return body.data;
  }

  /** Appends a child row to its parent (frappe.client.insert with parent, parenttype, parentfield); returns the parent as saved. */
  async insertRow(row: Doc, signal?: AbortSignal): Promise<Doc> {
    return this.method<Doc>('frappe.client.insert', { doc: row }, { http: 'POST', signal });
  }

  /** Changes a child row through its parent (frappe.client.set_value); returns the parent as saved. */
  async updateRow(doctype: string, name: string, values: Doc, signal?: AbortSignal): Promise<Doc> {
    return this.method<Doc>(
      'frappe.client.set_value',
      { doctype, name, fieldname: values },
      { http: 'POST', signal },
    );
  }

  /** Deletes a document; Frappe answers 202 "ok". */
  async remove(doctype: string, name: string, signal?: AbortSignal): Promise<void> {
    await this.request({ method: 'DELETE', path: this.docPath(doctype, name), ...sig(signal) });
  }

  /** Submits a draft (docstatus 0 → 1); `doc` is the document as last read (its `modified` guards against a lost update). */
  async submit(doctype: string, doc: Doc, signal?: AbortSignal): Promise<Doc> {
    if (this.v2) return this.docMethod(doctype, String(doc['name']), 'submit', signal);
    return this.method<Doc>('frappe.client.submit', { doc }, { http: 'POST', signal });
  }

  /** Cancels a submitted document (docstatus 1 → 2). */
  async cancel(doctype: string, name: string, signal?: AbortSignal): Promise<Doc> {
    if (this.v2) return this.docMethod(doctype, name, 'cancel', signal);
    return this.method<Doc>('frappe.client.cancel', { doctype, name }, { http: 'POST', signal });
  }

  private async docMethod(doctype: string, name: string, method: string, signal?: AbortSignal): Promise<Doc> {
    const body = await this.request<{ data?: unknown; docs?: Doc[] }>({
      method: 'POST',
      path: `${this.docPath(doctype, name)}/method/${enc(method)}`,
      json: {},
      ...sig(signal),
    });
    return body.docs?.[0] ?? (await this.get(doctype, name, signal));
  }

  /** The logged-in user (frappe.auth.get_logged_user). */
  whoAmI(signal?: AbortSignal): Promise<string> {
    return this.method<string>('frappe.auth.get_logged_user', {}, { signal });
  }

  /** Installed apps and versions (frappe.utils.change_log.get_versions). */
  versions(signal?: AbortSignal): Promise<Record<string, { version?: string; title?: string }>> {
    return this.method('frappe.utils.change_log.get_versions', {}, { signal });
  }

  /** Whether the site serves /api/v2 (Frappe 15 and later). */
  async hasV2(signal?: AbortSignal): Promise<boolean> {
    try {
      await this.request({
        method: 'GET',
        path: '/api/v2/method/frappe.auth.get_logged_user',
        retries: 0,
        ...sig(signal),
      });
      return true;
    } catch (error) {
      if (error instanceof ToolError && (error.type === 'not_found' || error.statusCode === 404))
        return false;
      throw error;
    }
  }
}

const sig = (signal?: AbortSignal) => (signal ? { signal } : {});

/** Method arguments as query parameters: strings as they are, anything else as JSON. */
function queryOf(args: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(args)) {
    if (v === undefined || v === null) continue;
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}
