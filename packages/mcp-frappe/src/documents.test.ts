// The document tools through MCP against the fake Frappe, on both REST APIs.
import { callTool } from '@org/mcp-core/testing';
import { startFakeFrappe, TRACEBACK_MARKER, type FakeFrappe } from '../test/fake-frappe/index.js';
import { connectFrappe, type FrappeSession } from '../test/session.js';

type Rows = { data: Record<string, unknown>[]; count: number; truncated: boolean; next_cursor?: string };

describe.each(['v1', 'v2'] as const)('document tools on the %s API', (api) => {
  let fake: FakeFrappe;
  let s: FrappeSession;
  let clerk: FrappeSession;
  beforeAll(async () => {
    fake = await startFakeFrappe();
    s = await connectFrappe(fake, { FRAPPE_API_VERSION: api });
    clerk = await connectFrappe(fake, { FRAPPE_API_VERSION: api }, fake.users.clerk);
  });
  afterAll(async () => {
    await s?.close();
    await clerk?.close();
    await fake?.close();
  });
  const call = <T = Record<string, unknown>>(name: string, args: Record<string, unknown>, session = s) =>
    callTool<T>(session.client, name, args);
  const sent = (pred: (path: string, method: string) => boolean) =>
    fake.requests.filter((r) => pred(decodeURIComponent(r.url.pathname), r.method));

  it('frappe_get_document URL-encodes the DocType and name, and leaves out nulls and child-row noise', async () => {
    const todo = await call<{ data: Record<string, unknown> }>('frappe_get_document', {
      doctype: 'ToDo',
      name: 'A/B?C#D %E',
    });
    expect(todo).toMatchObject({
      ok: true,
      data: { data: { name: 'A/B?C#D %E', description: 'A name full of URL delimiters' } },
    });
    expect(fake.requests.at(-1)!.path).toContain('/ToDo/A%2FB%3FC%23D%20%25E');
    const inv = await call<{ data: { items: Record<string, unknown>[]; amended_from?: unknown } }>(
      'frappe_get_document',
      {
        doctype: 'Sales Invoice',
        name: 'SINV-0001',
      },
    );
    if (!inv.ok) throw new Error(inv.text);
    expect(inv.data.data.items).toHaveLength(2);
    expect(inv.data.data.items[0]).toHaveProperty('name');
    expect(inv.data.data.items[0]).not.toHaveProperty('parenttype');
    expect(inv.data.data).not.toHaveProperty('amended_from');
    expect(await call('frappe_get_document', { doctype: 'Customer', name: 'Nobody' })).toMatchObject({
      ok: false,
      error: { type: 'not_found', status_code: 404, error: 'Frappe: Customer Nobody not found' },
    });
    expect(await call('frappe_get_document', { doctype: 'ToDo', name: '..' })).toMatchObject({
      ok: false,
      error: { type: 'validation' },
    });
  });

  it('frappe_get_list pages with limit and next_cursor, never asking Frappe for "every row"', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call<Rows>('frappe_get_list', {
        doctype: 'Item',
        limit: 7,
        order_by: 'name asc',
        ...(cursor ? { cursor } : {}),
      });
      if (!page.ok) throw new Error(page.text);
      seen.push(...page.data.data.map((r) => String(r['name'])));
      cursor = page.data.next_cursor;
      expect(page.data.truncated).toBe(cursor !== undefined);
    } while (cursor);
    expect(seen).toHaveLength(32);
    expect(new Set(seen).size).toBe(32);
    const lists = sent((p, m) => m === 'GET' && /^\/api\/(resource|v2\/document)\/Item$/.test(p));
    expect(lists.length).toBe(5);
    for (const r of lists) {
      expect(r.url.searchParams.get('limit_page_length')).not.toBe('0');
      expect(r.url.searchParams.get('limit')).not.toBe('0');
    }
    expect(await call('frappe_get_list', { doctype: 'Item', limit: 0 })).toMatchObject({
      ok: false,
      error: { type: 'validation', error: expect.stringContaining('0 does not mean every row') },
    });
    expect(await call('frappe_get_list', { doctype: 'Item', limit: 101 })).toMatchObject({
      ok: false,
      error: { type: 'validation' },
    });
  });

  it('frappe_get_list returns lean fields by default, a projection when asked, and Link fields followed', async () => {
    const lean = await call<Rows>('frappe_get_list', { doctype: 'Sales Invoice', order_by: 'name asc' });
    if (!lean.ok) throw new Error(lean.text);
    expect(Object.keys(lean.data.data[0]!).sort()).toEqual([
      'customer',
      'docstatus',
      'grand_total',
      'modified',
      'name',
      'status',
    ]);
    // The original took fields and filters as JSON strings: still accepted.
    const picked = await call<Rows>('frappe_get_list', {
      doctype: 'Sales Invoice',
      fields: '["name", "customer.customer_group"]',
      filters: '{"customer": "ACME"}',
      order_by: 'name asc',
    });
    expect(picked).toMatchObject({
      ok: true,
      data: {
        data: [{ name: 'SINV-0001', 'customer.customer_group': 'Commercial' }, { name: 'SINV-0004' }],
        truncated: false,
      },
    });
    const byChild = await call<Rows>('frappe_get_list', {
      doctype: 'Sales Invoice',
      filters: [['Sales Invoice Item', 'qty', '>=', 4]],
      fields: ['name'],
      order_by: 'name asc',
    });
    expect(byChild).toMatchObject({
      ok: true,
      data: { data: [{ name: 'SINV-0003' }, { name: 'SINV-0004' }] },
    });
  });

  it('a bad filter, field or order is a validation error naming the field, and no list request is sent', async () => {
    const before = sent((p) => /^\/api\/(resource|v2\/document)\/Sales Invoice$/.test(p)).length;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ filters: { custmer: 'ACME' } }, /Unknown field "custmer" in filters for DocType Sales Invoice/],
      [{ filters: [['customer', 'equals', 'ACME']] }, /unknown operator "equals"/],
      [
        { filters: [['posting_date', 'between', '2024-01-01']] },
        /"posting_date": operator "between" needs a list of two values/,
      ],
      [
        { filters: [['Customer', 'territory', '=', 'x']] },
        /"Customer" is not Sales Invoice nor one of its child tables/,
      ],
      [{ fields: ['grand_totl'] }, /Unknown field "grand_totl" in fields/],
      [{ fields: ['items'] }, /child table/],
      [{ fields: ['count(name)'] }, /is not a field name/],
      [{ fields: ['posting_date.year'] }, /not a Link field/],
      [{ order_by: 'modified; drop table' }, /order_by/],
      [{ order_by: 'postng_date desc' }, /Unknown field "postng_date" in order_by/],
    ];
    for (const [args, message] of cases) {
      const r = await call('frappe_get_list', { doctype: 'Sales Invoice', ...args });
      expect(r).toMatchObject({ ok: false, error: { type: 'validation' } });
      if (!r.ok) expect(r.error.error).toMatch(message);
    }
    const typo = await call('frappe_get_list', { doctype: 'Sales Invoice', filters: { custmer: 'ACME' } });
    if (!typo.ok) expect(typo.error.hint).toContain('"customer"');
    expect(sent((p) => /^\/api\/(resource|v2\/document)\/Sales Invoice$/.test(p)).length).toBe(before);
  });

  it('lists and counts show only what the user may see (user permissions hold)', async () => {
    const customers = await call<Rows>('frappe_get_list', { doctype: 'Customer', limit: 100 }, clerk);
    if (!customers.ok) throw new Error(customers.text);
    expect(customers.data.data.map((r) => r['name']).sort()).toEqual(['ACME', 'Globex']);
    expect(await call('frappe_get_count', { doctype: 'Customer' }, clerk)).toMatchObject({
      ok: true,
      data: { count: 2 },
    });
    expect(await call('frappe_get_count', { doctype: 'Sales Invoice' }, clerk)).toMatchObject({
      ok: true,
      data: { count: 3 },
    });
    expect(
      await call('frappe_get_count', { doctype: 'Sales Invoice', filters: { docstatus: 1 } }),
    ).toMatchObject({
      ok: true,
      data: { count: 2 },
    });
    expect(sent((p) => p.includes('frappe.client.get_count'))).toHaveLength(0);
    expect(await call('frappe_get_document', { doctype: 'Customer', name: 'Initech' }, clerk)).toMatchObject({
      ok: false,
      error: { type: 'forbidden', status_code: 403 },
    });
  });

  it('frappe_create_document saves a document; Frappe validation errors come back readable, without tracebacks', async () => {
    const created = await call<{ data: Record<string, unknown> }>('frappe_create_document', {
      doctype: 'Sales Invoice',
      data: '{"customer": "Globex", "posting_date": "2024-04-01", "items": [{"item_code": "WIDGET", "qty": 1, "rate": 10}]}',
    });
    expect(created).toMatchObject({
      ok: true,
      data: { data: { customer: 'Globex', docstatus: 0, grand_total: 10, status: 'Draft' } },
    });
    const mandatory = await call('frappe_create_document', {
      doctype: 'Customer',
      data: { customer_group: 'Commercial' },
    });
    expect(mandatory).toMatchObject({
      ok: false,
      error: {
        type: 'validation',
        status_code: 417,
        error: 'Frappe: Error: Value missing for Customer: Customer Name',
      },
    });
    const link = await call('frappe_create_document', {
      doctype: 'Customer',
      data: { customer_name: 'Hooli', customer_group: 'Nope' },
    });
    expect(link).toMatchObject({
      ok: false,
      error: { type: 'validation', error: 'Frappe: Could not find Customer Group: Nope' },
    });
    const dup = await call('frappe_create_document', {
      doctype: 'Customer',
      data: { customer_name: 'ACME' },
    });
    expect(dup).toMatchObject({
      ok: false,
      error: { type: 'conflict', status_code: 409, error: 'Frappe: Customer ACME already exists' },
    });
    for (const r of [mandatory, link, dup]) {
      expect(r.text).not.toContain(TRACEBACK_MARKER);
      expect(r.text).not.toContain('Traceback');
    }
  });

  it('create and update check field names and refuse docstatus before sending anything', async () => {
    const before = fake.requests.filter((r) => r.method !== 'GET').length;
    expect(
      await call('frappe_create_document', { doctype: 'Customer', data: { customer_nam: 'X' } }),
    ).toMatchObject({
      ok: false,
      error: { type: 'validation', error: 'Unknown field "customer_nam" in data for DocType Customer' },
    });
    expect(
      await call('frappe_create_document', {
        doctype: 'Sales Invoice',
        data: { customer: 'ACME', items: [{ item: 'WIDGET' }] },
      }),
    ).toMatchObject({
      ok: false,
      error: { error: 'Unknown field "item" in data.items[0] (child DocType Sales Invoice Item)' },
    });
    expect(
      await call('frappe_update_document', {
        doctype: 'Sales Invoice',
        name: 'SINV-0002',
        data: { docstatus: 1 },
      }),
    ).toMatchObject({
      ok: false,
      error: { type: 'validation', hint: expect.stringContaining('frappe_submit_document') },
    });
    expect(await call('frappe_create_document', { doctype: 'Customer', data: '[1, 2]' })).toMatchObject({
      ok: false,
      error: { type: 'validation' },
    });
    expect(fake.requests.filter((r) => r.method !== 'GET').length).toBe(before);
  });

  it('frappe_update_document changes fields and replaces child tables; stale and after-submit edits are conflicts', async () => {
    const updated = await call<{ data: Record<string, unknown> & { items: unknown[] } }>(
      'frappe_update_document',
      {
        doctype: 'Sales Invoice',
        name: 'SINV-0002',
        data: { remarks: 'Rush', items: [{ item_code: 'GADGET', qty: 2, rate: 25 }] },
      },
    );
    expect(updated).toMatchObject({ ok: true, data: { data: { remarks: 'Rush', grand_total: 50 } } });
    if (updated.ok) expect(updated.data.data.items).toHaveLength(1);
    const stale = await call('frappe_update_document', {
      doctype: 'Sales Invoice',
      name: 'SINV-0002',
      data: { remarks: 'Late', modified: '2000-01-01 00:00:00' },
    });
    expect(stale).toMatchObject({
      ok: false,
      error: { type: 'conflict', error: expect.stringContaining('modified after you have opened it') },
    });
    const submitted = await call('frappe_update_document', {
      doctype: 'Sales Invoice',
      name: 'SINV-0001',
      data: { customer: 'Globex' },
    });
    expect(submitted).toMatchObject({
      ok: false,
      error: {
        type: 'conflict',
        error: 'Frappe: Not allowed to change Customer after submission from ACME to Globex',
      },
    });
  });

  it('frappe_delete_document deletes (202) and explains what cannot be deleted', async () => {
    await call('frappe_create_document', {
      doctype: 'ToDo',
      data: { name: `gone-${api}`, description: 'temp' },
    });
    expect(await call('frappe_delete_document', { doctype: 'ToDo', name: `gone-${api}` })).toEqual({
      ok: true,
      data: { success: true, message: `Deleted ToDo/gone-${api}` },
      text: expect.any(String),
    });
    expect(fake.site.table('ToDo').has(`gone-${api}`)).toBe(false);
    expect(
      await call('frappe_delete_document', { doctype: 'Sales Invoice', name: 'SINV-0001' }),
    ).toMatchObject({
      ok: false,
      error: {
        type: 'validation',
        error: 'Frappe: Submitted Record cannot be deleted. You must Cancel it first.',
      },
    });
    expect(await call('frappe_delete_document', { doctype: 'Customer', name: 'Globex' })).toMatchObject({
      ok: false,
      error: { type: 'conflict', error: expect.stringContaining('is linked with Sales Invoice') },
    });
    expect(await call('frappe_delete_document', { doctype: 'ToDo', name: 'TODO-1' }, clerk)).toMatchObject({
      ok: true,
    });
  });
});
