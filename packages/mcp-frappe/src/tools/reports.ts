import {
  decodeCursor,
  encodeCursor,
  fitToBudget,
  jsonish,
  pageInfoShape,
  sleep,
  ToolError,
  z,
  type ToolContext,
} from '@org/mcp-core';
import type { Deps } from '../deps.js';
import { plainText } from '../frappe/errors.js';
import { cleanRow, fingerprint, Row } from './shared.js';
import { tool } from './tool.js';

interface Column {
  fieldname: string;
  label?: string;
  fieldtype?: string;
  options?: string;
}

interface RunResult {
  result?: unknown[];
  columns?: unknown[];
  message?: unknown;
  report_summary?: unknown;
  prepared_report?: boolean;
  doc?: { name?: string; status?: string } | null;
}

const scrub = (text: string) =>
  text
    .trim()
    .replace(/[\s-]+/g, '_')
    .toLowerCase();

/** Columns as Frappe sends them: objects, or "Label:Fieldtype/Options:Width" strings. */
export function readColumns(columns: readonly unknown[]): Column[] {
  return columns.map((c, i) => {
    if (typeof c === 'string') {
      const [label = `column_${i}`, type = ''] = c.split(':');
      const [fieldtype, options] = type.split('/');
      return {
        fieldname: scrub(label) || `column_${i}`,
        label,
        ...(fieldtype ? { fieldtype } : {}),
        ...(options ? { options } : {}),
      };
    }
    const o = (c ?? {}) as Record<string, unknown>;
    const label = typeof o['label'] === 'string' ? plainText(o['label']) : undefined;
    const fieldname =
      typeof o['fieldname'] === 'string' && o['fieldname']
        ? o['fieldname']
        : label
          ? scrub(label)
          : `column_${i}`;
    return {
      fieldname,
      ...(label ? { label } : {}),
      ...(typeof o['fieldtype'] === 'string' ? { fieldtype: o['fieldtype'] } : {}),
      ...(typeof o['options'] === 'string' && o['options'] ? { options: o['options'] } : {}),
    };
  });
}

/** Rows as objects keyed by column fieldname (list rows are zipped with the columns). */
export function readRows(rows: readonly unknown[], columns: readonly Column[]): Record<string, unknown>[] {
  return rows
    .filter((r) => r !== null && typeof r === 'object')
    .map((r) =>
      Array.isArray(r)
        ? Object.fromEntries(columns.map((c, i) => [c.fieldname, r[i]]))
        : cleanRow(r as Record<string, unknown>),
    );
}

async function reportInfo(ctx: ToolContext<Deps>, report: string) {
  const info = await ctx.deps.frappe.method<Record<string, unknown> | null>(
    'frappe.client.get_value',
    {
      doctype: 'Report',
      filters: report,
      fieldname: ['ref_doctype', 'report_type', 'prepared_report', 'disabled'],
    },
    { signal: ctx.signal },
  );
  if (!info || typeof info !== 'object') throw ToolError.notFound(`Frappe: no report named "${report}"`);
  return info;
}

function runReport(ctx: ToolContext<Deps>, report: string, filters: Record<string, unknown>) {
  return ctx.deps.frappe.method<RunResult>(
    'frappe.desk.query_report.run',
    { report_name: report, filters },
    { signal: ctx.signal },
  );
}

/** Starts a prepared report (v15+ make_prepared_report, else v14's background_enqueue_run). */
async function enqueue(
  ctx: ToolContext<Deps>,
  report: string,
  filters: Record<string, unknown>,
): Promise<string> {
  const args = { report_name: report, filters };
  let started: { name?: string } | undefined;
  try {
    started = await ctx.deps.frappe.method(
      'frappe.core.doctype.prepared_report.prepared_report.make_prepared_report',
      args,
      {
        http: 'POST',
        signal: ctx.signal,
      },
    );
  } catch (error) {
    if (!(error instanceof ToolError && error.type === 'not_found')) throw error;
    started = await ctx.deps.frappe.method('frappe.desk.query_report.background_enqueue_run', args, {
      http: 'POST',
      signal: ctx.signal,
    });
  }
  if (!started?.name) throw new ToolError('http_error', 'Frappe: the prepared report was not queued');
  return started.name;
}

/** Waits for a prepared report until it completes, fails or `deadline` passes; returns its status. */
async function waitFor(ctx: ToolContext<Deps>, name: string, deadline: number): Promise<string> {
  for (;;) {
    const body = await ctx.deps.frappe.request<{ data?: { status?: string; error_message?: string } }>({
      method: 'GET',
      path: `/api/resource/${encodeURIComponent('Prepared Report')}/${encodeURIComponent(name)}`,
      signal: ctx.signal,
    });
    const status = body?.data?.status ?? 'Queued';
    if (status === 'Error' || status === 'Failed') {
      const said = body?.data?.error_message ?? '';
      const line = /Traceback|File "/.test(said) ? '' : plainText(said).slice(0, 300);
      throw new ToolError(
        'http_error',
        `Frappe: the prepared report ${name} failed${line ? `: ${line}` : ''}`,
        {
          retryable: false,
          hint: 'The error is logged on the site (Prepared Report and Error Log).',
        },
      );
    }
    if (status === 'Completed' || Date.now() + ctx.deps.frappe.pollMs > deadline) return status;
    await sleep(ctx.deps.frappe.pollMs, ctx.signal);
  }
}

