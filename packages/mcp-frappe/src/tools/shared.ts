import { createHash } from 'node:crypto';
import { jsonish, ToolError, z, type ToolContext } from '@org/mcp-core';
import type { Deps } from '../deps.js';
import type { Doc } from '../frappe/client.js';
import { fieldOf, LAYOUT_TYPES, STANDARD_FIELDS, TABLE_TYPES, type DocTypeMeta } from '../frappe/meta.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A DocType name such as "Sales Invoice". */
export const Doctype = z
  .string()
  .trim()
  .min(1)
  .max(140)
  .refine((v) => !CONTROL.test(v), 'must not contain control characters')
  .describe('DocType, e.g. "Sales Invoice", "Customer", "ToDo"');

/** A document name such as "SINV-2024-00001" (any characters; sent URL-encoded). */
export const DocName = z
  .string()
  .min(1)
  .max(255)
  .refine((v) => !CONTROL.test(v), 'must not contain control characters')
  .refine((v) => v.trim() !== '.' && v.trim() !== '..', 'is not a document name')
  .describe('The document name (its ID), e.g. "SINV-2024-00001"');

/** A JSON object given natively or as a JSON string (as the original server took it). */
export const JsonObject = (what: string) =>
  jsonish(z.record(z.string(), z.unknown(), { error: 'must be a JSON object' })).describe(what);

/** Filters in any form Frappe takes, natively or as a JSON string. */
export const Filters = jsonish(
  z.union([z.record(z.string(), z.unknown()), z.array(z.array(z.unknown()))], {
    error: 'must be an object {field: value} or a list of [field, operator, value]',
  }),
)
  .nullish()
  .describe(
    'Filters: {"status": "Paid", "grand_total": [">", 100]} or [["status", "=", "Paid"], ["posting_date", "between", ["2024-01-01", "2024-03-31"]]]; a child-table filter is [child_doctype, field, operator, value]. Operators: = != > < >= <= like, not like, in, not in, between, is ("set"/"not set"), timespan, descendants of, ancestors of. Field names are checked against the DocType',
  );

/** Filters of which at least one must hold (Frappe's or_filters), in the forms `filters` takes. */
export const OrFilters = jsonish(
  z.union([z.record(z.string(), z.unknown()), z.array(z.array(z.unknown()))], {
    error: 'must be an object {field: value} or a list of [field, operator, value]',
  }),
)
  .nullish()
  .describe(
    'Filters of which at least one must hold, in the same forms as filters, e.g. [["status", "=", "Overdue"], ["grand_total", ">", 1000]]',
  );

/** The parent DocType when listing a child DocType's rows. */
export const ParentDoctype = z
  .string()
  .trim()
  .min(1)
  .max(140)
  .refine((v) => !CONTROL.test(v), 'must not contain control characters')
  .optional()
  .describe(
    'Only for a child DocType (e.g. "Sales Invoice Item"): the parent DocType whose rows to list, e.g. "Sales Invoice" (Frappe requires it and checks permission on the parent)',
  );

/** A `fields` projection, natively or as a JSON string. */
export const Fields = jsonish(z.array(z.string().min(1).max(200)).min(1).max(100))
  .nullish()
  .describe(
    'Columns to return, e.g. ["name", "customer", "grand_total"], ["*"] for every column, or "link_field.field" through a Link field (default: name, title, status, the list-view fields, docstatus, modified)',
  );

/** Output of a list: rows keyed by column. */
export const Row = z.record(z.string(), z.unknown());

/** The DocType passes the server's guard (no request otherwise). */
export function guard(ctx: ToolContext<Deps>, doctype: string): void {
  ctx.deps.frappe.guard.assert(doctype);
}

/** A short fingerprint of a query, kept in cursors so a cursor is not replayed on another query. */
export function fingerprint(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('base64url').slice(0, 12);
}

const CHILD_NOISE = new Set([
  'parent',
  'parentfield',
  'parenttype',
  'doctype',
  'owner',
  'creation',
  'modified',
  'modified_by',
  'docstatus',
]);

const empty = (v: unknown) => v === null || v === undefined || v === '';

/**
 * A document as the tools show it: no null or empty values, no `__` internals, and child rows
 * without the columns that repeat their parent (parent, parenttype, owner, timestamps, …);
 * row `name` and `idx` stay, as updates of a child table need them.
 */
export function cleanDoc(doc: Doc): Doc {
  const out: Doc = {};
  for (const [key, value] of Object.entries(doc)) {
    if (empty(value) || key.startsWith('__')) continue;
    if (Array.isArray(value) && value.every((r) => r && typeof r === 'object' && !Array.isArray(r))) {
      out[key] = (value as Doc[]).map((row) => {
        const r: Doc = {};
        for (const [k, v] of Object.entries(row)) {
          if (!empty(v) && !CHILD_NOISE.has(k) && !k.startsWith('__')) r[k] = v;
        }
        return r;
      });
    } else out[key] = value;
  }
  return out;
}

/** A list row without null or empty values. */
export function cleanRow(row: Doc): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(row)) if (!empty(v)) out[k] = v;
  return out;
}

/** The output of the document tools: the document, and what the budget cut from it. */
export const DocOutput = z.object({
  data: Row.describe('The document (null and empty fields left out)'),
  truncated: z
    .boolean()
    .optional()
    .describe('True when child rows or long texts were cut to the output budget'),
  omitted_rows: z
    .record(z.string(), z.number())
    .optional()
    .describe('Child table → rows left out to stay within the budget'),
});

/**
 * Keeps a document within `budget` characters: drops rows from the end of the largest child
 * tables first, then cuts long texts. O(rows) after one measure of the whole document.
 */
