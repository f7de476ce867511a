// The fake site's data: DocTypes (with layout fields, child tables and a submittable one), users
// with role permissions and user permissions, documents, reports and prepared reports.
import { randomBytes } from 'node:crypto';
import { FrappeException } from './errors.js';

export interface FakeField {
  fieldname: string;
  label?: string;
  fieldtype: string;
  options?: string;
  reqd?: 1;
  in_list_view?: 1;
  hidden?: 1;
  read_only?: 1;
  allow_on_submit?: 1;
  default?: string;
}

export interface FakeDoctype {
  name: string;
  module: string;
  istable?: 1;
  issingle?: 1;
  is_submittable?: 1;
  title_field?: string;
  autoname?: string;
  fields: FakeField[];
}

export type Perm = 'read' | 'write' | 'create' | 'delete' | 'submit' | 'cancel' | 'report';
export type Doc = Record<string, unknown>;

export interface FakeUser {
  email: string;
  key: string;
  secret: string;
  /** Role permissions: DocType → what the user may do ('*' for every DocType). */
  perms: Record<string, Perm[]>;
  /** User permissions: DocType → the only names the user may see (also through Link fields). */
  userPermissions?: Record<string, string[]>;
  /** Roles (frappe.get_roles), which workflow transitions are allowed to; Administrator has every role. */
  roles?: string[];
}

/** A Workflow as frappe/workflow/doctype/workflow stores it (states and transitions child rows). */
export interface FakeWorkflow {
  name: string;
  document_type: string;
  workflow_state_field: string;
  states: { state: string; doc_status: '0' | '1' | '2'; update_field?: string; update_value?: string }[];
  transitions: {
    state: string;
    action: string;
    next_state: string;
    allowed: string;
    allow_self_approval: 0 | 1;
    condition?: string;
    /** How the fake evaluates `condition` (Frappe runs it with safe_eval). */
    when?: (doc: Doc) => boolean;
  }[];
}

const sb = (label: string): FakeField => ({
  fieldname: `${label.toLowerCase()}_section`,
  label,
  fieldtype: 'Section Break',
});
const cb = (n: number): FakeField => ({ fieldname: `column_break_${n}`, fieldtype: 'Column Break' });

