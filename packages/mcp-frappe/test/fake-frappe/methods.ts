// /api/method/<dotted.path>: the whitelisted methods the server uses, answered as Frappe does
// ({message} for a return value; getdoctype's {docs}; v14 search_link's {results}).
import type { RecordedRequest } from '@org/mcp-core/testing';
import { FrappeException } from './errors.js';
import { getList, matching } from './list.js';
import type { Doc, FakeSite, FakeUser } from './state.js';

export interface MethodCall {
  site: FakeSite;
  user: FakeUser;
  req: RecordedRequest;
  form: Record<string, unknown>;
  legacySearch: boolean;
}

// frappe.parse_json: strings that look like JSON are parsed, others stay strings.
const json = (v: unknown) => (typeof v === 'string' && /^\s*[[{]/.test(v) ? (JSON.parse(v) as unknown) : v);

function postOnly(call: MethodCall): void {
  if (call.req.method !== 'POST' && call.req.method !== 'PUT') {
    throw new FrappeException('PermissionError', 'Not permitted', { serverMessage: 'Not permitted' });
  }
}

/** The meta of a DocType as getdoctype sends it: DocType docs with every field row, layout fields included. */
function metaDoc(site: FakeSite, name: string): Doc {
  const dt = site.doctype(name);
  return {
    doctype: 'DocType',
    name: dt.name,
    module: dt.module,
    istable: dt.istable ?? 0,
    issingle: dt.issingle ?? 0,
    is_submittable: dt.is_submittable ?? 0,
    title_field: dt.title_field ?? null,
    autoname: dt.autoname ?? null,
    sort_field: 'modified',
    sort_order: 'DESC',
    fields: dt.fields.map((f, i) => ({
      doctype: 'DocField',
      parent: dt.name,
      idx: i + 1,
      reqd: 0,
      hidden: 0,
      read_only: 0,
      in_list_view: 0,
      options: null,
      default: null,
      ...f,
    })),
    permissions: [{ role: 'System Manager', read: 1, write: 1 }],
  };
}

const reportsRun = (call: MethodCall) => {
  const { site, user, form } = call;
  const report = site.reports.get(String(form['report_name']));
  if (!report)
    throw new FrappeException('DoesNotExistError', `Report ${String(form['report_name'])} not found`);
  if (!site.can(user, report.ref_doctype, 'report')) {
    throw new FrappeException('PermissionError', 'Must have report permission to access this report.');
  }
  const filters = (json(form['filters'] ?? '{}') ?? {}) as Record<string, unknown>;
  if (report.prepared_report) {
    const dn = filters['prepared_report_name'];
    delete filters['prepared_report_name'];
    const done = [...site.prepared.values()].find(
      (p) =>
        p.status === 'Completed' &&
        p.report_name === report.name &&
        p.owner === user.email &&
        (dn ? p.name === dn : p.filters === JSON.stringify(filters)),
    );
    if (!done) return { message: { prepared_report: true, doc: null, add_total_row: 0 } };
    return {
      message: {
        ...report.run(site, user, filters),
        prepared_report: true,
        doc: { name: done.name, status: done.status },
        add_total_row: 0,
      },
    };
  }
  return { message: { ...report.run(site, user, filters), add_total_row: 0 } };
};

let prepared = 0;

/** Whitelisted methods by dotted path. */
export const methods: Record<string, (call: MethodCall) => unknown> = {
  'frappe.auth.get_logged_user': ({ user }) => ({ message: user.email }),
  'frappe.utils.change_log.get_versions': () => ({
    message: {
      frappe: { title: 'Frappe Framework', version: '15.47.2', branch: 'version-15' },
      erpnext: { title: 'ERPNext', version: '15.41.0', branch: 'version-15' },
    },
  }),
  // frappe/client.py: frappe.db.count, which applies no permission at all (the count leak).
  'frappe.client.get_count': ({ site, user, form }) => ({
    message: matching(site, user, String(form['doctype']), { filters: json(form['filters']) }, true).docs
      .length,
  }),
  // frappe/desk/reportview.py: the count of what get_list would return for this user.
  'frappe.desk.reportview.get_count': ({ site, user, form }) => ({
    message: matching(site, user, String(form['doctype']), {
      filters: json(form['filters']),
      or_filters: json(form['or_filters']),
      parent: form['parent'],
    }).docs.length,
  }),
  'frappe.client.get_list': ({ site, user, form }) => ({
    message: getList(site, user, String(form['doctype']), form),
  }),
  'frappe.desk.form.load.getdoctype': ({ site, user, form }) => {
    const dt = site.doctype(String(form['doctype']));
    // A child DocType's meta comes with read on one of its parents (its rows are read through them).
    const parent = dt.istable ? site.parentsOf(dt).find((p) => site.can(user, p.name, 'read')) : undefined;
    if (!parent) site.require(user, dt.name, 'read');
    const children = dt.fields
      .filter((f) => f.fieldtype === 'Table' && f.options)
      .map((f) => metaDoc(site, f.options!));
    return { docs: [metaDoc(site, dt.name), ...children], user_settings: '{}' };
  },
  'frappe.desk.search.search_link': ({ site, user, form, legacySearch }) => {
    const txt = String(form['txt'] ?? '').toLowerCase();
    const { dt, docs } = matching(site, user, String(form['doctype']), { filters: json(form['filters']) });
    const pageLength = Number(form['page_length'] ?? 10);
    const title = dt.title_field;
    const rows = docs
      .filter(
        (d) =>
          String(d['name']).toLowerCase().includes(txt) ||
          (title &&
            String(d[title] ?? '')
              .toLowerCase()
              .includes(txt)),
      )
      .slice(0, pageLength)
      .map((d) => ({ value: d['name'], description: title ? `<b>${String(d[title] ?? '')}</b>` : '' }));
    return legacySearch ? { results: rows } : { message: rows };
  },
  'frappe.client.get_value': ({ site, user, form }) => {
    const doctype = form['doctype'] === 'Report' ? 'Report' : site.doctype(String(form['doctype'])).name;
    const fields = (json(form['fieldname']) as string[] | string) ?? 'name';
    const name = String(json(form['filters']));
    if (doctype === 'Report') {
      const r = site.reports.get(name);
      if (!r) return {};
      const row: Doc = {
        ref_doctype: r.ref_doctype,
        report_type: r.report_type,
        prepared_report: r.prepared_report,
        disabled: 0,
      };
      return {
        message: Array.isArray(fields) ? Object.fromEntries(fields.map((f) => [f, row[f]])) : row[fields],
      };
    }
    const doc = site.read(user, doctype, name);
    return {
      message: Array.isArray(fields) ? Object.fromEntries(fields.map((f) => [f, doc[f]])) : doc[fields],
    };
  },
  'frappe.client.submit': (call) => {
    postOnly(call);
    const doc = json(call.form['doc']) as Doc;
    return {
      message: call.site.transition(
        call.user,
        String(doc['doctype']),
        String(doc['name']),
        1,
        doc['modified'],
      ),
    };
  },
  'frappe.client.cancel': (call) => {
    postOnly(call);
    return {
      message: call.site.transition(call.user, String(call.form['doctype']), String(call.form['name']), 2),
    };
  },
  // frappe/client.py insert: a child row (parent and parenttype set) is appended to its parent, which is saved and returned.
  'frappe.client.insert': (call) => {
    postOnly(call);
    const doc = json(call.form['doc']) as Doc;
    if (doc['parent'] && doc['parenttype']) return { message: call.site.insertRow(call.user, doc) };
    return { message: call.site.insert(call.user, String(doc['doctype']), doc) };
  },
  // frappe/client.py set_value: a child row is changed through its parent; the saved document is returned.
  'frappe.client.set_value': (call) => {
    postOnly(call);
    const { site, user, form } = call;
    const dt = site.doctype(String(form['doctype']));
    const fieldname = json(form['fieldname']);
    const values =
      fieldname && typeof fieldname === 'object'
        ? (fieldname as Doc)
        : { [String(fieldname)]: form['value'] ?? '' };
    for (const k of Object.keys(values)) {
      if (
        k !== 'idx' &&
        [
          'name',
          'owner',
          'creation',
          'modified',
          'modified_by',
          'docstatus',
          'parent',
          'parentfield',
          'parenttype',
          'doctype',
        ].includes(k)
      ) {
        throw new FrappeException('ValidationError', 'Cannot edit standard fields');
      }
    }
    return { message: site.update(user, dt.name, String(form['name']), values) };
  },
  'frappe.model.workflow.get_transitions': ({ site, user, form }) => {
    const ref = json(form['doc']) as Doc;
    const doc = site.read(user, String(ref['doctype']), String(ref['name']));
    const wf = site.workflowOf(String(ref['doctype']));
    return {
      message: site.transitionsFor(user, wf, doc).map((t, i) => ({
        name: `${wf.name.slice(0, 3).toLowerCase()}${i}`,
        owner: 'Administrator',
        docstatus: 0,
        idx: wf.transitions.indexOf(t) + 1,
        state: t.state,
        action: t.action,
        next_state: t.next_state,
        allowed: t.allowed,
        allow_self_approval: t.allow_self_approval,
        send_email_to_creator: 0,
        condition: t.condition ?? null,
        transition_tasks: null,
        parent: wf.name,
        parentfield: 'transitions',
        parenttype: 'Workflow',
        doctype: 'Workflow Transition',
      })),
    };
  },
  'frappe.model.workflow.apply_workflow': (call) => {
    postOnly(call);
    const ref = json(call.form['doc']) as Doc;
    const action = String(call.form['action'] ?? '');
    return {
      message: call.site.applyWorkflow(call.user, String(ref['doctype']), String(ref['name']), action),
    };
  },
  'frappe.desk.query_report.run': reportsRun,
  'frappe.core.doctype.prepared_report.prepared_report.make_prepared_report': (call) => {
    postOnly(call);
    const { site, user, form } = call;
    const report = site.reports.get(String(form['report_name']));
    if (!report) throw new FrappeException('DoesNotExistError', 'Report not found');
    site.require(user, report.ref_doctype, 'report');
    const name = `PR-${String(++prepared).padStart(4, '0')}`;
    const filters = (json(form['filters'] ?? '{}') ?? {}) as Record<string, unknown>;
    site.prepared.set(name, {
      name,
      report_name: report.name,
      filters: JSON.stringify(filters),
      owner: user.email,
      status: 'Queued',
      polls: 0,
    });
    return { message: { name } };
  },
  'myapp.api.ping': ({ form }) => ({ message: { pong: true, args: form } }),
  'myapp.api.big': () => ({
    message: Array.from({ length: 5000 }, (_, i) => ({ row: i, text: 'x'.repeat(20) })),
  }),
  'myapp.api.not_whitelisted': ({ req }) => {
    throw new FrappeException(
      'PermissionError',
      `Function ${req.url.pathname.split('/').pop()} is not whitelisted.`,
    );
  },
};
