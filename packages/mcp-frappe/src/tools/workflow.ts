import { ToolError, z, type ToolContext } from '@org/mcp-core';
import type { Deps } from '../deps.js';
import type { Doc } from '../frappe/client.js';
import { DocName, Doctype, guard } from './shared.js';
import { tool } from './tool.js';

const STATES = ['draft', 'submitted', 'cancelled'] as const;

const StateOutput = z.object({
  doctype: z.string(),
  name: z.string(),
  docstatus: z.number().int().describe('0 draft, 1 submitted, 2 cancelled'),
  state: z.enum(STATES),
  status: z.string().optional().describe("The document's own status field, when it has one"),
  modified: z.string().optional(),
});

function stateOf(doctype: string, doc: Doc): z.input<typeof StateOutput> {
  const docstatus = Number(doc['docstatus'] ?? 0);
  return {
    doctype,
    name: String(doc['name']),
    docstatus,
    state: STATES[docstatus] ?? 'draft',
    ...(typeof doc['status'] === 'string' && doc['status'] ? { status: doc['status'] } : {}),
    ...(typeof doc['modified'] === 'string' ? { modified: doc['modified'] } : {}),
  };
}

/** The document as it is now, after checking the DocType is submittable. */
async function current(
  ctx: ToolContext<Deps>,
  doctype: string,
  name: string,
): Promise<{ meta: string; doc: Doc }> {
  guard(ctx, doctype);
  const meta = await ctx.deps.frappe.meta(doctype, ctx.signal);
  if (!meta.is_submittable) {
    throw ToolError.validation(
      `${meta.name} is not submittable: its documents have no submit or cancel`,
      'frappe_get_doctype_meta says whether a DocType is submittable.',
    );
  }
  return { meta: meta.name, doc: await ctx.deps.frappe.get(meta.name, name, ctx.signal) };
}

export const submitDocument = tool({
  name: 'frappe_submit_document',
  toolset: 'workflow',
  title: 'Submit document',
  description:
    'Submits a draft of a submittable DocType (docstatus 0 → 1: an invoice is posted, stock moves). Checks first that the document is a draft; a submitted document can then only be cancelled, not edited. Frappe checks submit permission and validates the document.',
  input: z.object({ doctype: Doctype, name: DocName }),
  output: StateOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async handler({ doctype, name }, ctx) {
    const { meta, doc } = await current(ctx, doctype, name);
    const docstatus = Number(doc['docstatus'] ?? 0);
    if (docstatus === 1) throw ToolError.conflict(`${meta} ${name} is already submitted`);
    if (docstatus === 2) {
      throw ToolError.conflict(
        `${meta} ${name} is cancelled and cannot be submitted`,
        'Create an amended copy (a new document with amended_from set) and submit that.',
      );
    }
    return stateOf(meta, await ctx.deps.frappe.submit(meta, doc, ctx.signal));
  },
});

export const cancelDocument = tool({
  name: 'frappe_cancel_document',
  toolset: 'workflow',
  title: 'Cancel document',
  description:
    'Cancels a submitted document (docstatus 1 → 2: its ledger and stock entries are reversed). Checks first that the document is submitted. Cancelling cannot be undone; documents submitted against it may have to be cancelled first. Frappe checks cancel permission.',
  input: z.object({ doctype: Doctype, name: DocName }),
  output: StateOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async handler({ doctype, name }, ctx) {
    const { meta, doc } = await current(ctx, doctype, name);
    const docstatus = Number(doc['docstatus'] ?? 0);
    if (docstatus === 0) {
      throw ToolError.conflict(
        `${meta} ${name} is a draft, not submitted: there is nothing to cancel`,
        'Delete the draft with frappe_delete_document, or submit it first.',
      );
    }
    if (docstatus === 2) throw ToolError.conflict(`${meta} ${name} is already cancelled`);
    return stateOf(meta, await ctx.deps.frappe.cancel(meta, name, ctx.signal));
  },
});
