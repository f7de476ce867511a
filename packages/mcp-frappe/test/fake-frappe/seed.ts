// The fake site's starting data: two users, customers, items, invoices in every docstatus,
// to-dos (one with a name full of URL delimiters), and reports of each kind.
import { traceback } from './errors.js';
import { getList } from './list.js';
import type { FakeSite, FakeUser, Perm } from './state.js';

const ALL: Perm[] = ['read', 'write', 'create', 'delete', 'submit', 'cancel', 'report'];

/** Fills `site` and returns its two users. */
export function seed(site: FakeSite): { admin: FakeUser; clerk: FakeUser; approver: FakeUser } {
  const admin: FakeUser = {
    email: 'Administrator',
    key: 'adminkey0001',
    secret: 'adminsecret-9f8e7d6c',
    perms: { '*': ALL },
  };
  const clerk: FakeUser = {
    email: 'clerk@example.com',
    key: 'clerkkey0002',
    secret: 'clerksecret-1a2b3c4d',
    perms: {
      Customer: ['read'],
      'Customer Group': ['read'],
      Item: ['read'],
      'Sales Invoice': ['read', 'write', 'create', 'submit', 'report'],
      ToDo: ['read', 'write', 'create', 'delete'],
      'Expense Claim': ['read', 'write', 'create'],
      'Workflow State': ['read'],
    },
    userPermissions: { Customer: ['ACME', 'Globex'] },
    roles: ['Employee'],
  };
  const approver: FakeUser = {
    email: 'approver@example.com',
    key: 'approverkey3',
    secret: 'approversecret-5e6f7a8b',
    perms: {
      'Expense Claim': ['read', 'write', 'create', 'submit', 'cancel'],
      'Workflow State': ['read'],
    },
    roles: ['Employee', 'Expense Approver'],
  };
  site.users.push(admin, clerk, approver);

  // A workflow on Expense Claim: the employee sends a draft for approval, an approver (never the
  // claim's own owner) approves (submits) or rejects it, and may cancel an approved one.
  for (const state of ['Draft', 'Pending Approval', 'Approved', 'Rejected', 'Cancelled'])
    site.insert(admin, 'Workflow State', { workflow_state_name: state });
  site.workflows.set('Expense Claim', {
    name: 'Expense Approval',
    document_type: 'Expense Claim',
    workflow_state_field: 'workflow_state',
    states: [
      { state: 'Draft', doc_status: '0' },
      { state: 'Pending Approval', doc_status: '0' },
      { state: 'Approved', doc_status: '1', update_field: 'approval_status', update_value: 'Approved' },
      { state: 'Rejected', doc_status: '0', update_field: 'approval_status', update_value: 'Rejected' },
      { state: 'Cancelled', doc_status: '2' },
    ],
    transitions: [
      {
        state: 'Draft',
        action: 'Send for Approval',
        next_state: 'Pending Approval',
        allowed: 'Employee',
        allow_self_approval: 1,
      },
      {
        state: 'Pending Approval',
        action: 'Approve',
        next_state: 'Approved',
        allowed: 'Expense Approver',
        allow_self_approval: 0,
      },
      {
        state: 'Pending Approval',
        action: 'Reject',
        next_state: 'Rejected',
        allowed: 'Expense Approver',
        allow_self_approval: 0,
      },
      {
        state: 'Pending Approval',
        action: 'Escalate',
        next_state: 'Pending Approval',
        allowed: 'Expense Approver',
        allow_self_approval: 0,
        condition: 'doc.total > 1000',
        when: (doc) => Number(doc['total'] ?? 0) > 1000,
      },
      {
        state: 'Approved',
        action: 'Cancel',
        next_state: 'Cancelled',
        allowed: 'Expense Approver',
        allow_self_approval: 1,
      },
    ],
  });

  for (const g of ['Commercial', 'Individual'])
    site.insert(admin, 'Customer Group', { customer_group_name: g });
  for (const c of ['ACME', 'Globex', 'Initech']) {
    site.insert(admin, 'Customer', {
      customer_name: c,
      customer_group: 'Commercial',
      territory: 'All Territories',
    });
  }
  site.insert(admin, 'Item', { item_code: 'WIDGET', item_name: 'Widget', standard_rate: 10 });
  site.insert(admin, 'Item', { item_code: 'GADGET', item_name: 'Gadget', standard_rate: 25 });
  for (let i = 1; i <= 30; i++) {
    const code = `ITEM-${String(i).padStart(3, '0')}`;
    site.insert(admin, 'Item', { item_code: code, item_name: `Part ${i}`, standard_rate: i });
  }
  const invoice = (customer: string, qty: number) =>
    site.insert(admin, 'Sales Invoice', {
      customer,
      posting_date: '2024-03-01',
      items: [
        { item_code: 'WIDGET', qty, rate: 10 },
        { item_code: 'GADGET', qty: 1, rate: 25 },
      ],
    });
  const s1 = invoice('ACME', 2);
  invoice('Globex', 3);
  const s3 = invoice('Initech', 4);
  invoice('ACME', 5);
  site.transition(admin, 'Sales Invoice', String(s1['name']), 1);
  site.transition(admin, 'Sales Invoice', String(s3['name']), 1);

  site.insert(admin, 'ToDo', {
    name: 'A/B?C#D %E',
    description: 'A name full of URL delimiters',
    status: 'Open',
  });
  site.insert(admin, 'ToDo', { name: 'TODO-1', description: 'Call ACME', status: 'Open', priority: 'High' });

  const invoices = (user: FakeUser, filters: Record<string, unknown>) =>
    getList(site, user, 'Sales Invoice', {
      fields: ['name', 'customer', 'grand_total'],
      filters: { docstatus: 1, ...(filters['customer'] ? { customer: filters['customer'] } : {}) },
      limit_page_length: 0,
      order_by: 'name asc',
    });
  const items = (user: FakeUser) =>
    getList(site, user, 'Item', {
      fields: ['name', 'item_name', 'standard_rate'],
      limit_page_length: 0,
      order_by: 'name asc',
    });

  site.reports.set('Sales Register Lite', {
    name: 'Sales Register Lite',
    ref_doctype: 'Sales Invoice',
    report_type: 'Script Report',
    prepared_report: 0,
    run: (_s, user, filters) => ({
      columns: [
        { fieldname: 'invoice', label: 'Invoice', fieldtype: 'Link', options: 'Sales Invoice', width: 120 },
        { fieldname: 'customer', label: 'Customer', fieldtype: 'Link', options: 'Customer', width: 120 },
        { fieldname: 'grand_total', label: 'Grand Total', fieldtype: 'Currency', width: 100 },
      ],
      result: invoices(user, filters).map((r) => ({
        invoice: r['name'],
        customer: r['customer'],
        grand_total: r['grand_total'],
      })),
    }),
  });
  site.reports.set('Item Prices', {
    name: 'Item Prices',
    ref_doctype: 'Item',
    report_type: 'Query Report',
    prepared_report: 0,
    run: (_s, user) => ({
      columns: ['Item Code:Link/Item:120', 'Item Name::200', 'Rate:Currency:100'],
      result: items(user).map((r) => [r['name'], r['item_name'], r['standard_rate']]),
    }),
  });
  const preparedRun = (_s: FakeSite, user: FakeUser) => ({
    columns: [
      { fieldname: 'item_code', label: 'Item', fieldtype: 'Link', options: 'Item' },
      { fieldname: 'rate', label: 'Rate', fieldtype: 'Currency' },
    ],
    result: items(user).map((r) => ({ item_code: r['name'], rate: r['standard_rate'] })),
  });
  site.reports.set('Stock Ledger Heavy', {
    name: 'Stock Ledger Heavy',
    ref_doctype: 'Item',
    report_type: 'Script Report',
    prepared_report: 1,
    pollsToComplete: 2,
    run: preparedRun,
  });
  site.reports.set('Never Ready', {
    name: 'Never Ready',
    ref_doctype: 'Item',
    report_type: 'Script Report',
    prepared_report: 1,
    pollsToComplete: -1,
    run: preparedRun,
  });
  site.reports.set('Broken Prepared', {
    name: 'Broken Prepared',
    ref_doctype: 'Item',
    report_type: 'Script Report',
    prepared_report: 1,
    failWith: traceback('ZeroDivisionError', 'division by zero'),
    run: preparedRun,
  });
  site.reports.set('Customer Overview', {
    name: 'Customer Overview',
    ref_doctype: 'Customer',
    report_type: 'Report Builder',
    prepared_report: 0,
    run: () => ({ columns: [], result: [] }),
  });
  site.reports.set('User Audit', {
    name: 'User Audit',
    ref_doctype: 'User',
    report_type: 'Script Report',
    prepared_report: 0,
    run: () => ({ columns: ['User::200'], result: [['Administrator']] }),
  });
  return { admin, clerk, approver };
}
