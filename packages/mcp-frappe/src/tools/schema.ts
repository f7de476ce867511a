import { jsonish, z } from '@org/mcp-core';
import { plainText } from '../frappe/errors.js';
import { LAYOUT_TYPES, type DocTypeMeta, type FieldMeta } from '../frappe/meta.js';
import { checkFilters } from '../frappe/query.js';
import { Doctype, guard } from './shared.js';
import { tool } from './tool.js';

const FieldOut = z.object({
  fieldname: z.string(),
  label: z.string().optional(),
  fieldtype: z.string().describe('Data, Link, Select, Table, Date, Currency, Check, …'),
  options: z
    .string()
    .optional()
    .describe(
      'Link/Table: the DocType; Select: the choices, one a line; Dynamic Link: the field naming the DocType',
    ),
  reqd: z.literal(true).optional().describe('Mandatory'),
  read_only: z.literal(true).optional(),
  hidden: z.literal(true).optional(),
  default: z.string().optional(),
});

function fieldsOut(meta: DocTypeMeta, includeHidden: boolean): z.input<typeof FieldOut>[] {
  return meta.fields
    .filter((f) => !LAYOUT_TYPES.has(f.fieldtype) && (includeHidden || !f.hidden))
    .map((f: FieldMeta) => ({
      fieldname: f.fieldname,
      ...(f.label ? { label: f.label } : {}),
      fieldtype: f.fieldtype,
      ...(f.options ? { options: f.options } : {}),
      ...(f.reqd ? { reqd: true as const } : {}),
      ...(f.read_only ? { read_only: true as const } : {}),
      ...(f.hidden ? { hidden: true as const } : {}),
      ...(f.default !== undefined ? { default: f.default } : {}),
    }));
}

export const getDoctypeMeta = tool({
  name: 'frappe_get_doctype_meta',
  toolset: 'schema',
  title: 'DocType meta',
  description:
    'What a valid document of a DocType looks like: its fields with types, mandatory flags, options (the linked DocType of a Link, the choices of a Select), defaults, its child tables with their fields, whether it is submittable, its title field and naming rule. Layout fields (sections, columns) are left out, hidden ones too unless asked. Includes custom fields.',
  input: z.object({
    doctype: Doctype,
    include_hidden: z.boolean().default(false).describe('Also list hidden fields (default false)'),
  }),
  output: z.object({
    doctype: z.string(),
    module: z.string().optional(),
    is_submittable: z.boolean().describe('Documents go draft (0) → submitted (1) → cancelled (2)'),
    is_child_table: z.boolean(),
    is_single: z.boolean().describe('One document only, named like the DocType'),
    title_field: z.string().optional(),
    naming: z
      .string()
      .optional()
      .describe('autoname rule, e.g. "naming_series:", "field:customer_name", "hash"'),
    fields: z.array(FieldOut),
    child_tables: z.array(z.object({ doctype: z.string(), fields: z.array(FieldOut) })),
    truncated: z.boolean().describe('True when fields were cut to the output budget'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ doctype, include_hidden }, ctx) {
    guard(ctx, doctype);
    const meta = await ctx.deps.frappe.meta(doctype, ctx.signal);
    let fields = fieldsOut(meta, include_hidden);
    let children = [...meta.children.values()].map((c) => ({
      doctype: c.name,
      fields: fieldsOut(c, include_hidden),
    }));
    const budget = ctx.outputBudget - 500;
    let truncated = false;
    const size = () => JSON.stringify(fields).length + JSON.stringify(children).length;
    while (size() > budget && children.some((c) => c.fields.length > 0)) {
      truncated = true;
      children = children.map((c) => ({ ...c, fields: c.fields.filter((f) => f.reqd) }));
      if (size() > budget) children = children.map((c) => ({ ...c, fields: [] }));
    }
    if (size() > budget) {
      truncated = true;
      while (fields.length > 1 && size() > budget) fields = fields.slice(0, Math.floor(fields.length * 0.8));
    }
    return {
      doctype: meta.name,
      ...(meta.module ? { module: meta.module } : {}),
      is_submittable: meta.is_submittable,
      is_child_table: meta.istable,
      is_single: meta.issingle,
      ...(meta.title_field ? { title_field: meta.title_field } : {}),
      ...(meta.autoname ? { naming: meta.autoname } : {}),
      fields,
      child_tables: children,
      truncated,
    };
  },
});

interface LinkResult {
  value?: unknown;
  label?: unknown;
  description?: unknown;
}

export const searchLink = tool({
  name: 'frappe_search_link',
  toolset: 'schema',
  title: 'Search link candidates',
  description:
    "Candidates for a Link field: documents of `doctype` whose name or search fields match `txt` (as the form's link dropdown shows them, permission-checked). Use the returned value in the Link field. Up to `limit` (default 10).",
  input: z.object({
    doctype: Doctype.describe('The linked DocType (the Link field\'s options), e.g. "Customer"'),
    txt: z.string().max(140).default('').describe('Text to match (default: empty, the first candidates)'),
    filters: jsonish(z.record(z.string(), z.unknown()))
      .optional()
      .describe('Filters on the candidates, e.g. {"disabled": 0}; checked against the DocType'),
    reference_doctype: Doctype.optional().describe(
      'The DocType whose form holds the Link field (some searches depend on it)',
    ),
    limit: z.number().int().min(1).max(50).default(10).describe('At most this many (default 10, max 50)'),
  }),
  output: z.object({
    results: z.array(
      z.object({ value: z.string(), label: z.string().optional(), description: z.string().optional() }),
    ),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ doctype, txt, filters, reference_doctype, limit }, ctx) {
    const { frappe } = ctx.deps;
    guard(ctx, doctype);
    if (reference_doctype) guard(ctx, reference_doctype);
    let checked: unknown;
    if (filters && Object.keys(filters).length > 0) {
      const meta = await frappe.meta(doctype, ctx.signal);
      checked = checkFilters(meta, frappe.guard, filters).map(([, f, op, v]) => [f, op, v]);
    }
    const body = await frappe.request<{ message?: LinkResult[]; results?: LinkResult[] }>({
      method: 'GET',
      path: '/api/method/frappe.desk.search.search_link',
      query: {
        doctype,
        txt,
        page_length: limit,
        ...(checked ? { filters: JSON.stringify(checked) } : {}),
        ...(reference_doctype ? { reference_doctype } : {}),
      },
      signal: ctx.signal,
    });
    const rows = (
      Array.isArray(body?.message) ? body.message : Array.isArray(body?.results) ? body.results : []
    ).slice(0, limit);
    return {
      results: rows
        .filter((r) => r && r.value !== undefined && r.value !== null)
        .map((r) => {
          const label = typeof r.label === 'string' ? plainText(r.label) : '';
          const description = typeof r.description === 'string' ? plainText(r.description) : '';
          return {
            value: String(r.value),
            ...(label && label !== String(r.value) ? { label } : {}),
            ...(description ? { description: description.slice(0, 300) } : {}),
          };
        }),
    };
  },
});
