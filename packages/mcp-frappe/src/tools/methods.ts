import { jsonish, ToolError, z } from '@org/mcp-core';
import { tool } from './tool.js';

/** A whitelisted method's dotted path, e.g. erpnext.stock.utils.get_stock_balance. */
const METHOD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/** Arguments that name a DocType: the DocType guard applies to them as to every other tool. */
const DOCTYPE_ARGS = ['doctype', 'dt', 'reference_doctype', 'parent_doctype', 'parenttype', 'ref_doctype'];

export const callMethod = tool({
  name: 'frappe_call_method',
  toolset: 'methods',
  title: 'Call whitelisted method',
  description:
    'Calls a whitelisted server method (/api/method/<dotted.path>) with arguments and returns its result. Only methods the operator listed in FRAPPE_METHODS_ALLOW can be called (none by default); arguments naming a DocType (doctype, dt, reference_doctype, …) must pass the DocType guard. The result is cut to the output budget.',
  input: z.object({
    method: z
      .string()
      .trim()
      .max(200)
      .regex(METHOD, 'must be a dotted path such as erpnext.stock.utils.get_stock_balance')
      .describe('The dotted path of the method'),
    args: jsonish(z.record(z.string(), z.unknown())).default({}).describe('Keyword arguments of the method'),
    http_method: z
      .enum(['GET', 'POST'])
      .default('POST')
      .describe('POST (default) or GET, for methods that only accept GET'),
  }),
  output: z.object({
    method: z.string(),
    result: z.unknown().describe("The method's return value (`message`)"),
    truncated: z.boolean().describe('True when the result was too large and is given as cut JSON text'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async handler({ method, args, http_method }, ctx) {
    ctx.deps.methods.assert(method);
    for (const key of DOCTYPE_ARGS) {
      const value = args[key];
      if (typeof value === 'string') ctx.deps.frappe.guard.assert(value);
      else if (value !== undefined && value !== null) {
        throw ToolError.validation(`args.${key} must be a DocType name`);
      }
    }
    const result = await ctx.deps.frappe.method<unknown>(method, args, {
      http: http_method,
      signal: ctx.signal,
    });
    const text = JSON.stringify(result ?? null);
    const budget = ctx.outputBudget - 300;
    if (text.length <= budget) return { method, result: result ?? null, truncated: false };
    return { method, result: `${text.slice(0, budget)}…`, truncated: true };
  },
});
