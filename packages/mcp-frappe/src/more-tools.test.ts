// Meta, link search, submit/cancel, reports and methods through MCP against the fake Frappe.
import { callTool } from '@org/mcp-core/testing';
import { startFakeFrappe, TRACEBACK_MARKER, type FakeFrappe } from '../test/fake-frappe/index.js';
import { connectFrappe, type FrappeSession } from '../test/session.js';

let fake: FakeFrappe;
let s: FrappeSession;
let clerk: FrappeSession;
beforeAll(async () => {
  fake = await startFakeFrappe();
  s = await connectFrappe(fake, {
    FRAPPE_METHODS_ALLOW: 'myapp.api.*,frappe.client.get_list',
    FRAPPE_REPORT_WAIT: '2',
  });
  clerk = await connectFrappe(fake, {}, fake.users.clerk);
});
afterAll(async () => {
  await s?.close();
  await clerk?.close();
  await fake?.close();
});
const call = <T = Record<string, unknown>>(name: string, args: Record<string, unknown>, session = s) =>
  callTool<T>(session.client, name, args);
const count = (pred: (path: string) => boolean) =>
  fake.requests.filter((r) => pred(decodeURIComponent(r.url.pathname))).length;

describe('frappe_get_doctype_meta', () => {
  it('gives fields with types, mandatory flags, options and child tables, without layout or hidden fields', async () => {
    const r = await call<{
      fields: { fieldname: string; fieldtype: string; reqd?: boolean; options?: string }[];
      child_tables: { doctype: string; fields: { fieldname: string }[] }[];
      is_submittable: boolean;
    }>('frappe_get_doctype_meta', { doctype: 'Sales Invoice' });
    if (!r.ok) throw new Error(r.text);
    expect(r.data).toMatchObject({
      doctype: 'Sales Invoice',
      is_submittable: true,
      title_field: 'customer',
      naming: 'naming_series:',
      truncated: false,
    });
    expect(r.data.fields.find((f) => f.fieldname === 'customer')).toEqual({
      fieldname: 'customer',
      label: 'Customer',
      fieldtype: 'Link',
      options: 'Customer',
      reqd: true,
    });
    expect(r.data.fields.some((f) => f.fieldtype === 'Section Break' || f.fieldtype === 'Column Break')).toBe(
      false,
    );
    expect(r.data.child_tables).toEqual([
      {
        doctype: 'Sales Invoice Item',
        fields: expect.arrayContaining([expect.objectContaining({ fieldname: 'item_code', reqd: true })]),
      },
    ]);
    const customer = await call<{ fields: { fieldname: string }[] }>('frappe_get_doctype_meta', {
      doctype: 'Customer',
    });
    const hidden = await call<{ fields: { fieldname: string }[] }>('frappe_get_doctype_meta', {
      doctype: 'Customer',
      include_hidden: true,
    });
    expect(customer.ok && customer.data.fields.map((f) => f.fieldname)).not.toContain('internal_notes');
    expect(hidden.ok && hidden.data.fields.map((f) => f.fieldname)).toContain('internal_notes');
  });
});

describe('frappe_search_link', () => {
  it('finds link candidates the user may see, on the v15 and the v14 answer shapes', async () => {
    expect(await call('frappe_search_link', { doctype: 'Customer', txt: 'e' }, clerk)).toMatchObject({
      ok: true,
      data: {
        results: [
          { value: expect.stringMatching(/ACME|Globex/), description: expect.not.stringContaining('<b>') },
          {},
        ],
      },
    });
    const all = await call<{ results: { value: string }[] }>('frappe_search_link', {
      doctype: 'Customer',
      txt: 'i',
    });
    expect(all.ok && all.data.results.map((r) => r.value)).toEqual(['Initech']);
    fake.legacySearch = true;
    expect(await call('frappe_search_link', { doctype: 'Item', txt: 'widg' })).toMatchObject({
      ok: true,
      data: { results: [{ value: 'WIDGET' }] },
    });
    fake.legacySearch = false;
    expect(await call('frappe_search_link', { doctype: 'Item', filters: { colour: 'red' } })).toMatchObject({
      ok: false,
      error: { type: 'validation', error: expect.stringContaining('"colour"') },
    });
  });
});

