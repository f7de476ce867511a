// Child tables through MCP against the fake Frappe, on both REST APIs: rows read and listed
// through their parent's permission, rows inserted and changed through their parent, and rows
// given inside a document checked against where they are put.
import { callTool } from '@org/mcp-core/testing';
import { startFakeFrappe, type FakeFrappe } from '../test/fake-frappe/index.js';
import { connectFrappe, type FrappeSession } from '../test/session.js';

type Doc = Record<string, unknown>;
type Rows = { data: Doc[]; count: number; truncated: boolean };

describe.each(['v1', 'v2'] as const)('child tables on the %s API', (api) => {
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
  const call = <T = Doc>(name: string, args: Record<string, unknown>, session = s) =>
    callTool<T>(session.client, name, args);
  const writes = () => fake.requests.filter((r) => r.method !== 'GET').length;
  const rowsOf = async (name: string) => {
    const r = await call<{ data: { items: Doc[] } }>('frappe_get_document', {
      doctype: 'Sales Invoice',
      name,
    });
    if (!r.ok) throw new Error(r.text);
    return r.data.data.items;
  };

  it('reads a child row directly as Frappe does: with its parent, parenttype and parentfield, through the parent permission', async () => {
    const [row] = await rowsOf('SINV-0002');
    const got = await call<{ data: Doc }>('frappe_get_document', {
      doctype: 'Sales Invoice Item',
      name: row!['name'],
    });
    expect(got).toMatchObject({
      ok: true,
      data: {
        data: {
          name: row!['name'],
          parent: 'SINV-0002',
          parenttype: 'Sales Invoice',
          parentfield: 'items',
          item_code: 'WIDGET',
        },
      },
    });
    // The clerk may read Globex's invoice, not Initech's: the parent decides.
    expect(
      await call('frappe_get_document', { doctype: 'Sales Invoice Item', name: row!['name'] }, clerk),
    ).toMatchObject({ ok: true });
    const [hidden] = await rowsOf('SINV-0003');
    expect(
      await call('frappe_get_document', { doctype: 'Sales Invoice Item', name: hidden!['name'] }, clerk),
    ).toMatchObject({ ok: false, error: { type: 'forbidden', status_code: 403 } });
    // A refused parent DocType keeps its rows out of the output too.
    const denied = await connectFrappe(fake, {
      FRAPPE_API_VERSION: api,
      FRAPPE_DOCTYPES_DENY: 'Sales Invoice',
    });
    const r = await call(
      'frappe_get_document',
      { doctype: 'Sales Invoice Item', name: row!['name'] },
      denied,
    );
    expect(r).toMatchObject({ ok: false, error: { type: 'forbidden' } });
    expect(r.text).not.toContain('WIDGET');
    await denied.close();
  });

  it('lists a child DocType only with parent, sent as frappe.client.get_list takes it, rows filtered by the parent permission', async () => {
    const before = fake.apiRequests().length;
    expect(await call('frappe_get_list', { doctype: 'Sales Invoice Item' })).toMatchObject({
      ok: false,
      error: { type: 'validation', error: expect.stringContaining('give parent') },
    });
    expect(fake.apiRequests().length).toBe(before + 1); // the child's meta, no list
    expect(
      await call('frappe_get_list', { doctype: 'Sales Invoice Item', parent: 'Customer' }),
    ).toMatchObject({
      ok: false,
      error: { type: 'validation', error: 'Customer has no child table of Sales Invoice Item' },
    });
    expect(await call('frappe_get_list', { doctype: 'ToDo', parent: 'Sales Invoice' })).toMatchObject({
      ok: false,
      error: { type: 'validation', error: expect.stringContaining('only for child DocTypes') },
    });
    const one = await call<Rows>('frappe_get_list', {
      doctype: 'Sales Invoice Item',
      parent: 'Sales Invoice',
      filters: { parent: 'SINV-0002' },
      order_by: 'idx asc',
    });
    expect(one).toMatchObject({ ok: true, data: { count: 2 } });
    if (one.ok) {
      expect(one.data.data.map((r) => [r['parent'], r['parentfield'], r['idx']])).toEqual([
        ['SINV-0002', 'items', 1],
        ['SINV-0002', 'items', 2],
      ]);
      expect(one.data.data[0]).toMatchObject({ item_code: 'WIDGET', qty: 3 });
    }
    const listed = fake.requests.at(-1)!;
    expect(decodeURIComponent(listed.url.pathname)).toBe('/api/resource/Sales Invoice Item');
    expect(listed.url.searchParams.get('parent')).toBe('Sales Invoice');
    const all = await call<Rows>('frappe_get_list', {
      doctype: 'Sales Invoice Item',
      parent: 'Sales Invoice',
      fields: ['parent'],
      limit: 100,
    });
    const mine = await call<Rows>(
      'frappe_get_list',
      { doctype: 'Sales Invoice Item', parent: 'Sales Invoice', fields: ['parent'], limit: 100 },
      clerk,
    );
    if (!all.ok || !mine.ok) throw new Error(all.text + mine.text);
    expect(new Set(all.data.data.map((r) => r['parent']))).toContain('SINV-0003');
    expect(mine.data.data.length).toBeGreaterThan(0);
    expect(mine.data.data.map((r) => r['parent'])).not.toContain('SINV-0003');
  });

  it('filters a parent on child-table fields, in filters and or_filters, checked against the child meta', async () => {
    const widget = await call<Rows>('frappe_get_list', {
      doctype: 'Sales Invoice',
      filters: [['Sales Invoice Item', 'qty', '>=', 4]],
      or_filters: [
        ['customer', '=', 'Initech'],
        ['Sales Invoice Item', 'qty', '=', 5],
      ],
      fields: ['name', 'customer'],
      order_by: 'name asc',
    });
    expect(widget).toMatchObject({
      ok: true,
      data: {
        data: [
          { name: 'SINV-0003', customer: 'Initech' },
          { name: 'SINV-0004', customer: 'ACME' },
        ],
      },
    });
    const before = fake.apiRequests().length;
    expect(
      await call('frappe_get_list', {
        doctype: 'Sales Invoice',
        or_filters: [['Sales Invoice Item', 'qtty', '=', 1]],
      }),
    ).toMatchObject({
      ok: false,
      error: {
        type: 'validation',
        error: expect.stringContaining('Unknown field "qtty" in or_filters for DocType Sales Invoice Item'),
        hint: expect.stringContaining('"qty"'),
      },
    });
    expect(
      await call('frappe_get_count', {
        doctype: 'Sales Invoice',
        or_filters: { customer: 'ACME', grand_totl: ['>', 1] },
      }),
    ).toMatchObject({
      ok: false,
      error: { type: 'validation', error: expect.stringContaining('grand_totl') },
    });
    expect(fake.apiRequests().length).toBe(before);
    expect(
      await call('frappe_get_count', {
        doctype: 'Sales Invoice',
        or_filters: { customer: 'ACME', grand_total: ['>', 60] },
      }),
    ).toMatchObject({ ok: true, data: { count: 3 } });
    expect(await call('frappe_get_count', { doctype: 'Sales Invoice Item' })).toMatchObject({
      ok: false,
      error: { type: 'validation', error: expect.stringContaining('is a child table') },
    });
  });

  it('inserts a lone row by appending it to its parent (frappe.client.insert), and checks where it goes first', async () => {
    const before = writes();
    for (const [data, message] of [
      [{ item_code: 'WIDGET', qty: 1 }, 'needs parenttype'],
      [{ parenttype: 'Customer', parent: 'ACME', item_code: 'WIDGET' }, 'Customer has no child table'],
      [
        { parenttype: 'Sales Invoice', parent: 'SINV-0004', parentfield: 'lines', item_code: 'WIDGET' },
        'data.parentfield "lines"',
      ],
      [{ parenttype: 'Sales Invoice', parent: 'SINV-0004', item: 'WIDGET' }, 'Unknown field "item"'],
    ] as const) {
      expect(await call('frappe_create_document', { doctype: 'Sales Invoice Item', data })).toMatchObject({
        ok: false,
        error: { type: 'validation', error: expect.stringContaining(message) },
      });
    }
    expect(writes()).toBe(before);
    const added = await call<{ data: Doc & { items: Doc[] } }>('frappe_create_document', {
      doctype: 'Sales Invoice Item',
      data: { parenttype: 'Sales Invoice', parent: 'SINV-0004', item_code: 'WIDGET', qty: 1, rate: 10 },
    });
    expect(added).toMatchObject({ ok: true, data: { data: { name: 'SINV-0004', grand_total: 85 } } });
    if (added.ok) expect(added.data.data.items.map((r) => r['idx'])).toEqual([1, 2, 3]);
    const sent = fake.requests.at(-1)!;
    expect(sent.url.pathname).toBe('/api/method/frappe.client.insert');
    expect(JSON.parse(sent.body).doc).toMatchObject({
      doctype: 'Sales Invoice Item',
      parenttype: 'Sales Invoice',
      parent: 'SINV-0004',
      parentfield: 'items',
    });
    // A submitted parent refuses a new row as Frappe does.
    expect(
      await call('frappe_create_document', {
        doctype: 'Sales Invoice Item',
        data: { parenttype: 'Sales Invoice', parent: 'SINV-0001', item_code: 'WIDGET', qty: 1 },
      }),
    ).toMatchObject({ ok: false, error: { type: 'conflict', status_code: 417 } });
  });

  it('changes one row through its parent (frappe.client.set_value); a row is never moved or deleted alone', async () => {
    const [row] = await rowsOf('SINV-0002');
    const changed = await call<{ data: Doc & { items: Doc[] } }>('frappe_update_document', {
      doctype: 'Sales Invoice Item',
      name: row!['name'],
      data: { qty: 7 },
    });
    expect(changed).toMatchObject({ ok: true, data: { data: { name: 'SINV-0002' } } });
    if (changed.ok) {
      expect(changed.data.data.items.find((r) => r['name'] === row!['name'])).toMatchObject({
        qty: 7,
        amount: 70,
      });
    }
    expect(fake.requests.at(-1)!.url.pathname).toBe('/api/method/frappe.client.set_value');
    const before = writes();
    expect(
      await call('frappe_update_document', {
        doctype: 'Sales Invoice Item',
        name: row!['name'],
        data: { parent: 'SINV-0004' },
      }),
    ).toMatchObject({
      ok: false,
      error: { type: 'validation', error: expect.stringContaining('cannot be moved') },
    });
    expect(
      await call('frappe_delete_document', { doctype: 'Sales Invoice Item', name: row!['name'] }),
    ).toMatchObject({
      ok: false,
      error: { type: 'validation', error: expect.stringContaining('child table') },
    });
    const [hidden] = await rowsOf('SINV-0003');
    expect(
      await call(
        'frappe_update_document',
        { doctype: 'Sales Invoice Item', name: hidden!['name'], data: { qty: 1 } },
        clerk,
      ),
    ).toMatchObject({ ok: false, error: { type: 'forbidden' } });
    expect(writes()).toBe(before);
  });

  it('rows given inside a document may carry parent, parenttype and parentfield only where they are put, and only their own names', async () => {
    const rows = await rowsOf('SINV-0004');
    const first = rows[0]!;
    const kept = await call<{ data: { items: Doc[] } }>('frappe_update_document', {
      doctype: 'Sales Invoice',
      name: 'SINV-0004',
      data: {
        items: [
          {
            name: first['name'],
            doctype: 'Sales Invoice Item',
            parent: 'SINV-0004',
            parenttype: 'Sales Invoice',
            parentfield: 'items',
            item_code: 'WIDGET',
            qty: 3,
            rate: 10,
          },
        ],
      },
    });
    expect(kept).toMatchObject({ ok: true });
    if (kept.ok)
      expect(kept.data.data.items).toEqual([expect.objectContaining({ name: first['name'], qty: 3 })]);
    const body = JSON.parse(fake.requests.at(-1)!.body) as { items: Doc[] };
    expect(body.items[0]).not.toHaveProperty('parent');
    const before = writes();
    const [other] = await rowsOf('SINV-0002');
    for (const [row, message] of [
      [{ parent: 'SINV-0002', item_code: 'WIDGET' }, 'the row belongs to Sales Invoice SINV-0004'],
      [{ parentfield: 'taxes', item_code: 'WIDGET' }, 'parentfield is "taxes"'],
      [{ doctype: 'ToDo', item_code: 'WIDGET' }, 'holds Sales Invoice Item rows'],
      [{ name: other!['name'], item_code: 'WIDGET' }, 'is not a row of Sales Invoice SINV-0004.items'],
    ] as const) {
      expect(
        await call('frappe_update_document', {
          doctype: 'Sales Invoice',
          name: 'SINV-0004',
          data: { items: [row] },
        }),
      ).toMatchObject({ ok: false, error: { type: 'validation', error: expect.stringContaining(message) } });
    }
    expect(writes()).toBe(before);
    // The row of the other invoice is untouched.
    expect((await rowsOf('SINV-0002')).map((r) => r['name'])).toContain(other!['name']);
    // A new document's rows: parenttype must be the DocType.
    expect(
      await call('frappe_create_document', {
        doctype: 'Sales Invoice',
        data: {
          customer: 'ACME',
          posting_date: '2024-04-01',
          items: [{ parenttype: 'Purchase Invoice', item_code: 'WIDGET', qty: 1 }],
        },
      }),
    ).toMatchObject({
      ok: false,
      error: { type: 'validation', error: expect.stringContaining('parenttype') },
    });
    expect(writes()).toBe(before);
  });
});