export const DOCTYPES: FakeDoctype[] = [
  {
    name: 'Customer',
    module: 'Selling',
    autoname: 'field:customer_name',
    title_field: 'customer_name',
    fields: [
      { fieldname: 'customer_name', label: 'Customer Name', fieldtype: 'Data', reqd: 1, in_list_view: 1 },
      {
        fieldname: 'customer_type',
        label: 'Customer Type',
        fieldtype: 'Select',
        options: 'Company\nIndividual',
        default: 'Company',
      },
      cb(1),
      {
        fieldname: 'customer_group',
        label: 'Customer Group',
        fieldtype: 'Link',
        options: 'Customer Group',
        in_list_view: 1,
      },
      { fieldname: 'territory', label: 'Territory', fieldtype: 'Data' },
      sb('More'),
      { fieldname: 'disabled', label: 'Disabled', fieldtype: 'Check', default: '0' },
      { fieldname: 'internal_notes', label: 'Notes', fieldtype: 'Small Text', hidden: 1 },
    ],
  },
  {
    name: 'Customer Group',
    module: 'Setup',
    autoname: 'field:customer_group_name',
    fields: [{ fieldname: 'customer_group_name', label: 'Customer Group Name', fieldtype: 'Data', reqd: 1 }],
  },
  {
    name: 'Item',
    module: 'Stock',
    autoname: 'field:item_code',
    title_field: 'item_name',
    fields: [
      { fieldname: 'item_code', label: 'Item Code', fieldtype: 'Data', reqd: 1 },
      { fieldname: 'item_name', label: 'Item Name', fieldtype: 'Data', in_list_view: 1 },
      { fieldname: 'standard_rate', label: 'Standard Selling Rate', fieldtype: 'Currency' },
      { fieldname: 'description', label: 'Description', fieldtype: 'Text Editor' },
    ],
  },
  {
    name: 'Sales Invoice',
    module: 'Accounts',
    is_submittable: 1,
    autoname: 'naming_series:',
    title_field: 'customer',
    fields: [
      {
        fieldname: 'naming_series',
        label: 'Series',
        fieldtype: 'Select',
        options: 'SINV-.####',
        default: 'SINV-.####',
      },
      {
        fieldname: 'customer',
        label: 'Customer',
        fieldtype: 'Link',
        options: 'Customer',
        reqd: 1,
        in_list_view: 1,
      },
      { fieldname: 'posting_date', label: 'Date', fieldtype: 'Date', reqd: 1 },
      cb(1),
      {
        fieldname: 'status',
        label: 'Status',
        fieldtype: 'Select',
        options: 'Draft\nUnpaid\nPaid\nCancelled',
        read_only: 1,
        in_list_view: 1,
      },
      { fieldname: 'remarks', label: 'Remarks', fieldtype: 'Small Text', allow_on_submit: 1 },
      sb('Items'),
      { fieldname: 'items', label: 'Items', fieldtype: 'Table', options: 'Sales Invoice Item', reqd: 1 },
      {
        fieldname: 'grand_total',
        label: 'Grand Total',
        fieldtype: 'Currency',
        read_only: 1,
        in_list_view: 1,
      },
      {
        fieldname: 'amended_from',
        label: 'Amended From',
        fieldtype: 'Link',
        options: 'Sales Invoice',
        read_only: 1,
      },
    ],
  },
  {
    name: 'Sales Invoice Item',
    module: 'Accounts',
    istable: 1,
    fields: [
      { fieldname: 'item_code', label: 'Item', fieldtype: 'Link', options: 'Item', reqd: 1, in_list_view: 1 },
      { fieldname: 'qty', label: 'Quantity', fieldtype: 'Float', in_list_view: 1 },
      { fieldname: 'rate', label: 'Rate', fieldtype: 'Currency', in_list_view: 1 },
      { fieldname: 'amount', label: 'Amount', fieldtype: 'Currency', read_only: 1 },
      { fieldname: 'description', label: 'Description', fieldtype: 'Text Editor' },
    ],
  },
  {
    name: 'ToDo',
    module: 'Desk',
    autoname: 'hash',
    fields: [
      {
        fieldname: 'status',
        label: 'Status',
        fieldtype: 'Select',
        options: 'Open\nClosed\nCancelled',
        default: 'Open',
        in_list_view: 1,
      },
      {
        fieldname: 'priority',
        label: 'Priority',
        fieldtype: 'Select',
        options: 'High\nMedium\nLow',
        default: 'Medium',
      },
      { fieldname: 'description', label: 'Description', fieldtype: 'Text Editor', reqd: 1, in_list_view: 1 },
      { fieldname: 'allocated_to', label: 'Allocated To', fieldtype: 'Link', options: 'User' },
    ],
  },
  {
    name: 'User',
    module: 'Core',
    autoname: 'field:email',
    fields: [
      { fieldname: 'email', label: 'Email', fieldtype: 'Data', reqd: 1 },
      { fieldname: 'first_name', label: 'First Name', fieldtype: 'Data' },
      { fieldname: 'api_key', label: 'API Key', fieldtype: 'Data', read_only: 1 },
    ],
  },
  {
    name: 'Expense Claim',
    module: 'HR',
    is_submittable: 1,
    autoname: 'naming_series:',
    title_field: 'employee_name',
    fields: [
      {
        fieldname: 'naming_series',
        label: 'Series',
        fieldtype: 'Select',
        options: 'EXP-.####',
        default: 'EXP-.####',
      },
      { fieldname: 'employee_name', label: 'Employee Name', fieldtype: 'Data', reqd: 1, in_list_view: 1 },
      { fieldname: 'total', label: 'Total', fieldtype: 'Currency', in_list_view: 1 },
      {
        fieldname: 'approval_status',
        label: 'Approval Status',
        fieldtype: 'Select',
        options: 'Draft\nApproved\nRejected',
        allow_on_submit: 1,
      },
      // The custom field a Workflow adds (hidden, read-only, changeable after submit).
      {
        fieldname: 'workflow_state',
        label: 'Workflow State',
        fieldtype: 'Link',
        options: 'Workflow State',
        hidden: 1,
        read_only: 1,
        allow_on_submit: 1,
      },
    ],
  },
  {
    name: 'Workflow State',
    module: 'Workflow',
    autoname: 'field:workflow_state_name',
    fields: [{ fieldname: 'workflow_state_name', label: 'State', fieldtype: 'Data', reqd: 1 }],
  },
  {
    name: 'Prepared Report',
    module: 'Core',
    autoname: 'hash',
    fields: [
      { fieldname: 'report_name', label: 'Report', fieldtype: 'Data' },
      {
        fieldname: 'status',
        label: 'Status',
        fieldtype: 'Select',
        options: 'Queued\nStarted\nCompleted\nError',
      },
      { fieldname: 'filters', label: 'Filters', fieldtype: 'Small Text' },
      { fieldname: 'error_message', label: 'Error', fieldtype: 'Text' },
    ],
  },
];