export function boundDoc(doc: Doc, budget: number): z.input<typeof DocOutput> {
  let size = JSON.stringify(doc).length;
  if (size <= budget) return { data: doc };
  const out: Doc = { ...doc };
  const omitted: Record<string, number> = {};
  const tables = Object.entries(out)
    .filter(([, v]) => Array.isArray(v))
    .map(([key, v]) => {
      const rows = [...(v as unknown[])];
      out[key] = rows;
      return { key, rows, sizes: rows.map((r) => JSON.stringify(r).length + 1) };
    });
  while (size > budget) {
    let best: (typeof tables)[number] | undefined;
    let bestSize = 0;
    for (const t of tables) {
      const s = t.sizes.reduce((a, b) => a + b, 0);
      if (t.rows.length > 0 && s > bestSize) {
        best = t;
        bestSize = s;
      }
    }
    if (!best) break;
    best.rows.pop();
    size -= best.sizes.pop()!;
    omitted[best.key] = (omitted[best.key] ?? 0) + 1;
  }
  if (size > budget) {
    for (const [key, value] of Object.entries(out)) {
      if (typeof value === 'string' && value.length > 500) {
        out[key] = `${value.slice(0, 500)}…`;
        size -= value.length - 501;
      }
    }
  }
  return {
    data: out,
    truncated: true,
    ...(Object.keys(omitted).length > 0 ? { omitted_rows: omitted } : {}),
  };
}

/**
 * Checks the keys of a document to create or update against the meta: every key is a field (or
 * `name`), child-table rows are objects with fields of the child DocType, and `docstatus` is
 * refused (submit and cancel have their own tools, which check the state first).
 */
export function checkDocData(meta: DocTypeMeta, data: Doc, what: 'create' | 'update', docName?: string): Doc {
  const out: Doc = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === 'doctype') {
      if (typeof value === 'string' && value.toLowerCase() !== meta.name.toLowerCase()) {
        throw ToolError.validation(`data.doctype is "${value}" but the DocType is ${meta.name}`);
      }
      continue;
    }
    if (key === 'docstatus') {
      throw ToolError.validation(
        'data.docstatus cannot be set here',
        'Use frappe_submit_document or frappe_cancel_document, which check the document state first.',
      );
    }
    if (STANDARD_FIELDS.has(key)) {
      if (key === 'name' || (what === 'update' && key === 'modified')) out[key] = value;
      else throw ToolError.validation(`data.${key} is set by Frappe and cannot be written`);
      continue;
    }
    const field = fieldOf(meta, key);
    if (!field || LAYOUT_TYPES.has(field.fieldtype)) {
      throw ToolError.validation(
        `Unknown field "${key}" in data for DocType ${meta.name}`,
        'frappe_get_doctype_meta lists every field of the DocType.',
      );
    }
    if (TABLE_TYPES.has(field.fieldtype)) {
      if (!Array.isArray(value) || !value.every((r) => r && typeof r === 'object' && !Array.isArray(r))) {
        throw ToolError.validation(`data.${key} is a child table: give a list of row objects`);
      }
      const child = field.options ? meta.children.get(field.options) : undefined;
      const parentName =
        what === 'update' ? docName : typeof data['name'] === 'string' ? data['name'] : undefined;
      out[key] = (value as Doc[]).map((row, i) =>
        checkRow(meta, key, child, row, `data.${key}[${i}]`, field.options, parentName),
      );
      continue;
    }
    out[key] = value;
  }
  return out;
}

/** What a child row says of where it lives; Frappe sets these from the parent itself. */
const ROW_PLACE = ['parent', 'parenttype', 'parentfield'] as const;

/**
 * Checks one child row given inside its parent: its keys are fields of the child DocType (or
 * name, idx), and the parent, parenttype, parentfield and doctype it may carry (as rows read
 * with frappe_get_document's full form do) agree with where it is being put. They are then left
 * out: Frappe sets them from the parent, so a row cannot be aimed at another document.
 */
function checkRow(
  meta: DocTypeMeta,
  key: string,
  child: DocTypeMeta | undefined,
  row: Doc,
  where: string,
  childDoctype: string | undefined,
  parentName: string | undefined,
): Doc {
  const expected: Record<(typeof ROW_PLACE)[number], string | undefined> = {
    parent: parentName,
    parenttype: meta.name,
    parentfield: key,
  };
  const out: Doc = {};
  for (const [k, v] of Object.entries(row)) {
    if ((ROW_PLACE as readonly string[]).includes(k)) {
      const want = expected[k as (typeof ROW_PLACE)[number]];
      if (v !== null && v !== undefined && v !== '' && want !== undefined && String(v) !== want) {
        throw ToolError.validation(
          `${where}.${k} is "${String(v)}" but the row belongs to ${k === 'parent' ? `${meta.name} ${want}` : `"${want}"`}`,
          'Leave parent, parenttype and parentfield out of rows given inside their document: Frappe sets them.',
        );
      }
      continue;
    }
    if (k === 'doctype') {
      if (typeof v === 'string' && childDoctype && v.toLowerCase() !== childDoctype.toLowerCase()) {
        throw ToolError.validation(
          `${where}.doctype is "${v}" but ${meta.name}.${key} holds ${childDoctype} rows`,
        );
      }
      continue;
    }
    if (child && !STANDARD_FIELDS.has(k)) {
      const f = fieldOf(child, k);
      if (!f || LAYOUT_TYPES.has(f.fieldtype)) {
        throw ToolError.validation(`Unknown field "${k}" in ${where} (child DocType ${child.name})`);
      }
    }
    if (k === 'name' || k === 'idx' || !STANDARD_FIELDS.has(k)) out[k] = v;
  }
  return out;
}