describe('submit and cancel', () => {
  it('submits a draft, refuses a second submit without sending it, cancels, and refuses a second cancel', async () => {
    const created = await call<{ data: { name: string } }>('frappe_create_document', {
      doctype: 'Sales Invoice',
      data: {
        customer: 'ACME',
        posting_date: '2024-05-01',
        items: [{ item_code: 'WIDGET', qty: 1, rate: 10 }],
      },
    });
    if (!created.ok) throw new Error(created.text);
    const name = created.data.data.name;
    expect(await call('frappe_cancel_document', { doctype: 'Sales Invoice', name })).toMatchObject({
      ok: false,
      error: { type: 'conflict', error: expect.stringContaining('is a draft') },
    });
    expect(await call('frappe_submit_document', { doctype: 'Sales Invoice', name })).toMatchObject({
      ok: true,
      data: { name, docstatus: 1, state: 'submitted', status: 'Unpaid' },
    });
    const posts = count((p) => p.includes('frappe.client.submit'));
    expect(await call('frappe_submit_document', { doctype: 'Sales Invoice', name })).toMatchObject({
      ok: false,
      error: { type: 'conflict', error: `Sales Invoice ${name} is already submitted` },
    });
    expect(count((p) => p.includes('frappe.client.submit'))).toBe(posts);
    expect(await call('frappe_cancel_document', { doctype: 'Sales Invoice', name }, clerk)).toMatchObject({
      ok: false,
      error: { type: 'forbidden', status_code: 403 },
    });
    expect(await call('frappe_cancel_document', { doctype: 'Sales Invoice', name })).toMatchObject({
      ok: true,
      data: { docstatus: 2, state: 'cancelled' },
    });
    expect(await call('frappe_submit_document', { doctype: 'Sales Invoice', name })).toMatchObject({
      ok: false,
      error: { type: 'conflict', hint: expect.stringContaining('amended') },
    });
    expect(await call('frappe_submit_document', { doctype: 'Customer', name: 'ACME' })).toMatchObject({
      ok: false,
      error: {
        type: 'validation',
        error: 'Customer is not submittable: its documents have no submit or cancel',
      },
    });
  });

  it('sends the document as read, so a change made since is a conflict rather than a blind submit', async () => {
    const created = await call<{ data: { name: string } }>('frappe_create_document', {
      doctype: 'Sales Invoice',
      data: {
        customer: 'Globex',
        posting_date: '2024-05-02',
        items: [{ item_code: 'GADGET', qty: 1, rate: 25 }],
      },
    });
    if (!created.ok) throw new Error(created.text);
    const sentDoc = fake.requests.length;
    expect(
      await call('frappe_submit_document', { doctype: 'Sales Invoice', name: created.data.data.name }),
    ).toMatchObject({ ok: true });
    const submit = fake.requests.slice(sentDoc).find((r) => r.url.pathname.endsWith('frappe.client.submit'))!;
    expect(JSON.parse(submit.body)).toMatchObject({
      doc: { name: created.data.data.name, docstatus: 0, modified: expect.any(String) },
    });
  });
});