export interface FakeReport {
  name: string;
  ref_doctype: string;
  report_type: 'Query Report' | 'Script Report' | 'Report Builder';
  prepared_report: 0 | 1;
  /** Prepared reports: polls of the Prepared Report until it completes; -1 never. */
  pollsToComplete?: number;
  /** Prepared reports: fail with this error message (a traceback) instead of completing. */
  failWith?: string;
  run(
    site: FakeSite,
    user: FakeUser,
    filters: Record<string, unknown>,
  ): { columns: unknown[]; result: unknown[] };
}

export interface PreparedReport {
  name: string;
  report_name: string;
  filters: string;
  owner: string;
  status: 'Queued' | 'Started' | 'Completed' | 'Error';
  polls: number;
  error_message?: string;
}

/** Columns every row has beside its fields (frappe.model.default_fields and child_table_fields). */
const STANDARD_COLUMNS = new Set([
  'name',
  'owner',
  'creation',
  'modified',
  'modified_by',
  'docstatus',
  'idx',
  'doctype',
  'parent',
  'parentfield',
  'parenttype',
]);

const now = () => new Date().toISOString().replace('T', ' ').replace('Z', '');

/** The fake site: its DocTypes, documents and users, with Frappe's permission semantics. */
export class FakeSite {
  readonly doctypes = new Map(DOCTYPES.map((d) => [d.name, d]));
  readonly docs = new Map<string, Map<string, Doc>>();
  readonly users: FakeUser[] = [];
  readonly reports = new Map<string, FakeReport>();
  readonly prepared = new Map<string, PreparedReport>();
  /** Active workflows by the DocType they run on. */
  readonly workflows = new Map<string, FakeWorkflow>();
  private series = new Map<string, number>();

  /** A DocType by name, compared as MariaDB compares (case-insensitive). */
  doctype(name: string): FakeDoctype {
    const d = [...this.doctypes.values()].find((x) => x.name.toLowerCase() === name.trim().toLowerCase());
    if (!d) throw new FrappeException('DoesNotExistError', `DocType ${name} not found`);
    return d;
  }

  table(doctype: string): Map<string, Doc> {
    let t = this.docs.get(doctype);
    if (!t) this.docs.set(doctype, (t = new Map()));
    return t;
  }

  can(user: FakeUser, doctype: string, perm: Perm): boolean {
    const list = user.perms[doctype] ?? user.perms['*'] ?? [];
    return list.includes(perm) || (perm === 'report' && list.includes('read'));
  }

  require(user: FakeUser, doctype: string, perm: Perm): void {
    if (!this.can(user, doctype, perm)) {
      throw new FrappeException('PermissionError', `No permission for ${doctype}`, {
        serverMessage: `User <strong>${user.email}</strong> does not have doctype access via role permission for document <strong>${doctype}</strong>`,
      });
    }
  }

  /** Whether the user's User Permissions let them see `doc` (on the DocType itself and through its Link fields). */
  visible(user: FakeUser, doctype: FakeDoctype, doc: Doc): boolean {
    for (const [restricted, names] of Object.entries(user.userPermissions ?? {})) {
      if (doctype.name === restricted && !names.includes(String(doc['name']))) return false;
      for (const f of doctype.fields) {
        if (
          f.fieldtype === 'Link' &&
          f.options === restricted &&
          doc[f.fieldname] &&
          !names.includes(String(doc[f.fieldname]))
        ) {
          return false;
        }
      }
    }
    return true;
  }

