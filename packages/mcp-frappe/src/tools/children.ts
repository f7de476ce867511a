// Child tables (Table fields): their rows live inside a parent document. Frappe reads and lists
// them only through a parent the user may read (frappe/client.py check_parent_permission,
// has_child_permission), inserts a lone row by appending it to its parent (frappe.client.insert)
// and changes one through its parent (frappe.client.set_value). These helpers check what the
// tools send for child rows before anything is sent.
import { ToolError, type ToolContext } from '@org/mcp-core';
import type { Deps } from '../deps.js';
import type { Doc } from '../frappe/client.js';
import { fieldOf, LAYOUT_TYPES, STANDARD_FIELDS, TABLE_TYPES, type DocTypeMeta } from '../frappe/meta.js';
import { guard } from './shared.js';

/** The Table fields of `parent` holding rows of `child`. */
function tablesOf(parent: DocTypeMeta, child: string): string[] {
  return parent.fields
    .filter((f) => TABLE_TYPES.has(f.fieldtype) && f.options?.toLowerCase() === child.toLowerCase())
    .map((f) => f.fieldname);
}

/** The parent DocType of a child DocType's parent meta, checked: it passes the guard and has a table of `child`. */
async function parentMeta(ctx: ToolContext<Deps>, child: DocTypeMeta, parent: string): Promise<DocTypeMeta> {
  guard(ctx, parent);
  const meta = await ctx.deps.frappe.meta(parent, ctx.signal);
  if (tablesOf(meta, child.name).length === 0) {
    throw ToolError.validation(
      `${meta.name} has no child table of ${child.name}`,
      'frappe_get_doctype_meta on the parent DocType lists its child tables.',
    );
  }
  return meta;
}

/**
 * The parent DocType to send with a list: required for a child DocType (Frappe refuses a child
 * list without it), refused for any other.
 */
export async function parentFor(
  ctx: ToolContext<Deps>,
  meta: DocTypeMeta,
  parent: string | undefined,
): Promise<string | undefined> {
  if (!meta.istable) {
    if (parent) throw ToolError.validation(`parent is only for child DocTypes, and ${meta.name} is not one`);
    return undefined;
  }
  if (!parent) {
    throw ToolError.validation(
      `${meta.name} is a child table: give parent, the DocType whose rows to list (e.g. the one whose form holds this table)`,
      'Or list the parent DocType with a child-table filter [child_doctype, field, operator, value].',
    );
  }
  return (await parentMeta(ctx, meta, parent)).name;
}

function checkValueKeys(meta: DocTypeMeta, data: Doc, where: string): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(data)) {
    if (k === 'doctype') continue;
    if (STANDARD_FIELDS.has(k) && k !== 'idx') {
      throw ToolError.validation(`${where}.${k} is set by Frappe and cannot be written`);
    }
    const f = k === 'idx' ? { fieldtype: 'Int' } : fieldOf(meta, k);
    if (!f || LAYOUT_TYPES.has(f.fieldtype) || TABLE_TYPES.has(f.fieldtype)) {
      throw ToolError.validation(
        `Unknown field "${k}" in ${where} for child DocType ${meta.name}`,
        'frappe_get_doctype_meta lists every field of the DocType.',
      );
    }
    out[k] = v;
  }
  return out;
}

/**
 * A lone child row to insert: `parenttype` and `parent` say which document it joins,
 * `parentfield` which of its tables (needed only when it has several of this DocType).
 */
export async function childRowData(ctx: ToolContext<Deps>, meta: DocTypeMeta, data: Doc): Promise<Doc> {
  const { parent, parenttype, parentfield, ...values } = data;
  if (typeof parenttype !== 'string' || !parenttype || typeof parent !== 'string' || !parent) {
    throw ToolError.validation(
      `${meta.name} is a child table: data needs parenttype (the parent DocType) and parent (the document the row joins)`,
      'Or update the parent document with the whole table (frappe_update_document).',
    );
  }
  const pmeta = await parentMeta(ctx, meta, parenttype);
  const tables = tablesOf(pmeta, meta.name);
  let field: string;
  if (parentfield === undefined || parentfield === null || parentfield === '') {
    if (tables.length > 1) {
      throw ToolError.validation(
        `${pmeta.name} has several tables of ${meta.name} (${tables.join(', ')}): say which in parentfield`,
      );
    }
    field = tables[0]!;
  } else if (typeof parentfield !== 'string' || !tables.includes(parentfield)) {
    throw ToolError.validation(
      `data.parentfield "${String(parentfield)}" is not a table of ${meta.name} rows in ${pmeta.name} (${tables.join(', ')})`,
    );
  } else field = parentfield;
  return {
    ...checkValueKeys(meta, values, 'data'),
    doctype: meta.name,
    parenttype: pmeta.name,
    parent,
    parentfield: field,
  };
}

/** Values to change in one child row: its own fields only (a row is not moved to another document). */
export function checkRowValues(meta: DocTypeMeta, data: Doc): Doc {
  for (const k of ['parent', 'parenttype', 'parentfield']) {
    if (k in data) {
      throw ToolError.validation(
        `data.${k}: a row cannot be moved to another document`,
        'Add a new row to the other document and remove this one from its table instead.',
      );
    }
  }
  const out = checkValueKeys(meta, data, 'data');
  if (Object.keys(out).length === 0) throw ToolError.validation('data has no field to change');
  return out;
}

/**
 * Rows given with a `name` in an update must be rows of this document's table: Frappe would
 * otherwise write to a row by its name alone. Reads the document once, only when some row has a name.
 */
export async function checkRowNames(
  ctx: ToolContext<Deps>,
  meta: DocTypeMeta,
  name: string,
  data: Doc,
): Promise<void> {
  const named = Object.entries(data).filter(
    ([key, value]) =>
      TABLE_TYPES.has(fieldOf(meta, key)?.fieldtype ?? '') &&
      Array.isArray(value) &&
      value.some((r) => typeof (r as Doc)['name'] === 'string'),
  );
  if (named.length === 0) return;
  const current = await ctx.deps.frappe.get(meta.name, name, ctx.signal);
  for (const [key, rows] of named) {
    const existing = new Set(((current[key] as Doc[] | undefined) ?? []).map((r) => String(r['name'])));
    for (const [i, row] of (rows as Doc[]).entries()) {
      const rowName = row['name'];
      if (typeof rowName === 'string' && !existing.has(rowName)) {
        throw ToolError.validation(
          `data.${key}[${i}].name "${rowName}" is not a row of ${meta.name} ${name}.${key}`,
          'Leave name out of a new row; keep the names frappe_get_document returned for rows that stay.',
        );
      }
    }
  }
}