describe('frappe_run_report', () => {
  it('runs a script report with filters, rows keyed by column', async () => {
    const r = await call('frappe_run_report', {
      report_name: 'Sales Register Lite',
      filters: { customer: 'ACME' },
    });
    expect(r).toMatchObject({
      ok: true,
      data: {
        status: 'done',
        columns: [{ fieldname: 'invoice', fieldtype: 'Link', options: 'Sales Invoice' }, {}, {}],
        data: [{ invoice: 'SINV-0001', customer: 'ACME', grand_total: 45 }],
        total_rows: 1,
        truncated: false,
      },
    });
  });

  it('reads "Label:Type/Options" columns and list rows, and pages them with a cursor', async () => {
    const first = await call<{ data: Record<string, unknown>[]; next_cursor?: string; total_rows: number }>(
      'frappe_run_report',
      {
        report_name: 'Item Prices',
        limit: 20,
      },
    );
    if (!first.ok) throw new Error(first.text);
    expect(first.data.data[0]).toEqual({ item_code: 'GADGET', item_name: 'Gadget', rate: 25 });
    expect(first.data.total_rows).toBe(32);
    const second = await call<{ data: unknown[]; truncated: boolean }>('frappe_run_report', {
      report_name: 'Item Prices',
      limit: 20,
      cursor: first.data.next_cursor,
    });
    expect(second).toMatchObject({ ok: true, data: { truncated: false } });
    expect(second.ok && second.data.data).toHaveLength(12);
    expect(
      await call('frappe_run_report', {
        report_name: 'Item Prices',
        filters: { x: 1 },
        cursor: first.data.next_cursor,
      }),
    ).toMatchObject({
      ok: false,
      error: { type: 'validation' },
    });
  });

  it('starts a prepared report, waits for it, and returns its rows', async () => {
    const r = await call('frappe_run_report', { report_name: 'Stock Ledger Heavy', limit: 5 });
    expect(r).toMatchObject({
      ok: true,
      data: {
        status: 'done',
        prepared_report: expect.stringMatching(/^PR-/),
        total_rows: 32,
        truncated: true,
      },
    });
    expect(count((p) => p.endsWith('make_prepared_report'))).toBe(1);
  });

  it('answers "queued" with the prepared report id when it takes longer than FRAPPE_REPORT_WAIT, and resumes from it', async () => {
    const started = Date.now();
    const r = await call<{ prepared_report: string }>('frappe_run_report', { report_name: 'Never Ready' });
    expect(r).toMatchObject({
      ok: true,
      data: { status: 'queued', prepared_report: expect.stringMatching(/^PR-/), data: [] },
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    if (!r.ok) return;
    fake.site.prepared.get(r.data.prepared_report)!.status = 'Completed';
    expect(
      await call('frappe_run_report', {
        report_name: 'Never Ready',
        prepared_report: r.data.prepared_report,
      }),
    ).toMatchObject({
      ok: true,
      data: { status: 'done', total_rows: 32 },
    });
  });

  it('a failed prepared report is an error without its traceback', async () => {
    const r = await call('frappe_run_report', { report_name: 'Broken Prepared' });
    expect(r).toMatchObject({
      ok: false,
      error: {
        type: 'http_error',
        error: expect.stringMatching(/^Frappe: the prepared report PR-\d+ failed$/),
      },
    });
    expect(r.text).not.toContain(TRACEBACK_MARKER);
  });

  it('refuses Report Builder reports, reports on refused DocTypes, unknown reports and missing permission', async () => {
    expect(await call('frappe_run_report', { report_name: 'Customer Overview' })).toMatchObject({
      ok: false,
      error: { type: 'validation', hint: expect.stringContaining('frappe_get_list') },
    });
    const runs = count((p) => p.endsWith('query_report.run'));
    expect(await call('frappe_run_report', { report_name: 'User Audit' })).toMatchObject({
      ok: false,
      error: { type: 'forbidden' },
    });
    expect(count((p) => p.endsWith('query_report.run'))).toBe(runs);
    expect(await call('frappe_run_report', { report_name: 'No Such Report' })).toMatchObject({
      ok: false,
      error: { type: 'not_found' },
    });
    expect(await call('frappe_run_report', { report_name: 'Item Prices' }, clerk)).toMatchObject({
      ok: true,
    });
  });
});

describe('frappe_call_method', () => {
  it('calls only methods in FRAPPE_METHODS_ALLOW, and sends nothing for any other', async () => {
    expect(await call('frappe_call_method', { method: 'myapp.api.ping', args: { a: 1 } })).toMatchObject({
      ok: true,
      data: { method: 'myapp.api.ping', result: { pong: true, args: { a: 1 } }, truncated: false },
    });
    const before = fake.requests.length;
    expect(
      await call('frappe_call_method', {
        method: 'frappe.client.delete',
        args: { doctype: 'ToDo', name: 'x' },
      }),
    ).toMatchObject({
      ok: false,
      error: { type: 'forbidden', error: 'Method "frappe.client.delete" is not in FRAPPE_METHODS_ALLOW' },
    });
    expect(
      await call('frappe_call_method', { method: 'frappe.client.get_list', args: { doctype: 'User' } }),
    ).toMatchObject({
      ok: false,
      error: { type: 'forbidden', error: expect.stringContaining('DocType "User" is refused') },
    });
    expect(await call('frappe_call_method', { method: '../api/resource/User' })).toMatchObject({
      ok: false,
      error: { type: 'validation' },
    });
    expect(fake.requests.length).toBe(before);
    expect(await call('frappe_call_method', { method: 'myapp.api.not_whitelisted' })).toMatchObject({
      ok: false,
      error: { type: 'forbidden', status_code: 403 },
    });
    const none = await call('frappe_call_method', { method: 'myapp.api.ping' }, clerk);
    expect(none).toMatchObject({
      ok: false,
      error: { type: 'forbidden', hint: expect.stringContaining('No method is allowed') },
    });
  });

  it('cuts a result larger than the output budget', async () => {
    const r = await call<{ result: string; truncated: boolean }>('frappe_call_method', {
      method: 'myapp.api.big',
    });
    expect(r).toMatchObject({ ok: true, data: { truncated: true } });
    expect(r.ok && r.data.result.length).toBeLessThan(20_000);
  });
});
