// frappe.get_list as the fake runs it: read permission, user permissions, filters in list or
// dict form with Frappe's operators, child-table filters, fields (default only `name`, `*`,
// link_field.field), order_by, limit_start and limit_page_length (default 20, 0 = every row).
// An unknown column is MariaDB's error 1054 surfacing as a 500 with a traceback, as on a site.
import { FrappeException } from './errors.js';
import type { Doc, FakeDoctype, FakeSite, FakeUser } from './state.js';

const STANDARD = [
  'name',
  'owner',
  'creation',
  'modified',
  'modified_by',
  'docstatus',
  'idx',
  'parent',
  'parentfield',
  'parenttype',
  '_user_tags',
  '_comments',
  '_assign',
  '_liked_by',
];

function hasColumn(dt: FakeDoctype, field: string): boolean {
  return (
    STANDARD.includes(field) ||
    dt.fields.some(
      (f) => f.fieldname === field && !['Section Break', 'Column Break', 'Table'].includes(f.fieldtype),
    )
  );
}

function unknownColumn(field: string, where: string): FrappeException {
  return new FrappeException('OperationalError', `(1054, "Unknown column '${field}' in '${where}'")`);
}

function like(value: unknown, pattern: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/%/g, '.*')
      .replace(/_/g, '.')}$`,
    'i',
  );
  return re.test(String(value ?? ''));
}

function match(value: unknown, op: string, arg: unknown): boolean {
  const list = (a: unknown) =>
    Array.isArray(a)
      ? a.map(String)
      : String(a)
          .split(',')
          .map((s) => s.trim());
  const num = (v: unknown) =>
    typeof v === 'number' ? v : Number.isNaN(Number(v)) ? String(v ?? '') : Number(v);
  switch (op) {
    case '=':
      return String(value ?? '') === String(arg ?? '');
    case '!=':
      return String(value ?? '') !== String(arg ?? '');
    case '>':
      return num(value) > num(arg);
    case '<':
      return num(value) < num(arg);
    case '>=':
      return num(value) >= num(arg);
    case '<=':
      return num(value) <= num(arg);
    case 'like':
      return like(value, String(arg));
    case 'not like':
      return !like(value, String(arg));
    case 'in':
      return list(arg).includes(String(value ?? ''));
    case 'not in':
      return !list(arg).includes(String(value ?? ''));
    case 'between': {
      const [a, b] = arg as unknown[];
      return num(value) >= num(a) && num(value) <= num(b);
    }
    case 'is':
      return arg === 'set' ? value !== undefined && value !== null && value !== '' : !value;
    default:
      throw new FrappeException('ValidationError', `Invalid operator ${op}`, {
        serverMessage: `Operator must be one of =, !=, >, <, ... (got ${op})`,
      });
  }
}

/** Filters in any form Frappe takes, as [doctype, field, op, value] rows. */
export function normalizeFilters(
  site: FakeSite,
  dt: FakeDoctype,
  raw: unknown,
): [string, string, string, unknown][] {
  if (raw === undefined || raw === null || raw === '') return [];
  const value = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  const out: [string, string, string, unknown][] = [];
  if (Array.isArray(value)) {
    for (const f of value as unknown[][]) {
      if (f.length === 3) out.push([dt.name, String(f[0]), String(f[1]).toLowerCase(), f[2]]);
      else out.push([site.doctype(String(f[0])).name, String(f[1]), String(f[2]).toLowerCase(), f[3]]);
    }
  } else {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (Array.isArray(v)) out.push([dt.name, k, String(v[0]).toLowerCase(), v[1]]);
      else out.push([dt.name, k, '=', v]);
    }
  }
  return out;
}

function passes(
  site: FakeSite,
  dt: FakeDoctype,
  doc: Doc,
  filters: [string, string, string, unknown][],
): boolean {
  return filters.every(([doctype, field, op, arg]) => {
    if (doctype === dt.name) {
      if (!hasColumn(dt, field)) throw unknownColumn(field, 'where clause');
      return match(doc[field], op, arg);
    }
    const child = site.doctype(doctype);
    if (!hasColumn(child, field)) throw unknownColumn(`tab${child.name}.${field}`, 'where clause');
    const table = dt.fields.find((f) => f.fieldtype === 'Table' && f.options === child.name);
    const rows = table ? ((doc[table.fieldname] as Doc[] | undefined) ?? []) : [];
    return rows.some((r) => match(r[field], op, arg));
  });
}

/** What a list asks for beside the DocType. */
export interface ListArgs {
  filters?: unknown;
  or_filters?: unknown;
  /** For a child DocType: the parent DocType (frappe.client.get_list's `parent`). */
  parent?: unknown;
}

/**
 * frappe/client.py check_parent_permission: a child DocType is listed only with `parent` naming
 * a DocType that has a Table field of it and that the user may read; otherwise a bare
 * PermissionError.
 */
function parentOf(site: FakeSite, user: FakeUser, child: FakeDoctype, parent: unknown): FakeDoctype {
  const bare = () => new FrappeException('PermissionError', '', { bare: true });
  if (typeof parent !== 'string' || !parent) throw bare();
  const dt = site.parentsOf(child).find((d) => d.name.toLowerCase() === parent.toLowerCase());
  if (!dt || !site.can(user, dt.name, 'read')) throw bare();
  return dt;
}

/** The documents (or child rows) of `doctype` the user may list and that pass the filters (or, with ignorePermissions, all that pass). */
export function matching(
  site: FakeSite,
  user: FakeUser,
  doctype: string,
  args: ListArgs,
  ignorePermissions = false,
): { dt: FakeDoctype; docs: Doc[] } {
  const dt = site.doctype(doctype);
  const f = normalizeFilters(site, dt, args.filters);
  const or = normalizeFilters(site, dt, args.or_filters);
  const ok = (d: Doc) =>
    passes(site, dt, d, f) && (or.length === 0 || or.some((x) => passes(site, dt, d, [x])));
  if (dt.istable) {
    // Rows of the parents the user may see; ignorePermissions (frappe.db.count) reads the table as it is.
    const parents = ignorePermissions ? site.parentsOf(dt) : [parentOf(site, user, dt, args.parent)];
    const rows: Doc[] = [];
    for (const p of parents) {
      const fields = p.fields.filter((x) => x.fieldtype === 'Table' && x.options === dt.name);
      for (const doc of site.table(p.name).values()) {
        if (!ignorePermissions && !site.visible(user, p, doc)) continue;
        for (const field of fields) rows.push(...((doc[field.fieldname] as Doc[] | undefined) ?? []));
      }
    }
    return { dt, docs: rows.filter(ok) };
  }
  if (!ignorePermissions) site.require(user, dt.name, 'read');
  const docs = [...site.table(dt.name).values()].filter(
    (d) => (ignorePermissions || site.visible(user, dt, d)) && ok(d),
  );
  return { dt, docs };
}

/** frappe.client.get_list with the REST list's parameters. */
export function getList(
  site: FakeSite,
  user: FakeUser,
  doctype: string,
  params: URLSearchParams | Record<string, unknown>,
): Doc[] {
  const get = (k: string) =>
    params instanceof URLSearchParams ? (params.get(k) ?? undefined) : (params[k] as string | undefined);
  const { dt, docs } = matching(site, user, doctype, {
    filters: get('filters'),
    or_filters: get('or_filters'),
    parent: get('parent'),
  });
  const rawFields = get('fields');
  const fields: string[] = rawFields
    ? typeof rawFields === 'string'
      ? (JSON.parse(rawFields) as string[])
      : rawFields
    : ['name'];
  const order = String(get('order_by') ?? 'modified desc');
  const [sortField = 'modified', dir = 'desc'] = order.split(',')[0]!.trim().split(/\s+/);
  if (!hasColumn(dt, sortField)) throw unknownColumn(sortField, 'order clause');
  docs.sort((a, b) => {
    const x = String(a[sortField] ?? '');
    const y = String(b[sortField] ?? '');
    const c = x < y ? -1 : x > y ? 1 : String(a['name']).localeCompare(String(b['name']));
    return dir.toLowerCase() === 'asc' ? c : -c;
  });
  const start = Number(get('limit_start') ?? get('start') ?? 0);
  const pageLength = Number(get('limit_page_length') ?? get('limit') ?? 20);
  const page = pageLength === 0 ? docs.slice(start) : docs.slice(start, start + pageLength);
  return page.map((d) => project(site, dt, d, fields));
}

function project(site: FakeSite, dt: FakeDoctype, doc: Doc, fields: string[]): Doc {
  const out: Doc = {};
  for (const f of fields) {
    if (f === '*') {
      for (const [k, v] of Object.entries(doc)) if (!Array.isArray(v)) out[k] = v;
      continue;
    }
    if (f.includes('.')) {
      const [link, target] = f.split('.') as [string, string];
      const lf = dt.fields.find((x) => x.fieldname === link && x.fieldtype === 'Link');
      if (!lf?.options) throw unknownColumn(f, 'field list');
      out[f] = site.table(lf.options).get(String(doc[link]))?.[target] ?? null;
      continue;
    }
    if (!hasColumn(dt, f)) throw unknownColumn(f, 'field list');
    out[f] = doc[f] ?? null;
  }
  return out;
}
