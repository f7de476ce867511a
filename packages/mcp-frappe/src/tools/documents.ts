import { decodeCursor, encodeCursor, fitToBudget, pageInfoShape, ToolError, z } from '@org/mcp-core';
import { leanFields } from '../frappe/meta.js';
import { checkFields, checkFilters, checkOrderBy } from '../frappe/query.js';
import { checkRowNames, checkRowValues, childRowData, parentFor } from './children.js';
import {
  boundDoc,
  checkDocData,
  cleanDoc,
  cleanRow,
  DocName,
  DocOutput,
  Doctype,
  Fields,
  Filters,
  fingerprint,
  guard,
  JsonObject,
  OrFilters,
  ParentDoctype,
  Row,
} from './shared.js';
import { tool } from './tool.js';

export const getDocument = tool({
  name: 'frappe_get_document',
  toolset: 'documents',
  title: 'Get document',
  description:
    'One document by DocType and name, with its child tables (Frappe checks read permission). Null and empty fields are left out; child rows keep name and idx. A document larger than the output budget has rows cut from its largest child tables (truncated: true, omitted_rows).',
  input: z.object({ doctype: Doctype, name: DocName }),
  output: DocOutput,
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ doctype, name }, ctx) {
    guard(ctx, doctype);
    const doc = await ctx.deps.frappe.get(doctype, name, ctx.signal);
    // A child row is read through its parent (Frappe checks the parent's permission): the parent DocType must pass the guard too.
    if (typeof doc['parenttype'] === 'string' && doc['parenttype']) guard(ctx, doc['parenttype']);
    return boundDoc(cleanDoc(doc), ctx.outputBudget - 200);
  },
});

const ListCursor = z.object({ s: z.number().int().min(0), q: z.string() });

export const getList = tool({
  name: 'frappe_get_list',
  toolset: 'documents',
  title: 'List documents',
  description:
    "Documents of a DocType the user may read, through Frappe's permission-checked list (user permissions and sharing apply). Returns `limit` rows (default 20, at most 100) of the chosen `fields`, then truncated: true and next_cursor while more exist. `filters` must all hold; `or_filters`, when given, at least one of them. Filters, fields and order_by are checked against the DocType's fields first: a misspelt field is an error naming it. Rows of a child table (e.g. Sales Invoice Item) are listed with `parent` set to the parent DocType; filter on the `parent` column for one document's rows.",
  input: z.object({
    doctype: Doctype,
    filters: Filters,
    or_filters: OrFilters,
    fields: Fields,
    parent: ParentDoctype,
    limit: z
      .number()
      .int()
      .min(1, 'must be 1 to 100 (0 does not mean every row here: page with next_cursor)')
      .max(100, 'must be 1 to 100: page with next_cursor')
      .default(20)
      .describe('Rows per page (default 20, max 100); more come with next_cursor'),
    order_by: z
      .string()
      .max(300)
      .nullish()
      .describe('e.g. "modified desc" or "posting_date desc, name asc" (default: the DocType\'s sort order)'),
    cursor: z.string().max(500).optional().describe('next_cursor of the previous page of the same query'),
  }),
  output: z.object({
    data: z.array(Row).describe('The rows, null and empty columns left out'),
    count: z.number().int().describe('Rows in this page'),
    ...pageInfoShape,
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const { frappe } = ctx.deps;
    guard(ctx, input.doctype);
    const meta = await frappe.meta(input.doctype, ctx.signal);
    const parent = await parentFor(ctx, meta, input.parent);
    const filters = checkFilters(meta, frappe.guard, input.filters);
    const orFilters = checkFilters(meta, frappe.guard, input.or_filters, 'or_filters');
    const fields = input.fields
      ? await checkFields(frappe, meta, input.fields, ctx.signal)
      : leanFields(meta);
    const orderBy = input.order_by ? checkOrderBy(meta, input.order_by) : undefined;
    const q = fingerprint([meta.name, parent, filters, orFilters, fields, orderBy]);
    let start = 0;
    if (input.cursor) {
      const c = decodeCursor(input.cursor, ListCursor);
      if (c.q !== q) {
        throw ToolError.validation(
          'This cursor belongs to another query',
          'Pass next_cursor with the same doctype, filters, fields and order_by.',
        );
      }
      start = c.s;
    }
    const page = await frappe.list(
      meta.name,
      { fields, filters, orFilters, parent, orderBy, start, limit: input.limit },
      ctx.signal,
    );
    const rows = page.rows.map(cleanRow);
    const fit = fitToBudget(rows, ctx.outputBudget - 300);
    const more = fit < rows.length || page.hasMore;
    return {
      data: rows.slice(0, fit),
      count: fit,
      truncated: more,
      ...(more ? { next_cursor: encodeCursor({ s: start + fit, q }) } : {}),
    };
  },
});

export const getCount = tool({
  name: 'frappe_get_count',
  toolset: 'documents',
  title: 'Count documents',
  description:
    'How many documents of a DocType match the filters, counting only those the user may read (frappe.desk.reportview.get_count; not frappe.client.get_count, which ignores user permissions). filters and or_filters as in frappe_get_list.',
  input: z.object({ doctype: Doctype, filters: Filters, or_filters: OrFilters }),
  output: z.object({ doctype: z.string(), count: z.number().int() }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ doctype, filters, or_filters }, ctx) {
    const { frappe } = ctx.deps;
    guard(ctx, doctype);
    const meta = await frappe.meta(doctype, ctx.signal);
    if (meta.istable) {
      throw ToolError.validation(
        `${meta.name} is a child table: count its parents instead`,
        `Count the parent DocType with a child-table filter [["${meta.name}", field, operator, value]], or list the rows with frappe_get_list and parent.`,
      );
    }
    const checked = checkFilters(meta, frappe.guard, filters);
    const or = checkFilters(meta, frappe.guard, or_filters, 'or_filters');
    return { doctype: meta.name, count: await frappe.count(meta.name, checked, or, ctx.signal) };
  },
});

