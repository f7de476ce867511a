import { DoctypeGuard, MethodGuard } from './guard.js';

describe('DoctypeGuard', () => {
  it.each([
    [undefined, undefined, 'Sales Invoice', true],
    [undefined, undefined, 'User', false],
    [undefined, undefined, 'user ', false],
    [undefined, undefined, 'OAuth  Bearer Token', false],
    [['*'], undefined, 'User', false],
    [['User'], undefined, 'User', true],
    [['user'], undefined, 'User', true],
    [['Sales *'], undefined, 'Sales Order', true],
    [['Sales *'], undefined, 'Purchase Order', false],
    [['User'], ['User'], 'User', false],
    [undefined, ['*Settings'], 'Selling Settings', false],
    [undefined, ['Item'], 'item', false],
  ])('allow %j deny %j: %s → %s', (allow, deny, doctype, ok) => {
    expect(new DoctypeGuard(allow, deny).refusal(doctype) === undefined).toBe(ok);
  });
});

describe('MethodGuard', () => {
  it('allows exact names and module prefixes only', () => {
    const g = new MethodGuard(['erpnext.stock.utils.get_stock_balance', 'myapp.api.*']);
    expect(g.allows('erpnext.stock.utils.get_stock_balance')).toBe(true);
    expect(g.allows('erpnext.stock.utils.get_stock_balance_x')).toBe(false);
    expect(g.allows('myapp.api.ping')).toBe(true);
    expect(g.allows('myapp.apix.ping')).toBe(false);
    expect(new MethodGuard(undefined).allows('frappe.client.get')).toBe(false);
  });

  it('takes * anywhere in an entry as a glob, and nothing else as a pattern', () => {
    const g = new MethodGuard(['erpnext.*.get_*', ' myapp.report_?x ', '']);
    expect(g.allows('erpnext.stock.utils.get_stock_balance')).toBe(true);
    expect(g.allows('erpnext.accounts.get_balance_on')).toBe(true);
    expect(g.allows('erpnext.stock.utils.set_stock')).toBe(false);
    expect(g.allows('frappe.erpnext.x.get_y')).toBe(false);
    expect(g.allows('myapp.report_?x')).toBe(true);
    expect(g.allows('myapp.report_ax')).toBe(false);
    expect(new MethodGuard(['', ' ']).allows('')).toBe(false);
  });
});
