import { z } from 'zod';
import type { Logger } from './logger.js';

/**
 * Behaviour hints every tool must declare. A read-only tool changes nothing, so it needs no
 * destructive or idempotent hint; any other tool must say both.
 */
export type ToolAnnotations =
  | { readOnlyHint: true; openWorldHint: boolean }
  | { readOnlyHint: false; destructiveHint: boolean; idempotentHint: boolean; openWorldHint: boolean };

/** What a handler receives beside its validated input. */
export interface ToolContext<Deps> {
  deps: Deps;
  /** Aborted when the client cancels the call or the server shuts down. */
  signal: AbortSignal;
  /** A child logger bound to the tool name. */
  logger: Logger;
  /** Size budget for list/search results, in characters of rendered text (MCP_MAX_OUTPUT_CHARS). */
  outputBudget: number;
  /**
   * Reports how far the call is (`done` of `total` steps) as a `notifications/progress` to a
   * client that asked for it (a `progressToken` in the request); a no-op otherwise. Calls come
   * through at most every PROGRESS_INTERVAL_MS (the last step always does), so a loop may call
   * it once per item.
   */
  progress(done: number, total?: number, message?: string): void;
}

/** A tool: a static definition plus a handler that receives its dependencies. */
export interface ToolDefinition<
  Deps,
  In extends z.ZodObject<z.ZodRawShape> = z.ZodObject<z.ZodRawShape>,
  Out extends z.ZodObject<z.ZodRawShape> = z.ZodObject<z.ZodRawShape>,
  Toolset extends string = string,
> {
  /** snake_case, verb first. */
  name: string;
  title: string;
  /** Documentation the model reads: say what it returns, units, limits and defaults. */
  description: string;
  /** The group the tool belongs to, for MCP_TOOLSETS: a key of the server's toolset table. */
  toolset: Toolset;
  input: In;
  output: Out;
  annotations: ToolAnnotations;
  /**
   * Advertised as is in the tool's `_meta` in `tools/list`, e.g.
   * `{ 'anthropic/maxResultSizeChars': 100000 }`. Keys are namespaced (`vendor/name`).
   */
  _meta?: Record<string, unknown>;
  handler(input: z.output<In>, context: ToolContext<Deps>): Promise<z.input<Out>> | z.input<Out>;
  /** The text content shown beside `structuredContent`. @default compact JSON of the result */
  render?(output: z.output<Out>): string;
}

/** A tool of any input and output, as kept in a server's flat tool list. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool<Deps> = ToolDefinition<Deps, any, any>;

/**
 * Defines a tool with its types inferred from the schemas. Curried so the deps and toolset types
 * can be given while the schemas stay inferred: `const tool = defineTool<Deps, keyof typeof
 * TOOLSETS>()`, then `tool({ ... })`; a `toolset` outside the table is a type error.
 */
export function defineTool<Deps, Toolset extends string = string>() {
  return <In extends z.ZodObject<z.ZodRawShape>, Out extends z.ZodObject<z.ZodRawShape>>(
    definition: ToolDefinition<Deps, In, Out, Toolset>,
  ): ToolDefinition<Deps, In, Out, Toolset> => definition;
}

/** Parses a string that holds JSON; anything else (or a non-JSON string) passes through as is. */
export function parseJsonString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (!(text.startsWith('[') || text.startsWith('{') || text.startsWith('"'))) return value;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return value;
  }
}

/**
 * A parameter that takes a native array or object, or the same value as a JSON string (as the
 * original Python servers required). Its JSON schema offers both forms to the client.
 */
export function jsonish<T extends z.ZodType>(schema: T) {
  return z.preprocess(parseJsonString, schema);
}

/** True for a schema built by `jsonish` (also after `.describe()`, `.optional()` wrapping aside). */
export function isJsonish(schema: z.core.$ZodType): boolean {
  const def = schema._zod.def as { type: string; in?: z.core.$ZodType };
  if (def.type !== 'pipe' || !def.in) return false;
  const inner = def.in._zod.def as { type: string; transform?: unknown };
  return inner.type === 'transform' && inner.transform === parseJsonString;
}

/** The JSON schema of a tool input as advertised in `tools/list`. */
export function inputJsonSchema(schema: z.ZodObject<z.ZodRawShape>): Record<string, unknown> {
  return z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-7',
    unrepresentable: 'any',
    override(ctx) {
      if (!isJsonish(ctx.zodSchema)) return;
      const def = ctx.zodSchema._zod.def as unknown as { out: z.ZodType };
      const inner = z.toJSONSchema(def.out, { io: 'input', target: 'draft-7', unrepresentable: 'any' });
      delete (inner as Record<string, unknown>)['$schema'];
      const description = (ctx.jsonSchema as { description?: string }).description;
      for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Record<string, unknown>)[key];
      Object.assign(ctx.jsonSchema, {
        ...(description ? { description } : {}),
        anyOf: [inner, { type: 'string', description: 'The same value as a JSON-encoded string' }],
      });
    },
  }) as Record<string, unknown>;
}

/** The JSON schema of a tool output as advertised in `tools/list`. */
export function outputJsonSchema(schema: z.ZodObject<z.ZodRawShape>): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}