export const createDocument = tool({
  name: 'frappe_create_document',
  toolset: 'documents',
  title: 'Create document',
  description:
    "Inserts a new document (as a draft for submittable DocTypes) and returns it as saved, with its generated name. `data` holds field values; child tables are lists of row objects (Frappe sets each row's parent, parenttype and parentfield). Field names are checked against the DocType first; docstatus cannot be set (use frappe_submit_document). For a child DocType, `data` is one row with parenttype and parent (the document it joins): the row is appended to that document, which is saved and returned.",
  input: z.object({
    doctype: Doctype,
    data: JsonObject(
      'Field values, e.g. {"customer": "ACME", "items": [{"item_code": "WIDGET", "qty": 2}]}; "name" sets the name where the DocType allows it',
    ),
  }),
  output: DocOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ doctype, data }, ctx) {
    const { frappe } = ctx.deps;
    guard(ctx, doctype);
    const meta = await frappe.meta(doctype, ctx.signal);
    if (meta.istable) {
      const row = await childRowData(ctx, meta, data);
      const parent = await frappe.insertRow(row, ctx.signal);
      return boundDoc(cleanDoc(parent), ctx.outputBudget - 200);
    }
    const doc = await frappe.insert(meta.name, checkDocData(meta, data, 'create'), ctx.signal);
    return boundDoc(cleanDoc(doc), ctx.outputBudget - 200);
  },
});

export const updateDocument = tool({
  name: 'frappe_update_document',
  toolset: 'documents',
  title: 'Update document',
  description:
    'Changes fields of a document and returns it as saved. Only the fields in `data` change, except child tables: a table given in `data` replaces the whole table (rows without "name" are added, rows with the "name" of one of this document\'s rows change it, rows left out are removed; a row name from another document is refused). Passing the "modified" value you read makes Frappe refuse the update if someone saved the document since (conflict). Submitted documents accept only fields marked "allow on submit". For a child DocType, `name` is the row\'s name: the row changes through its parent, which is saved and returned.',
  input: z.object({
    doctype: Doctype,
    name: DocName,
    data: JsonObject('Field values to change, e.g. {"status": "Closed"}'),
  }),
  output: DocOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ doctype, name, data }, ctx) {
    const { frappe } = ctx.deps;
    guard(ctx, doctype);
    const meta = await frappe.meta(doctype, ctx.signal);
    if (meta.istable) {
      const values = checkRowValues(meta, data);
      // Read the row first: its parent DocType must pass the guard before anything is written.
      const row = await frappe.get(meta.name, name, ctx.signal);
      if (typeof row['parenttype'] === 'string') guard(ctx, row['parenttype']);
      const parent = await frappe.updateRow(meta.name, name, values, ctx.signal);
      return boundDoc(cleanDoc(parent), ctx.outputBudget - 200);
    }
    const checked = checkDocData(meta, data, 'update', name);
    if (Object.keys(checked).length === 0) throw ToolError.validation('data has no field to change');
    await checkRowNames(ctx, meta, name, checked);
    const doc = await frappe.update(meta.name, name, checked, ctx.signal);
    return boundDoc(cleanDoc(doc), ctx.outputBudget - 200);
  },
});

export const deleteDocument = tool({
  name: 'frappe_delete_document',
  toolset: 'documents',
  title: 'Delete document',
  description:
    'Deletes a document for good (Frappe checks delete permission; a submitted document must be cancelled first, and a document other documents link to cannot be deleted).',
  input: z.object({ doctype: Doctype, name: DocName }),
  output: z.object({ success: z.boolean(), message: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler({ doctype, name }, ctx) {
    guard(ctx, doctype);
    const meta = await ctx.deps.frappe.meta(doctype, ctx.signal);
    if (meta.istable) {
      throw ToolError.validation(
        `${meta.name} is a child table: a row is removed by updating its parent`,
        'Update the parent document with the table given without that row (frappe_update_document).',
      );
    }
    await ctx.deps.frappe.remove(meta.name, name, ctx.signal);
    return { success: true, message: `Deleted ${doctype}/${name}` };
  },
});