  /** The DocTypes with a Table field holding `child` rows. */
  parentsOf(child: FakeDoctype): FakeDoctype[] {
    return [...this.doctypes.values()].filter((d) =>
      d.fields.some((f) => f.fieldtype === 'Table' && f.options === child.name),
    );
  }

  /** Where a child row lives: its parent DocType, parent document and table field. */
  findRow(
    child: FakeDoctype,
    name: string,
  ): { parentDt: FakeDoctype; parent: Doc; field: string; row: Doc } | undefined {
    for (const parentDt of this.parentsOf(child)) {
      for (const f of parentDt.fields.filter((x) => x.fieldtype === 'Table' && x.options === child.name)) {
        for (const parent of this.table(parentDt.name).values()) {
          const row = ((parent[f.fieldname] as Doc[] | undefined) ?? []).find((r) => r['name'] === name);
          if (row) return { parentDt, parent, field: f.fieldname, row };
        }
      }
    }
    return undefined;
  }

  private noAccess(): FrappeException {
    return new FrappeException('PermissionError', 'No permission', {
      serverMessage: `You do not have enough permissions to access this resource. Please contact your manager to get access.`,
    });
  }

  /** Reads one document as `user` (read permission and user permissions checked). */
  read(user: FakeUser, doctypeName: string, name: string): Doc {
    const dt = this.doctype(doctypeName);
    if (dt.istable) {
      // has_child_permission: the row's parent decides (read on its parenttype, the parent visible).
      const found = this.findRow(dt, name);
      if (!found) throw new FrappeException('DoesNotExistError', `${dt.name} ${name} not found`);
      this.require(user, found.parentDt.name, 'read');
      if (!this.visible(user, found.parentDt, found.parent)) throw this.noAccess();
      return structuredClone(found.row);
    }
    this.require(user, dt.name, 'read');
    const doc = this.table(dt.name).get(name);
    if (!doc) throw new FrappeException('DoesNotExistError', `${dt.name} ${name} not found`);
    if (!this.visible(user, dt, doc)) throw this.noAccess();
    return structuredClone(doc);
  }

  private nameFor(dt: FakeDoctype, data: Doc): string {
    if (typeof data['name'] === 'string' && data['name']) return data['name'];
    if (dt.autoname?.startsWith('field:')) return String(data[dt.autoname.slice(6)]);
    if (dt.autoname === 'naming_series:') {
      const prefix = String(data['naming_series'] ?? 'SINV-.####').replace('.####', '');
      const n = (this.series.get(prefix) ?? 0) + 1;
      this.series.set(prefix, n);
      return `${prefix}${String(n).padStart(4, '0')}`;
    }
    return randomBytes(5).toString('hex');
  }

