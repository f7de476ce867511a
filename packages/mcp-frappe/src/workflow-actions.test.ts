// The workflow_actions toolset through MCP against the fake Frappe's Expense Claim workflow
// (frappe/model/workflow.py semantics): transitions per role and condition, the action checked
// against the current state before it is sent, self-approval, submit and cancel by workflow.
import { callTool } from '@org/mcp-core/testing';
import { startFakeFrappe, type FakeFrappe } from '../test/fake-frappe/index.js';
import { connectFrappe, type FrappeSession } from '../test/session.js';

type Actions = { state?: string; actions: { action: string; next_state: string; allowed_role: string }[] };

describe('workflow actions', () => {
  let fake: FakeFrappe;
  let clerk: FrappeSession;
  let approver: FrappeSession;
  let admin: FrappeSession;
  beforeAll(async () => {
    fake = await startFakeFrappe();
    clerk = await connectFrappe(fake, {}, fake.users.clerk);
    approver = await connectFrappe(fake, {}, fake.users.approver);
    admin = await connectFrappe(fake);
  });
  afterAll(async () => {
    await clerk?.close();
    await approver?.close();
    await admin?.close();
    await fake?.close();
  });
  const call = <T = Record<string, unknown>>(s: FrappeSession, name: string, args: Record<string, unknown>) =>
    callTool<T>(s.client, name, args);
  const applied = () =>
    fake.requests.filter((r) => r.url.pathname === '/api/method/frappe.model.workflow.apply_workflow').length;
  const claim = async (s: FrappeSession, total: number) => {
    const r = await call<{ data: { name: string; workflow_state: string } }>(s, 'frappe_create_document', {
      doctype: 'Expense Claim',
      data: { employee_name: 'Someone', total },
    });
    if (!r.ok) throw new Error(r.text);
    expect(r.data.data.workflow_state).toBe('Draft');
    return r.data.data.name;
  };

  it('is off by default', async () => {
    const plain = await connectFrappe(fake, { MCP_TOOLSETS: '' });
    const names = (await plain.client.listTools()).tools.map((t) => t.name);
    expect(names).not.toContain('frappe_get_workflow_transitions');
    expect(names).not.toContain('frappe_apply_workflow_action');
    await plain.close();
  });

  it('lists the actions open to the user, applies one, and refuses one not open without sending it', async () => {
    const name = await claim(clerk, 120);
    expect(
      await call<Actions>(clerk, 'frappe_get_workflow_transitions', { doctype: 'Expense Claim', name }),
    ).toEqual(
      expect.objectContaining({
        ok: true,
        data: {
          doctype: 'Expense Claim',
          name,
          state: 'Draft',
          actions: [
            {
              action: 'Send for Approval',
              next_state: 'Pending Approval',
              allowed_role: 'Employee',
              self_approval: true,
            },
          ],
        },
      }),
    );
    const before = applied();
    expect(
      await call(clerk, 'frappe_apply_workflow_action', {
        doctype: 'Expense Claim',
        name,
        action: 'Approve',
      }),
    ).toMatchObject({
      ok: false,
      error: {
        type: 'conflict',
        error: expect.stringContaining('"Approve" is not an action open to this user'),
        hint: 'Open actions: "Send for Approval".',
      },
    });
    expect(applied()).toBe(before);
    expect(
      await call(clerk, 'frappe_apply_workflow_action', {
        doctype: 'Expense Claim',
        name,
        action: 'Send for Approval',
      }),
    ).toMatchObject({
      ok: true,
      data: { state: 'Pending Approval', docstatus: 0, state_of_document: 'draft' },
    });
    // The employee has no action left; the approver has Approve and Reject (Escalate's condition fails).
    expect(
      await call<Actions>(clerk, 'frappe_get_workflow_transitions', { doctype: 'Expense Claim', name }),
    ).toMatchObject({ ok: true, data: { actions: [] } });
    const open = await call<Actions>(approver, 'frappe_get_workflow_transitions', {
      doctype: 'Expense Claim',
      name,
    });
    expect(open.ok && open.data.actions.map((a) => a.action)).toEqual(['Approve', 'Reject']);
    expect(open).toMatchObject({ data: { state: 'Pending Approval' } });
    const approved = await call(approver, 'frappe_apply_workflow_action', {
      doctype: 'Expense Claim',
      name,
      action: 'Approve',
    });
    expect(approved).toMatchObject({
      ok: true,
      data: { action: 'Approve', state: 'Approved', docstatus: 1, state_of_document: 'submitted' },
    });
    const doc = await call<{ data: Record<string, unknown> }>(admin, 'frappe_get_document', {
      doctype: 'Expense Claim',
      name,
    });
    expect(doc).toMatchObject({
      ok: true,
      data: { data: { workflow_state: 'Approved', approval_status: 'Approved', docstatus: 1 } },
    });
    expect(
      await call(approver, 'frappe_apply_workflow_action', {
        doctype: 'Expense Claim',
        name,
        action: 'Cancel',
      }),
    ).toMatchObject({ ok: true, data: { state: 'Cancelled', docstatus: 2, state_of_document: 'cancelled' } });
  });

  it("Frappe's own refusals come back readable: self-approval, a state set by hand, an action gone stale", async () => {
    const mine = await claim(approver, 5000);
    await call(approver, 'frappe_apply_workflow_action', {
      doctype: 'Expense Claim',
      name: mine,
      action: 'Send for Approval',
    });
    const open = await call<Actions>(approver, 'frappe_get_workflow_transitions', {
      doctype: 'Expense Claim',
      name: mine,
    });
    // A condition that holds (total > 1000) opens Escalate.
    expect(open.ok && open.data.actions.map((a) => a.action)).toEqual(['Approve', 'Reject', 'Escalate']);
    const self = await call(approver, 'frappe_apply_workflow_action', {
      doctype: 'Expense Claim',
      name: mine,
      action: 'Approve',
    });
    expect(self).toMatchObject({
      ok: false,
      error: { type: 'validation', status_code: 417, error: 'Frappe: Self approval is not allowed' },
    });
    expect(self.text).not.toContain('Traceback');
    const name = await claim(clerk, 10);
    expect(
      await call(clerk, 'frappe_update_document', {
        doctype: 'Expense Claim',
        name,
        data: { workflow_state: 'Approved' },
      }),
    ).toMatchObject({
      ok: false,
      error: {
        type: 'forbidden',
        status_code: 417,
        error: 'Frappe: Workflow State transition not allowed from Draft to Approved',
      },
    });
    // Someone else moved the document on between the check and the action: Frappe's WorkflowTransitionError.
    fake.inject({
      path: '/api/method/frappe.model.workflow.get_transitions',
      status: 200,
      body: { message: [{ state: 'Draft', action: 'Approve', next_state: 'Approved', allowed: 'Employee' }] },
    });
    expect(
      await call(clerk, 'frappe_apply_workflow_action', {
        doctype: 'Expense Claim',
        name,
        action: 'Approve',
      }),
    ).toMatchObject({
      ok: false,
      error: { type: 'conflict', status_code: 417, error: 'Frappe: Not a valid Workflow Action' },
    });
  });

  it('a DocType without a workflow, a missing document and a refused DocType', async () => {
    expect(
      await call(admin, 'frappe_get_workflow_transitions', { doctype: 'ToDo', name: 'TODO-1' }),
    ).toMatchObject({ ok: false, error: { type: 'validation', error: 'ToDo has no active Workflow' } });
    expect(
      await call(admin, 'frappe_apply_workflow_action', {
        doctype: 'Expense Claim',
        name: 'EXP-9999',
        action: 'x',
      }),
    ).toMatchObject({ ok: false, error: { type: 'not_found', status_code: 404 } });
    const before = fake.apiRequests().length;
    expect(
      await call(admin, 'frappe_apply_workflow_action', {
        doctype: 'User',
        name: 'Administrator',
        action: 'x',
      }),
    ).toMatchObject({ ok: false, error: { type: 'forbidden' } });
    expect(fake.apiRequests().length).toBe(before);
  });
});
