import { ToolError } from '@org/mcp-core';
import type { DoctypeGuard } from './guard.js';
import { fieldOf, isColumn, similarColumns, TABLE_TYPES, type DocTypeMeta } from './meta.js';

/** Filter operators Frappe's query builder knows (frappe/model/db_query.py, frappe.qb). */
export const OPERATORS = [
  '=',
  '!=',
  '>',
  '<',
  '>=',
  '<=',
  'like',
  'not like',
  'in',
  'not in',
  'between',
  'is',
  'timespan',
  'descendants of',
  'not descendants of',
  'ancestors of',
  'not ancestors of',
  'descendants of (inclusive)',
] as const;
const KNOWN = new Set<string>(OPERATORS);

/** A filter as sent to Frappe: [doctype, field, operator, value]. */
export type Filter = [string, string, string, unknown];

/** Where list tools get the meta of linked DocTypes (cached by the client). */
export interface MetaSource {
  meta(doctype: string, signal?: AbortSignal): Promise<DocTypeMeta>;
  guard: DoctypeGuard;
}

function unknownField(meta: DocTypeMeta, fieldname: string, where: string): ToolError {
  const close = similarColumns(meta, fieldname);
  return ToolError.validation(
    `Unknown field "${fieldname}" in ${where} for DocType ${meta.name}`,
    close.length > 0
      ? `Did you mean ${close.map((c) => `"${c}"`).join(', ')}? frappe_get_doctype_meta lists every field.`
      : 'frappe_get_doctype_meta lists every field of the DocType.',
  );
}

function checkValue(field: string, op: string, value: unknown): void {
  const bad = (what: string) => ToolError.validation(`Filter on "${field}": operator "${op}" needs ${what}`);
  if (op === 'in' || op === 'not in') {
    if (!Array.isArray(value) && typeof value !== 'string') throw bad('a list of values');
  } else if (op === 'between') {
    if (!Array.isArray(value) || value.length !== 2) throw bad('a list of two values [from, to]');
  } else if (op === 'is') {
    if (value !== 'set' && value !== 'not set') throw bad('"set" or "not set"');
  } else if (value !== null && typeof value === 'object') {
    throw bad('a single value (a string, number or boolean)');
  }
}

/**
 * Checks filters against the DocType's meta and returns them in Frappe's list form. Accepts
 * `{field: value}`, `{field: [operator, value]}`, `[[field, operator, value], ...]` and
 * `[[child_doctype, field, operator, value], ...]` (child tables of this DocType only). A field
 * the DocType lacks, an unknown operator or a value of the wrong shape is a validation error
 * naming the field, before any list request.
 */
export function checkFilters(
  meta: DocTypeMeta,
  guard: DoctypeGuard,
  filters: unknown,
  where = 'filters',
): Filter[] {
  if (filters === undefined || filters === null) return [];
  const raw: unknown[][] = [];
  if (Array.isArray(filters)) {
    for (const [i, item] of filters.entries()) {
      if (!Array.isArray(item) || item.length < 3 || item.length > 4) {
        throw ToolError.validation(
          `${where}[${i}] must be [field, operator, value] or [doctype, field, operator, value]`,
        );
      }
      raw.push(item.length === 3 ? [meta.name, ...item] : item);
    }
  } else if (typeof filters === 'object') {
    for (const [field, value] of Object.entries(filters as Record<string, unknown>)) {
      if (Array.isArray(value)) {
        if (value.length !== 2 || typeof value[0] !== 'string' || !KNOWN.has(value[0].toLowerCase())) {
          throw ToolError.validation(
            `${where}.${field} must be a value or [operator, value] with a known operator (${OPERATORS.join(', ')})`,
          );
        }
        raw.push([meta.name, field, value[0], value[1]]);
      } else raw.push([meta.name, field, '=', value]);
    }
  } else {
    throw ToolError.validation(
      `${where} must be an object {field: value} or a list of [field, operator, value]`,
    );
  }
  return raw.map(([doctype, field, op, value]) => {
    if (typeof doctype !== 'string' || typeof field !== 'string' || typeof op !== 'string') {
      throw ToolError.validation(`${where}: doctype, field and operator must be strings`);
    }
    let target = meta;
    if (doctype.toLowerCase() !== meta.name.toLowerCase()) {
      const child = [...meta.children.values()].find((c) => c.name.toLowerCase() === doctype.toLowerCase());
      if (!child) {
        throw ToolError.validation(
          `${where}: "${doctype}" is not ${meta.name} nor one of its child tables (${[...meta.children.keys()].join(', ') || 'none'})`,
        );
      }
      guard.assert(child.name);
      target = child;
    }
    if (!isColumn(target, field)) throw unknownField(target, field, where);
    const operator = op.trim().toLowerCase();
    if (!KNOWN.has(operator)) {
      throw ToolError.validation(
        `Filter on "${field}": unknown operator "${op}"`,
        `Known operators: ${OPERATORS.join(', ')}.`,
      );
    }
    checkValue(field, operator, value);
    return [target.name, field, operator, value];
  });
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks a `fields` projection: `*`, column names of the DocType, and `link_field.field` through
 * a Link field (the linked DocType must pass the guard and have the field). Functions, aliases,
 * backticks and child-table columns are refused.
 */
export async function checkFields(
  src: MetaSource,
  meta: DocTypeMeta,
  fields: readonly string[],
  signal?: AbortSignal,
): Promise<string[]> {
  const out: string[] = [];
  for (const entry of fields) {
    const spec = entry.trim();
    if (spec === '*') {
      out.push(spec);
      continue;
    }
    const parts = spec.split('.');
    if (parts.length > 2 || !parts.every((p) => FIELD_NAME.test(p))) {
      throw ToolError.validation(
        `fields: "${entry}" is not a field name`,
        'Use column names such as "customer_name", "*" for every column, or "link_field.field" through a Link field.',
      );
    }
    if (parts.length === 1) {
      if (!isColumn(meta, spec)) {
        const field = fieldOf(meta, spec);
        if (field && TABLE_TYPES.has(field.fieldtype)) {
          throw ToolError.validation(
            `fields: "${spec}" is a child table of ${meta.name}; lists show columns only`,
            'frappe_get_document returns a document with its child tables.',
          );
        }
        throw unknownField(meta, spec, 'fields');
      }
      out.push(spec);
      continue;
    }
    const [linkName, target] = parts as [string, string];
    const link = fieldOf(meta, linkName);
    if (!link || link.fieldtype !== 'Link' || !link.options) {
      throw ToolError.validation(
        `fields: "${entry}": "${linkName}" is not a Link field of ${meta.name}`,
        'Only a Link field can be followed with link_field.field.',
      );
    }
    src.guard.assert(link.options);
    const linked = await src.meta(link.options, signal);
    if (!isColumn(linked, target)) throw unknownField(linked, target, `fields (through ${linkName})`);
    out.push(spec);
  }
  return [...new Set(out)];
}

const ORDER = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?$/i;

/** Checks `order_by` ("field [asc|desc], ...") against the meta; returns it normalised. */
export function checkOrderBy(meta: DocTypeMeta, orderBy: string): string {
  return orderBy
    .split(',')
    .map((part) => {
      const match = ORDER.exec(part.trim());
      if (!match) {
        throw ToolError.validation(`order_by: "${part.trim()}" must be "field" or "field asc|desc"`);
      }
      const field = match[1]!;
      if (!isColumn(meta, field)) throw unknownField(meta, field, 'order_by');
      return `${field} ${(match[2] ?? 'asc').toLowerCase()}`;
    })
    .join(', ');
}