  /** Mandatory fields missing in `doc` and its child rows: [fieldname, message] (Document._get_missing_mandatory_fields). */
  private missing(dt: FakeDoctype, doc: Doc, row?: number): [string, string][] {
    const out: [string, string][] = [];
    for (const f of dt.fields) {
      const v = doc[f.fieldname];
      if (f.reqd && (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0))) {
        out.push([
          f.fieldname,
          dt.istable
            ? `Error: Value missing for ${dt.name}: ${f.label ?? f.fieldname} in row ${String(row)}`
            : `Error: Value missing for ${dt.name}: ${f.label ?? f.fieldname}`,
        ]);
      }
      if (f.fieldtype === 'Table' && Array.isArray(v) && f.options) {
        (v as Doc[]).forEach((r, i) => out.push(...this.missing(this.doctype(f.options!), r, i + 1)));
      }
    }
    return out;
  }

  private validate(user: FakeUser, dt: FakeDoctype, doc: Doc): void {
    // Each missing field is msgprinted, then one MandatoryError is raised (Document._validate_mandatory).
    const missing = dt.istable ? [] : this.missing(dt, doc);
    if (missing.length > 0) {
      throw new FrappeException(
        'MandatoryError',
        `[${dt.name}, ${String(doc['name'] ?? 'new')}]: ${missing.map(([f]) => f).join(', ')}`,
        { serverMessages: missing.map(([, m]) => m) },
      );
    }
    for (const f of dt.fields) {
      const v = doc[f.fieldname];
      if (f.fieldtype === 'Link' && v && f.options && !this.table(f.options).has(String(v))) {
        throw new FrappeException('LinkValidationError', `Could not find ${f.label}: ${String(v)}`, {
          serverMessage: `Could not find <strong>${f.label}</strong>: ${String(v)}`,
        });
      }
      if (f.fieldtype === 'Table' && Array.isArray(v) && f.options) {
        const child = this.doctype(f.options);
        (v as Doc[]).forEach((row, i) => {
          row['idx'] = i + 1;
          row['name'] ??= randomBytes(5).toString('hex');
          row['parent'] = doc['name'];
          row['parentfield'] = f.fieldname;
          row['parenttype'] = dt.name;
          row['doctype'] = child.name;
          row['owner'] = user.email;
          row['creation'] ??= doc['creation'];
          row['modified'] = doc['modified'];
          row['docstatus'] = doc['docstatus'] ?? 0;
          for (const k of Object.keys(row)) {
            if (!STANDARD_COLUMNS.has(k) && !child.fields.some((x) => x.fieldname === k)) delete row[k];
          }
          this.validate(user, child, row);
          if (child.name === 'Sales Invoice Item')
            row['amount'] = Number(row['qty'] ?? 0) * Number(row['rate'] ?? 0);
        });
      }
    }
    if (dt.name === 'Sales Invoice') {
      doc['grand_total'] = ((doc['items'] as Doc[] | undefined) ?? []).reduce(
        (s, r) => s + Number(r['amount'] ?? 0),
        0,
      );
    }
  }

  /** Inserts as `user` (create permission, mandatory and link checks, naming, duplicates). */
  insert(user: FakeUser, doctypeName: string, data: Doc): Doc {
    const dt = this.doctype(doctypeName);
    if (dt.istable) {
      // A child row alone has no table to live in; frappe.client.insert appends it to its parent.
      throw new FrappeException(
        'ValidationError',
        `${dt.name} is a child table: insert it through its parent`,
      );
    }
    this.require(user, dt.name, 'create');
    const doc: Doc = {};
    for (const f of dt.fields) if (f.default !== undefined) doc[f.fieldname] = f.default;
    for (const [k, v] of Object.entries(structuredClone(data))) if (k !== 'doctype') doc[k] = v;
    const name = this.nameFor(dt, doc);
    if (this.table(dt.name).has(name)) {
      throw new FrappeException(
        'DuplicateEntryError',
        `('${dt.name}', '${name}', IntegrityError(1062, "Duplicate entry '${name}' for key 'PRIMARY'"))`,
        {
          serverMessage: `${dt.name} ${name} already exists`,
        },
      );
    }
    Object.assign(doc, {
      name,
      owner: user.email,
      creation: now(),
      modified: now(),
      modified_by: user.email,
      docstatus: 0,
      idx: 0,
      doctype: dt.name,
    });
    if (dt.is_submittable && dt.name === 'Sales Invoice') doc['status'] = 'Draft';
    this.validateWorkflow(user, dt, undefined, doc);
    this.validate(user, dt, doc);
    this.table(dt.name).set(name, doc);
    return structuredClone(doc);
  }

  /** Updates as `user`: write permission, the modified check, submitted documents' allow-on-submit rule, tables replaced. */
  update(user: FakeUser, doctypeName: string, name: string, data: Doc): Doc {
    const dt = this.doctype(doctypeName);
    if (dt.istable) return this.updateRow(user, dt, name, data);
    const current = this.read(user, dt.name, name);
    this.require(user, dt.name, 'write');
    if (data['modified'] !== undefined && data['modified'] !== current['modified']) {
      throw new FrappeException(
        'TimestampMismatchError',
        'Document has been modified after you have opened it',
        {
          serverMessage: `Error: Document has been modified after you have opened it (${String(data['modified'])}, ${String(current['modified'])}). Please refresh to get the latest document.`,
        },
      );
    }
    if (current['docstatus'] === 1) {
      for (const k of Object.keys(data)) {
        const f = dt.fields.find((x) => x.fieldname === k);
        if (f && !f.allow_on_submit && JSON.stringify(data[k]) !== JSON.stringify(current[k])) {
          throw new FrappeException(
            'UpdateAfterSubmitError',
            `Not allowed to change ${f.label} after submission`,
            {
              serverMessage: `Not allowed to change <strong>${f.label}</strong> after submission from ${String(current[k])} to ${String(data[k])}`,
            },
          );
        }
      }
    }
    const doc = { ...current };
    for (const [k, v] of Object.entries(structuredClone(data)))
      if (k !== 'flags' && k !== 'doctype') doc[k] = v;
    doc['modified'] = now();
    doc['modified_by'] = user.email;
    this.validateWorkflow(user, dt, current, doc);
    this.validate(user, dt, doc);
    this.table(dt.name).set(name, doc);
    return structuredClone(doc);
  }

  /** Deletes as `user`: delete permission, submitted documents refused, linked documents refused. */
  remove(user: FakeUser, doctypeName: string, name: string): void {
    const dt = this.doctype(doctypeName);
    const doc = this.read(user, dt.name, name);
    this.require(user, dt.name, 'delete');
    if (doc['docstatus'] === 1) {
      throw new FrappeException(
        'ValidationError',
        'Submitted Record cannot be deleted. You must Cancel it first.',
      );
    }
    for (const other of this.doctypes.values()) {
      for (const f of other.fields.filter((x) => x.fieldtype === 'Link' && x.options === dt.name)) {
        for (const d of this.table(other.name).values()) {
          if (d[f.fieldname] === name) {
            throw new FrappeException(
              'LinkExistsError',
              `Cannot delete or cancel because ${dt.name} ${name} is linked with ${other.name} ${String(d['name'])}`,
            );
          }
        }
      }
    }
    this.table(dt.name).delete(name);
  }

  /** docstatus 0 → 1 or 1 → 2 as `user`, with the transition and permission checks Frappe makes. */
  transition(
    user: FakeUser,
    doctypeName: string,
    name: string,
    to: 1 | 2,
    modified?: unknown,
    values: Doc = {},
  ): Doc {
    const dt = this.doctype(doctypeName);
    const doc = this.read(user, dt.name, name);
    this.require(user, dt.name, to === 1 ? 'submit' : 'cancel');
    if (!dt.is_submittable) throw new FrappeException('ValidationError', `${dt.name} is not submittable`);
    if (modified !== undefined && modified !== doc['modified']) {
      throw new FrappeException(
        'TimestampMismatchError',
        'Document has been modified after you have opened it',
      );
    }
    const from = Number(doc['docstatus']);
    if (from !== to - 1) {
      throw new FrappeException('DocstatusTransitionError', `Cannot change docstatus from ${from} to ${to}`);
    }
    const stored = this.table(dt.name).get(name)!;
    Object.assign(stored, values);
    const wf = this.workflows.get(dt.name);
    if (wf && Object.keys(values).length === 0) {
      // set_workflow_state_on_action: a submit or cancel outside the workflow moves its state too.
      const field = wf.workflow_state_field;
      const state = wf.states.find((x) => x.state === stored[field]);
      if (Number(state?.doc_status) !== to) {
        const first = wf.states.find((x) => Number(x.doc_status) === to);
        if (first) stored[field] = first.state;
      }
    }
    stored['docstatus'] = to;
    if (dt.fields.some((f) => f.fieldname === 'status')) stored['status'] = to === 1 ? 'Unpaid' : 'Cancelled';
    stored['modified'] = now();
    for (const t of dt.fields.filter((f) => f.fieldtype === 'Table')) {
      for (const r of (stored[t.fieldname] as Doc[] | undefined) ?? []) r['docstatus'] = to;
    }
    return structuredClone(stored);
  }

  /** frappe.client.insert of a child row: appended to `parenttype`/`parent` in `parentfield`, the parent saved. */
  insertRow(user: FakeUser, row: Doc): Doc {
    const parenttype = this.doctype(String(row['parenttype'])).name;
    const parent = this.read(user, parenttype, String(row['parent']));
    const field = this.doctype(parenttype).fields.find(
      (f) => f.fieldname === row['parentfield'] && f.fieldtype === 'Table',
    );
    if (!field) throw new FrappeException('AttributeError', String(row['parentfield']), { status: 500 });
    const rows = [...((parent[field.fieldname] as Doc[] | undefined) ?? []), row];
    return this.update(user, parenttype, String(row['parent']), { [field.fieldname]: rows });
  }

  /** A child row changed through its parent (frappe.client.set_value, or PUT on a child DocType); returns the parent. */
  updateRow(user: FakeUser, child: FakeDoctype, name: string, values: Doc): Doc {
    const found = this.findRow(child, name);
    if (!found) throw new FrappeException('DoesNotExistError', `${child.name} ${name} not found`);
    const parent = this.read(user, found.parentDt.name, String(found.parent['name']));
    const rows = ((parent[found.field] as Doc[] | undefined) ?? []).map((r) =>
      r['name'] === name ? { ...r, ...values } : r,
    );
    return this.update(user, found.parentDt.name, String(parent['name']), { [found.field]: rows });
  }

  /** frappe.get_roles: Administrator has every role. */
  rolesOf(user: FakeUser): string[] {
    if (user.email !== 'Administrator') return user.roles ?? [];
    const all = [...this.workflows.values()].flatMap((w) => w.transitions.map((t) => t.allowed));
    return ['Administrator', 'System Manager', ...new Set(all)];
  }

  workflowOf(doctype: string): FakeWorkflow {
    const wf = this.workflows.get(this.doctype(doctype).name);
    // get_workflow: frappe.get_cached_doc("Workflow", None) when the DocType has none.
    if (!wf) throw new FrappeException('DoesNotExistError', 'Workflow None not found');
    return wf;
  }

  /** frappe.model.workflow.get_transitions: the transitions from the document's state open to the user's roles. */
  transitionsFor(user: FakeUser, wf: FakeWorkflow, doc: Doc): FakeWorkflow['transitions'] {
    const state = doc[wf.workflow_state_field];
    if (!state) throw new FrappeException('WorkflowStateError', 'Workflow State not set');
    const roles = this.rolesOf(user);
    return wf.transitions.filter(
      (t) => t.state === state && roles.includes(t.allowed) && (!t.when || t.when(doc)),
    );
  }

  /** validate_workflow on save: the first state when unset; a changed state only along a transition open to the user. */
  private validateWorkflow(user: FakeUser, dt: FakeDoctype, before: Doc | undefined, doc: Doc): void {
    const wf = this.workflows.get(dt.name);
    if (!wf) return;
    const field = wf.workflow_state_field;
    const first = wf.states[0]!.state;
    if (!doc[field]) doc[field] = first;
    const current = String(before?.[field] ?? first);
    const next = String(doc[field]);
    if (current === next) return;
    if (!before || !this.transitionsFor(user, wf, before).some((t) => t.next_state === next)) {
      throw new FrappeException(
        'WorkflowPermissionError',
        `Workflow State transition not allowed from ${current} to ${next}`,
        {
          serverMessage: `Workflow State transition not allowed from <strong>${current}</strong> to <strong>${next}</strong>`,
        },
      );
    }
  }

  /** frappe.model.workflow.apply_workflow: the action's transition, the self-approval rule, then save, submit or cancel. */
  applyWorkflow(user: FakeUser, doctype: string, name: string, action: string): Doc {
    const dt = this.doctype(doctype);
    const doc = this.read(user, dt.name, name);
    const wf = this.workflowOf(dt.name);
    const transition = this.transitionsFor(user, wf, doc)
      .filter((t) => t.action === action)
      .at(-1);
    if (!transition) throw new FrappeException('WorkflowTransitionError', 'Not a valid Workflow Action');
    if (!(user.email === 'Administrator' || transition.allow_self_approval || user.email !== doc['owner'])) {
      throw new FrappeException('ValidationError', 'Self approval is not allowed');
    }
    const next = wf.states.find((x) => x.state === transition.next_state)!;
    const values: Doc = { [wf.workflow_state_field]: next.state };
    if (next.update_field) values[next.update_field] = next.update_value;
    const from = Number(doc['docstatus']);
    const to = Number(next.doc_status);
    if (from === to && to !== 2) return this.update(user, dt.name, name, values);
    if (from === 0 && to === 1) return this.transition(user, dt.name, name, 1, undefined, values);
    if (from === 1 && to === 2) return this.transition(user, dt.name, name, 2, undefined, values);
    throw new FrappeException('ValidationError', `Illegal Document Status for ${next.state}`);
  }
}
