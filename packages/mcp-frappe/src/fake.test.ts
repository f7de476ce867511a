// The fake answers as Frappe does, so the server's tests mean something.
import { startFakeFrappe, TRACEBACK_MARKER, type FakeFrappe } from '../test/fake-frappe/index.js';

let fake: FakeFrappe;
beforeAll(async () => {
  fake = await startFakeFrappe();
});
afterAll(() => fake?.close());

const get = async (path: string, user = fake.users.admin, init: RequestInit = {}) => {
  const res = await fetch(`${fake.url}${path}`, {
    ...init,
    headers: {
      authorization: `token ${user.key}:${user.secret}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('the fake Frappe', () => {
  it('lists 20 rows by default and every row with limit_page_length=0', async () => {
    expect(((await get('/api/resource/Item')).body['data'] as unknown[]).length).toBe(20);
    expect(((await get('/api/resource/Item?limit_page_length=0')).body['data'] as unknown[]).length).toBe(32);
  });

  it('filters lists by user permission, while frappe.client.get_count ignores them', async () => {
    const clerk = fake.users.clerk;
    const list = await get('/api/resource/Customer?limit_page_length=0', clerk);
    expect((list.body['data'] as { name: string }[]).map((r) => r.name).sort()).toEqual(['ACME', 'Globex']);
    expect((await get('/api/method/frappe.client.get_count?doctype=Customer', clerk)).body['message']).toBe(
      3,
    );
    expect(
      (await get('/api/method/frappe.desk.reportview.get_count?doctype=Customer', clerk)).body['message'],
    ).toBe(2);
    expect((await get('/api/resource/Customer/Initech', clerk)).status).toBe(403);
  });

  it('answers errors with Frappe bodies: exc_type, _server_messages in JSON-in-JSON, exc tracebacks', async () => {
    const missing = await get('/api/resource/Customer', fake.users.admin, {
      method: 'POST',
      body: JSON.stringify({}),
    });
    expect(missing.status).toBe(417);
    expect(missing.body['exc_type']).toBe('MandatoryError');
    const messages = JSON.parse(missing.body['_server_messages'] as string) as string[];
    expect(JSON.parse(messages[0]!)).toMatchObject({
      message: 'Error: Value missing for Customer: Customer Name',
    });
    expect(missing.body['exc']).toContain(TRACEBACK_MARKER);
    expect((await get('/api/resource/Customer/Nobody')).status).toBe(404);
    expect(
      (
        await get('/api/resource/Customer', fake.users.admin, {
          method: 'POST',
          body: '{"customer_name":"ACME"}',
        })
      ).status,
    ).toBe(409);
    expect((await get('/api/resource/User', fake.users.clerk)).status).toBe(403);
    expect((await get('/api/resource/Item', { ...fake.users.admin, secret: 'wrong' })).status).toBe(401);
  });

  it('deletes with 202 "ok", and serves /api/v2 only when enabled', async () => {
    await get('/api/resource/ToDo', fake.users.admin, {
      method: 'POST',
      body: '{"name":"T-del","description":"x"}',
    });
    expect(await get('/api/resource/ToDo/T-del', fake.users.admin, { method: 'DELETE' })).toEqual({
      status: 202,
      body: { data: 'ok' },
    });
    expect((await get('/api/v2/document/Item?limit=5')).body).toMatchObject({ has_next_page: true });
    fake.v2 = false;
    expect((await get('/api/v2/document/Item')).status).toBe(404);
    fake.v2 = true;
  });

  it('lists a child DocType only with a parent the user may read, and reads a row through its parent', async () => {
    const bare = await get('/api/resource/Sales Invoice Item');
    expect(bare.status).toBe(403);
    expect(bare.body).toMatchObject({
      exc_type: 'PermissionError',
      exception: 'frappe.exceptions.PermissionError',
    });
    expect(bare.body).not.toHaveProperty('_server_messages');
    expect((await get('/api/resource/Sales Invoice Item?parent=Customer')).status).toBe(403);
    const rows = await get(
      '/api/resource/Sales Invoice Item?parent=Sales Invoice&fields=["name","parent","parenttype","parentfield"]&limit_page_length=0',
    );
    expect(rows.status).toBe(200);
    const data = rows.body['data'] as Record<string, string>[];
    expect(data).toHaveLength(8);
    expect(data[0]).toMatchObject({ parenttype: 'Sales Invoice', parentfield: 'items' });
    const one = await get(`/api/resource/Sales Invoice Item/${data[0]!['name']}`);
    expect(one.body['data']).toMatchObject({ parent: data[0]!['parent'], doctype: 'Sales Invoice Item' });
    expect(
      (await get('/api/resource/Sales Invoice Item?parent=Sales Invoice', fake.users.approver)).status,
    ).toBe(403);
  });

  it('answers TooManyRequestsError with Retry-After past the site rate limit', async () => {
    fake.rateLimit = { limit: 1, window: 60 };
    try {
      expect((await get('/api/resource/Item')).status).toBe(200);
      const res = await fetch(`${fake.url}/api/resource/Item`, {
        headers: { authorization: `token ${fake.users.admin.key}:${fake.users.admin.secret}` },
      });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await res.json()).toMatchObject({ exc_type: 'TooManyRequestsError' });
    } finally {
      fake.rateLimit = undefined;
    }
  });
});
