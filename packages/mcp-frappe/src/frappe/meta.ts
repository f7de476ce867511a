/** One field of a DocType as the tools describe it. */
export interface FieldMeta {
  fieldname: string;
  label?: string;
  fieldtype: string;
  /** Link/Table: the DocType; Select: the choices, one a line; Dynamic Link: the field naming the DocType. */
  options?: string;
  reqd: boolean;
  read_only: boolean;
  hidden: boolean;
  in_list_view: boolean;
  default?: string;
}

/** A DocType's meta: what a valid document looks like (from frappe.desk.form.load.getdoctype). */
export interface DocTypeMeta {
  name: string;
  module?: string;
  istable: boolean;
  issingle: boolean;
  is_submittable: boolean;
  title_field?: string;
  autoname?: string;
  fields: FieldMeta[];
  /** Child-table DocTypes by name (those its Table fields point to, as the bundle carried them). */
  children: Map<string, DocTypeMeta>;
}

/** Field types that only lay out the form: they hold no value. */
export const LAYOUT_TYPES = new Set([
  'Section Break',
  'Column Break',
  'Tab Break',
  'HTML',
  'Button',
  'Fold',
  'Heading',
  'Image',
]);

/** Field types holding child rows. */
export const TABLE_TYPES = new Set(['Table', 'Table MultiSelect']);

/** Columns every DocType has, beside its fields. */
export const STANDARD_FIELDS = new Set([
  'name',
  'owner',
  'creation',
  'modified',
  'modified_by',
  'docstatus',
  'idx',
]);
/** Columns of a regular (non-child) DocType's table. */
export const STANDARD_PARENT_FIELDS = new Set(['_user_tags', '_comments', '_assign', '_liked_by']);
/** Columns of a child-table DocType. */
export const STANDARD_CHILD_FIELDS = new Set(['parent', 'parentfield', 'parenttype']);

const flag = (v: unknown) => v === 1 || v === true || v === '1';
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

function readDoc(doc: Record<string, unknown>): DocTypeMeta {
  const fields: FieldMeta[] = [];
  for (const f of Array.isArray(doc['fields']) ? (doc['fields'] as Record<string, unknown>[]) : []) {
    const fieldname = str(f['fieldname']);
    const fieldtype = str(f['fieldtype']);
    if (!fieldname || !fieldtype) continue;
    const label = str(f['label']);
    const options = str(f['options']);
    const def = f['default'] === undefined || f['default'] === null ? undefined : String(f['default']);
    fields.push({
      fieldname,
      ...(label ? { label } : {}),
      fieldtype,
      ...(options ? { options } : {}),
      reqd: flag(f['reqd']),
      read_only: flag(f['read_only']),
      hidden: flag(f['hidden']),
      in_list_view: flag(f['in_list_view']),
      ...(def !== undefined && def !== '' ? { default: def } : {}),
    });
  }
  const module = str(doc['module']);
  const title = str(doc['title_field']);
  const autoname = str(doc['autoname']);
  return {
    name: String(doc['name']),
    ...(module ? { module } : {}),
    istable: flag(doc['istable']),
    issingle: flag(doc['issingle']),
    is_submittable: flag(doc['is_submittable']),
    ...(title ? { title_field: title } : {}),
    ...(autoname ? { autoname } : {}),
    fields,
    children: new Map(),
  };
}

/**
 * Reads the answer of getdoctype (`{docs: [DocType, ...child DocTypes]}`) into the meta of
 * `doctype` with its child tables. Undefined when the answer does not hold it.
 */
export function readMetaBundle(body: unknown, doctype: string): DocTypeMeta | undefined {
  const docs = (body as { docs?: unknown } | undefined)?.docs;
  if (!Array.isArray(docs)) return undefined;
  const metas = docs
    .filter((d): d is Record<string, unknown> => !!d && typeof d === 'object' && typeof d.name === 'string')
    .map(readDoc);
  const wanted = doctype.trim().toLowerCase();
  const main = metas.find((m) => m.name.toLowerCase() === wanted) ?? metas[0];
  if (!main) return undefined;
  for (const field of main.fields) {
    if (!TABLE_TYPES.has(field.fieldtype) || !field.options) continue;
    const child = metas.find((m) => m.name === field.options);
    if (child) main.children.set(child.name, child);
  }
  return main;
}

/** The field named `fieldname`, if the DocType has it. */
export function fieldOf(meta: DocTypeMeta, fieldname: string): FieldMeta | undefined {
  return meta.fields.find((f) => f.fieldname === fieldname);
}

/** True when `fieldname` is a column of the DocType's table (a value field or a standard column). */
export function isColumn(meta: DocTypeMeta, fieldname: string): boolean {
  if (STANDARD_FIELDS.has(fieldname)) return true;
  if (meta.istable ? STANDARD_CHILD_FIELDS.has(fieldname) : STANDARD_PARENT_FIELDS.has(fieldname))
    return true;
  const field = fieldOf(meta, fieldname);
  return !!field && !LAYOUT_TYPES.has(field.fieldtype) && !TABLE_TYPES.has(field.fieldtype);
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = next;
    }
  }
  return row[b.length]!;
}

/** Up to three column names close to `fieldname` (typos, label-like spellings). */
export function similarColumns(meta: DocTypeMeta, fieldname: string): string[] {
  const wanted = fieldname.toLowerCase().replace(/\s+/g, '_');
  const names = [
    ...STANDARD_FIELDS,
    ...meta.fields.filter((f) => isColumn(meta, f.fieldname)).map((f) => f.fieldname),
  ];
  return names
    .map((name) => ({ name, d: distance(wanted, name.toLowerCase()) }))
    .filter(({ name, d }) => d <= Math.max(2, Math.floor(name.length / 3)) || name.includes(wanted))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map(({ name }) => name);
}

/**
 * The fields a list shows when none are asked for: name (and parent, parentfield, idx of a child
 * row), the title field, status, the list-view fields (up to five), docstatus of submittable
 * DocTypes and modified.
 */
export function leanFields(meta: DocTypeMeta): string[] {
  const out = ['name'];
  const add = (f: string | undefined) => {
    if (f && !out.includes(f) && isColumn(meta, f)) out.push(f);
  };
  // A child row says which document it belongs to, and where in its table.
  if (meta.istable) ['parent', 'parentfield', 'idx'].forEach(add);
  add(meta.title_field);
  if (fieldOf(meta, 'status')) add('status');
  for (const f of meta.fields.filter((x) => x.in_list_view).slice(0, 5)) add(f.fieldname);
  if (meta.is_submittable) add('docstatus');
  add('modified');
  return out;
}