const ReportCursor = z.object({ o: z.number().int().min(0), q: z.string(), p: z.string().optional() });

export const runQueryReport = tool({
  name: 'frappe_run_report',
  toolset: 'reports',
  title: 'Run report',
  description:
    'Runs a query or script report (e.g. "General Ledger", "Accounts Receivable") with filters and returns its columns and rows, `limit` rows at a time (default 100, at most 500) with next_cursor. The report\'s DocType must pass the server\'s DocType guard and Frappe checks report permission. A prepared (background) report is started and waited for up to FRAPPE_REPORT_WAIT seconds; if not done by then the answer has status "queued" and prepared_report: pass that back to fetch the result later.',
  input: z.object({
    report_name: z.string().trim().min(1).max(140).describe("The report's name as in the Report list"),
    filters: jsonish(z.record(z.string(), z.unknown()))
      .default({})
      .describe(
        'Report filters, e.g. {"company": "ACME", "from_date": "2024-01-01", "to_date": "2024-03-31"}',
      ),
    limit: z.number().int().min(1).max(500).default(100).describe('Rows per page (default 100, max 500)'),
    cursor: z
      .string()
      .max(500)
      .optional()
      .describe('next_cursor of the previous page of the same report and filters'),
    prepared_report: z
      .string()
      .max(140)
      .optional()
      .describe('The prepared_report id an earlier call answered with status "queued"'),
  }),
  output: z.object({
    report: z.string(),
    status: z
      .enum(['done', 'queued'])
      .describe('"queued": a prepared report is still running; call again with prepared_report'),
    prepared_report: z.string().optional(),
    columns: z.array(
      z.object({
        fieldname: z.string(),
        label: z.string().optional(),
        fieldtype: z.string().optional(),
        options: z.string().optional(),
      }),
    ),
    data: z.array(Row).describe('The rows of this page, keyed by column fieldname'),
    total_rows: z.number().int().describe('Rows the report returned in all'),
    message: z.string().optional().describe("The report's own note, if any"),
    ...pageInfoShape,
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const report = input.report_name;
    const info = await reportInfo(ctx, report);
    const refDoctype = typeof info['ref_doctype'] === 'string' ? info['ref_doctype'] : undefined;
    if (refDoctype) ctx.deps.frappe.guard.assert(refDoctype);
    if (info['report_type'] === 'Report Builder') {
      throw ToolError.validation(
        `"${report}" is a Report Builder report (a saved list view)`,
        `List ${refDoctype ?? 'its DocType'} with frappe_get_list and the same filters instead.`,
      );
    }
    const q = fingerprint([report, input.filters]);
    let offset = 0;
    let prepared = input.prepared_report;
    if (input.cursor) {
      const c = decodeCursor(input.cursor, ReportCursor);
      if (c.q !== q) throw ToolError.validation('This cursor belongs to another report or other filters');
      offset = c.o;
      prepared ??= c.p;
    }
    const deadline = Date.now() + ctx.deps.config.FRAPPE_REPORT_WAIT * 1000;
    const queued = (name: string) => ({
      report,
      status: 'queued' as const,
      prepared_report: name,
      columns: [],
      data: [],
      total_rows: 0,
      truncated: false,
    });
    if (prepared && (await waitFor(ctx, prepared, deadline)) !== 'Completed') return queued(prepared);
    const withName = (name: string) => ({ ...input.filters, prepared_report_name: name });
    let result = await runReport(ctx, report, prepared ? withName(prepared) : input.filters);
    if (result?.prepared_report && !Array.isArray(result.result)) {
      if (prepared)
        throw new ToolError('http_error', `Frappe: the prepared report ${prepared} has no result`);
      prepared = await enqueue(ctx, report, input.filters);
      if ((await waitFor(ctx, prepared, deadline)) !== 'Completed') return queued(prepared);
      result = await runReport(ctx, report, withName(prepared));
    }
    const columns = readColumns(Array.isArray(result?.columns) ? result.columns : []);
    const rows = readRows(Array.isArray(result?.result) ? result.result : [], columns);
    const window = rows.slice(offset, offset + input.limit);
    const budget = ctx.outputBudget - JSON.stringify(columns).length - 400;
    const fit = window.length === 0 ? 0 : fitToBudget(window, Math.max(budget, 500));
    const next = offset + fit;
    const more = next < rows.length;
    const message = typeof result?.message === 'string' ? plainText(result.message).slice(0, 500) : '';
    return {
      report,
      status: 'done' as const,
      ...(prepared ? { prepared_report: prepared } : {}),
      columns,
      data: window.slice(0, fit),
      total_rows: rows.length,
      ...(message ? { message } : {}),
      truncated: more,
      ...(more ? { next_cursor: encodeCursor({ o: next, q, ...(prepared ? { p: prepared } : {}) }) } : {}),
    };
  },
});
