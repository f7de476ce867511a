import { ToolError, z } from '@org/mcp-core';

/** An issue key such as ENG-42 (upper-cased on input). */
export const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-[1-9]\d*$/;
/** A project key such as ENG. */
export const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,254}$/;

/** Schema of an issue key or numeric id; a path-like or otherwise malformed value never reaches a URL. */
export const issueKeyField = (what = 'Issue key') =>
  z
    .string()
    .trim()
    .toUpperCase()
    .regex(
      /^([A-Z][A-Z0-9_]*-[1-9]\d*|\d{1,18})$/,
      'must be an issue key such as ENG-42 or a numeric issue id',
    )
    .describe(`${what}, e.g. ENG-42 (or the numeric issue id)`);

/** Schema of a project key. */
export const projectKeyField = (what = 'Project key') =>
  z
    .string()
    .trim()
    .toUpperCase()
    .regex(PROJECT_KEY, 'must be a project key such as ENG')
    .describe(`${what}, e.g. ENG`);

/** Schema of a numeric id (board, sprint, comment, worklog, attachment, issue type): digits only. */
export const numericId = (what: string) =>
  z
    .union([
      z.number().int().positive(),
      z
        .string()
        .trim()
        .regex(/^\d{1,18}$/, `${what} must be a number`),
    ])
    .transform((v) => String(v))
    .describe(what);

/** A path segment, encoded: validated values stay the same, anything else cannot change the path. */
export const seg = (value: string): string => encodeURIComponent(value);

/** The project key part of an issue key, or undefined for a numeric id. */
export function projectOfKey(keyOrId: string): string | undefined {
  const m = /^([A-Z][A-Z0-9_]*)-\d+$/.exec(keyOrId);
  return m?.[1];
}

/** A JQL string literal: quoted, with backslashes and quotes escaped. */
export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, ' ')}"`;
}

const FUNCTIONS = new Set(['currentuser()', 'empty', 'null']);

/** A JQL value: allow-listed functions (currentUser(), EMPTY) as is, anything else as a string literal. */
export function jqlValue(value: string): string {
  return FUNCTIONS.has(value.trim().toLowerCase()) ? value.trim() : jqlString(value);
}

/**
 * Splits JQL into its condition and its ORDER BY clause, outside quotes. Throws a validation error
 * for unbalanced quotes or parentheses, which could otherwise escape the confinement parentheses.
 */
export function splitJql(jql: string): { where: string; orderBy: string } {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < jql.length; i++) {
    const c = jql[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth < 0) throw ToolError.validation('The JQL has an unmatched ")"');
    } else if (depth === 0 && /^order\s+by\b/i.test(jql.slice(i)) && (i === 0 || /\s/.test(jql[i - 1]!))) {
      return { where: jql.slice(0, i).trim(), orderBy: jql.slice(i).trim() };
    }
  }
  if (quote) throw ToolError.validation('The JQL has an unterminated quoted string');
  if (depth !== 0) throw ToolError.validation('The JQL has an unmatched "("');
  return { where: jql.trim(), orderBy: '' };
}
