// Frappe Workflows (frappe/model/workflow.py): a DocType with an active Workflow moves between
// named states by actions, each open to one role; an action may save, submit or cancel the
// document. get_transitions lists what the user's roles allow from the current state;
// apply_workflow takes one of them (and refuses self-approval unless the transition allows it).
import { ToolError, z, type ToolContext } from '@org/mcp-core';
import type { Deps } from '../deps.js';
import type { Doc } from '../frappe/client.js';
import { DocName, Doctype, guard } from './shared.js';
import { tool } from './tool.js';

interface Transition {
  state?: unknown;
  action?: unknown;
  next_state?: unknown;
  allowed?: unknown;
  allow_self_approval?: unknown;
  condition?: unknown;
}

const Action = z.object({
  action: z.string().describe('Pass this to frappe_apply_workflow_action'),
  next_state: z.string(),
  allowed_role: z.string().describe('The role the transition is open to'),
  self_approval: z
    .boolean()
    .describe('False: the user who owns the document may not take it (Frappe refuses self-approval)'),
});

/** The transitions Frappe offers the user from the document's current state. */
async function transitions(ctx: ToolContext<Deps>, doctype: string, name: string) {
  const rows = await ctx.deps.frappe.method<Transition[] | null>(
    'frappe.model.workflow.get_transitions',
    { doc: { doctype, name } },
    { signal: ctx.signal },
  );
  const list = (Array.isArray(rows) ? rows : []).filter(
    (t) => typeof t?.action === 'string' && typeof t.next_state === 'string',
  );
  return {
    state: typeof list[0]?.state === 'string' ? list[0].state : undefined,
    actions: list.map((t) => ({
      action: String(t.action),
      next_state: String(t.next_state),
      allowed_role: typeof t.allowed === 'string' ? t.allowed : '',
      self_approval: t.allow_self_approval === 1 || t.allow_self_approval === true,
    })),
  };
}

/** A not_found from get_transitions means no active workflow when the document itself exists. */
async function explainMissing<T>(
  ctx: ToolContext<Deps>,
  doctype: string,
  name: string,
  run: () => Promise<T>,
) {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ToolError && error.type === 'not_found')) throw error;
    await ctx.deps.frappe.get(doctype, name, ctx.signal);
    throw ToolError.validation(
      `${doctype} has no active Workflow`,
      'Submittable documents without a workflow use frappe_submit_document and frappe_cancel_document.',
    );
  }
}

export const getWorkflowTransitions = tool({
  name: 'frappe_get_workflow_transitions',
  toolset: 'workflow_actions',
  title: 'Workflow actions available',
  description:
    "The Workflow actions the user may take on a document now (Frappe's get_transitions: the transitions from the document's current state open to the user's roles whose conditions hold), each with the state it leads to. Empty when none is open to this user.",
  input: z.object({ doctype: Doctype, name: DocName }),
  output: z.object({
    doctype: z.string(),
    name: z.string(),
    state: z.string().optional().describe('The current workflow state (known when an action is open)'),
    actions: z.array(Action),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async handler({ doctype, name }, ctx) {
    guard(ctx, doctype);
    const found = await explainMissing(ctx, doctype, name, () => transitions(ctx, doctype, name));
    return { doctype, name, ...(found.state ? { state: found.state } : {}), actions: found.actions };
  },
});

const STATES = ['draft', 'submitted', 'cancelled'] as const;

export const applyWorkflowAction = tool({
  name: 'frappe_apply_workflow_action',
  toolset: 'workflow_actions',
  title: 'Apply workflow action',
  description:
    'Takes a Workflow action on a document (e.g. "Approve", "Reject"), moving it to the next state; depending on the state this saves, submits or cancels the document. Checks first that the action is open to the user from the current state (frappe_get_workflow_transitions lists them); Frappe then checks roles, conditions and self-approval.',
  input: z.object({
    doctype: Doctype,
    name: DocName,
    action: z.string().trim().min(1).max(140).describe('The action, exactly as the transitions list it'),
  }),
  output: z.object({
    doctype: z.string(),
    name: z.string(),
    action: z.string(),
    state: z.string().describe('The workflow state the document is now in'),
    docstatus: z.number().int().describe('0 draft, 1 submitted, 2 cancelled'),
    state_of_document: z.enum(STATES),
    modified: z.string().optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async handler({ doctype, name, action }, ctx) {
    guard(ctx, doctype);
    const { frappe } = ctx.deps;
    const open = await explainMissing(ctx, doctype, name, () => transitions(ctx, doctype, name));
    const transition = open.actions.find((a) => a.action === action);
    if (!transition) {
      throw ToolError.conflict(
        `"${action}" is not an action open to this user on ${doctype} ${name}${open.state ? ` in state ${open.state}` : ''}`,
        open.actions.length > 0
          ? `Open actions: ${open.actions.map((a) => `"${a.action}"`).join(', ')}.`
          : 'No workflow action is open to this user on it now.',
      );
    }
    const saved = await frappe.method<Doc | null>(
      'frappe.model.workflow.apply_workflow',
      { doc: { doctype, name }, action },
      { http: 'POST', signal: ctx.signal },
    );
    // apply_workflow returns nothing when the submission is queued in the background.
    const doc = saved && typeof saved === 'object' ? saved : await frappe.get(doctype, name, ctx.signal);
    const docstatus = Number(doc['docstatus'] ?? 0);
    return {
      doctype,
      name,
      action,
      state: transition.next_state,
      docstatus,
      state_of_document: STATES[docstatus] ?? 'draft',
      ...(typeof doc['modified'] === 'string' ? { modified: doc['modified'] } : {}),
    };
  },
});
