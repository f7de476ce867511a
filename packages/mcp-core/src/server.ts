import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
  type ServerNotification,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from './logger.js';
import type { z } from 'zod';
import type { CoreConfig, EnvSchema } from './config.js';
import { coreOptions, loadServer, type ServerDefinition, type ServerDeps } from './define.js';
import { ConfigError, ToolError, isToolError, toErrorEnvelope, type ErrorEnvelope } from './errors.js';
import { inputJsonSchema, outputJsonSchema, type AnyTool, type ToolContext } from './tool.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';

export { McpServer, ResourceTemplate };

/** Which tools a server offers (MCP_TOOLSETS, MCP_TOOLS, MCP_EXCLUDE_TOOLS, MCP_READ_ONLY). */
export interface ToolFilter {
  /** Only tools with `readOnlyHint: true`; wins over every allow list. */
  readOnly?: boolean;
  /** Toolsets to offer; `all` for every one. @default the server's default toolsets */
  toolsets?: readonly string[];
  /** Tools to offer in addition to the toolsets; alone (no toolsets given), only these. */
  tools?: readonly string[];
  /** Tools never to offer. */
  excludeTools?: readonly string[];
}

/** What selectTools needs of a tool (a definition or a listing entry). */
type Selectable = { name: string; toolset: string; annotations: { readOnlyHint: boolean } };

/**
 * Applies a filter to a server's flat tool list. Throws a ConfigError naming every unknown
 * tool or toolset, so a typo fails at start instead of silently hiding tools.
 * `defaultToolsets` (default: all) applies when neither toolsets nor tools are given.
 */
export function selectTools<T extends Selectable>(
  tools: readonly T[],
  filter: ToolFilter = {},
  defaultToolsets?: readonly string[],
): T[] {
  const names = new Set(tools.map((t) => t.name));
  const toolsets = new Set(tools.map((t) => t.toolset));
  const problems: string[] = [];
  for (const name of [...(filter.tools ?? []), ...(filter.excludeTools ?? [])]) {
    if (!names.has(name)) problems.push(`unknown tool "${name}" (known: ${[...names].join(', ')})`);
  }
  for (const set of filter.toolsets ?? []) {
    if (set !== 'all' && !toolsets.has(set)) {
      problems.push(`unknown toolset "${set}" (known: all, ${[...toolsets].join(', ')})`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const extra = new Set(filter.tools ?? []);
  const chosenSets =
    filter.toolsets ?? (filter.tools && filter.tools.length > 0 ? [] : (defaultToolsets ?? ['all']));
  const all = chosenSets.includes('all');
  const sets = new Set(chosenSets);
  const excluded = new Set(filter.excludeTools ?? []);
  return tools.filter(
    (t) =>
      (all || sets.has(t.toolset) || extra.has(t.name)) &&
      !excluded.has(t.name) &&
      (!filter.readOnly || t.annotations.readOnlyHint),
  );
}

export interface CreateMcpServerOptions<Deps> {
  name: string;
  version: string;
  /** Told to the client at `initialize`: what the server is for and which store it uses. */
  instructions?: string;
  /** Every tool the server has; the filter picks the ones offered. Give this or `loadTools`. */
  tools?: readonly AnyTool<Deps>[];
  /**
   * Loads the tools at the first tools/call (or right after the first tools/list); needs
   * `listing`, from which tools/list is answered and the filter picks.
   */
  loadTools?: () => Promise<readonly AnyTool<Deps>[]>;
  /**
   * Every tool as tools/list advertises it (toolListing, as the bundle step writes it), so that
   * no zod schema is converted, or with `loadTools` even built, before the first listing.
   */
  listing?: readonly ListedTool[];
  deps: Deps;
  logger: Logger;
  filter?: ToolFilter;
  /** Toolsets offered when the filter names none. @default every toolset */
  defaultToolsets?: readonly string[];
  /** @default 20000 */
  outputBudget?: number;
  /** Arguments larger than this (as JSON) are refused. @default 1000000 */
  maxInputChars?: number;
  /**
   * Parse every result with the tool's output schema before sending it; a mismatch becomes an
   * `internal` error. Off by default: handlers are typed against the schema, and the parse costs
   * more than many handlers on every call (MCP_VALIDATE_OUTPUT). @default false
   */
  validateOutput?: boolean;
  /**
   * Turns a server's own errors (a library's error class, a driver's connection error) into a
   * ToolError; return undefined for anything else, which then becomes `internal`.
   */
  mapError?: (error: unknown) => ToolError | undefined;
  /**
   * The JSON schemas of the tools as computed at build time (toolSchemas), so that the first
   * tools/list converts nothing; a tool missing here is converted as usual.
   */
  schemas?: ToolSchemas;
}

/** The advertised JSON schemas of each tool, by tool name. */
export type ToolSchemas = Record<
  string,
  { inputSchema: Tool['inputSchema']; outputSchema: Tool['outputSchema'] }
>;

/** The JSON schemas advertised for `tools` (what the bundle step writes next to the bin). */
export function toolSchemas(tools: readonly AnyTool<never>[]): ToolSchemas {
  return Object.fromEntries(
    tools.map((t) => [
      t.name,
      {
        inputSchema: inputJsonSchema(t.input) as Tool['inputSchema'],
        outputSchema: outputJsonSchema(t.output) as Tool['outputSchema'],
      },
    ]),
  );
}

/** One tool as tools/list advertises it, plus its toolset (for the MCP_* filters). */
export type ListedTool = Tool & {
  toolset: string;
  annotations: NonNullable<Tool['annotations']> & { readOnlyHint: boolean };
};

function listedTool(t: AnyTool<never>, known?: ToolSchemas[string]): ListedTool {
  return {
    name: t.name,
    title: t.title,
    description: t.description,
    inputSchema: known?.inputSchema ?? (inputJsonSchema(t.input) as Tool['inputSchema']),
    outputSchema: known?.outputSchema ?? (outputJsonSchema(t.output) as Tool['outputSchema']),
    annotations: fullAnnotations(t as AnyTool<unknown>),
    ...(t._meta ? { _meta: t._meta } : {}),
    toolset: t.toolset,
  };
}

/**
 * Every tool of `tools` as tools/list advertises it, with its toolset: what the bundle step
 * writes beside the bin (tool-schemas.json) for the bin to list without loading a tool module.
 */
export function toolListing(tools: readonly AnyTool<never>[]): ListedTool[] {
  return tools.map((t) => listedTool(t));
}

/** The entry as sent in tools/list: the listing's own field (toolset) left out. */
function advertised(listed: ListedTool): Tool {
  const { toolset, ...tool } = listed;
  void toolset;
  return tool;
}

/** Progress notifications of one call are at least this far apart (the last step excepted). */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * The `progress` of a ToolContext: sends notifications/progress with the request's token (none
 * without one), increasing only, at most one per PROGRESS_INTERVAL_MS except the final step
 * (`done >= total`), and nothing once the call has answered.
 */
function progressReporter(
  token: string | number | undefined,
  send: (notification: ServerNotification) => Promise<void>,
  logger: Logger,
): { report: ToolContext<unknown>['progress']; end(): void } {
  if (token === undefined) return { report: () => undefined, end: () => undefined };
  let last = -Infinity;
  let lastAt = -Infinity;
  let ended = false;
  const report = (done: number, total?: number, message?: string) => {
    if (ended || !Number.isFinite(done) || done <= last) return;
    const now = performance.now();
    const final = total !== undefined && done >= total;
    if (!final && now - lastAt < PROGRESS_INTERVAL_MS) return;
    last = done;
    lastAt = now;
    send({
      method: 'notifications/progress',
      params: {
        progressToken: token,
        progress: done,
        ...(total !== undefined && Number.isFinite(total) ? { total } : {}),
        ...(message ? { message } : {}),
      },
    }).catch((error: unknown) =>
      logger.debug({ err: error instanceof Error ? error.message : String(error) }, 'progress not sent'),
    );
  };
  return { report, end: () => (ended = true) };
}

// With the u flag a surrogate pair is one code point, so only a lone surrogate matches.
const LONE_SURROGATE = /\p{Cs}/u;

/** How deep arguments may nest (objects and arrays); deeper input is refused as `validation`. */
export const MAX_INPUT_DEPTH = 64;

/**
 * Why `value` is not acceptable input, or undefined: nesting deeper than MAX_INPUT_DEPTH, or a
 * string (value or key) that is not well-formed Unicode (a lone surrogate would be replaced on
 * the wire and two different keys could collide).
 */
export function inputProblem(value: unknown): string | undefined {
  const stack: Array<[unknown, number, string]> = [[value, 0, '(input)']];
  while (stack.length > 0) {
    const [item, depth, path] = stack.pop()!;
    if (typeof item === 'string') {
      if (LONE_SURROGATE.test(item))
        return `${path}: the string is not well-formed Unicode (a lone surrogate)`;
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return `${path}: nested deeper than ${MAX_INPUT_DEPTH} levels`;
    if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) stack.push([item[i], depth + 1, `${path}[${i}]`]);
      continue;
    }
    for (const [key, child] of Object.entries(item)) {
      if (LONE_SURROGATE.test(key)) return `${path}: a key is not well-formed Unicode (a lone surrogate)`;
      stack.push([child, depth + 1, path === '(input)' ? key : `${path}.${key}`]);
    }
  }
  return undefined;
}

/** The error result of a tool call: the envelope as JSON text, with `isError: true`. */
export function errorResult(envelope: ErrorEnvelope): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(envelope) }], isError: true };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(input)'}: ${issue.message}`)
    .join('; ');
}

function fullAnnotations(tool: AnyTool<unknown>): ListedTool['annotations'] {
  const a = tool.annotations;
  return a.readOnlyHint
    ? {
        title: tool.title,
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: a.openWorldHint,
      }
    : { title: tool.title, ...a };
}

// One validator per process, made on first use: the SDK makes a new Ajv for every Server
// otherwise (most of the cost of a server built per HTTP request), and uses it only to check
// elicitation answers.
let ajv: AjvJsonSchemaValidator | undefined;
const sharedValidator: jsonSchemaValidator = {
  getValidator: (schema) => (ajv ??= new AjvJsonSchemaValidator()).getValidator(schema),
};

/**
 * An McpServer with the selected tools registered. Tools are dispatched by core rather than by
 * `McpServer.registerTool` so that every failure, bad input included, returns the one error
 * envelope; resources and prompts can still be registered on the returned server as usual.
 */
export function createMcpServer<Deps>(options: CreateMcpServerOptions<Deps>): McpServer {
  const eagerTools = options.tools;
  if (!eagerTools && !(options.listing && options.loadTools)) {
    throw new Error('createMcpServer needs tools, or a listing and loadTools');
  }
  // The filter picks from the listing when there is one: it has every name, toolset and hint.
  const entries: readonly Selectable[] = options.listing ?? eagerTools!;
  const selected = selectTools(entries, options.filter, options.defaultToolsets);
  const chosen = new Set(selected.map((t) => t.name));
  const allNames = new Set(entries.map((t) => t.name));
  const pick = (all: readonly AnyTool<Deps>[]) =>
    new Map(all.filter((t) => chosen.has(t.name)).map((t) => [t.name, t]));
  const eager = eagerTools ? pick(eagerTools) : undefined;
  let lazy: Promise<Map<string, AnyTool<Deps>>> | undefined;
  const loadTools = () => (lazy ??= options.loadTools!().then(pick));
  const outputBudget = options.outputBudget ?? 20000;
  const maxInputChars = options.maxInputChars ?? 1_000_000;
  const server = new McpServer(
    { name: options.name, version: options.version },
    {
      capabilities: { tools: {} },
      jsonSchemaValidator: sharedValidator,
      ...(options.instructions ? { instructions: options.instructions } : {}),
    },
  );

  // Built on the first tools/list, not at start: converting every schema costs start-up time.
  let listed: Tool[] | undefined;
  const listTools = (): Tool[] =>
    (listed ??= options.listing
      ? (selected as ListedTool[]).map(advertised)
      : (selected as AnyTool<Deps>[]).map((t) =>
          advertised(listedTool(t as AnyTool<never>, options.schemas?.[t.name])),
        ));
  server.server.setRequestHandler(ListToolsRequestSchema, () => {
    // The listing is on its way: load the tools now, before the first call waits for them.
    if (!eager && !lazy) setImmediate(() => void loadTools().catch(() => undefined));
    return { tools: listTools() };
  });

  // Registered as Protocol does it, past Server's tools/call override: that override parses the
  // request a second time (Protocol already did) and the result against CallToolResultSchema,
  // which the results built below match by construction; both cost time on every call.
  const setRequestHandler = Protocol.prototype.setRequestHandler as typeof server.server.setRequestHandler;
  setRequestHandler.call(
    server.server,
    CallToolRequestSchema,
    async (request, extra): Promise<CallToolResult> => {
      const { name, arguments: args } = request.params;
      const logger = options.logger.child({ tool: name });
      const progress = progressReporter(request.params._meta?.progressToken, extra.sendNotification, logger);
      try {
        const tool = (eager ?? (await loadTools())).get(name);
        if (!tool) {
          throw allNames.has(name)
            ? new ToolError('forbidden', `Tool "${name}" is not enabled on this server`, {
                hint: 'It is hidden by MCP_READ_ONLY, MCP_TOOLSETS, MCP_TOOLS or MCP_EXCLUDE_TOOLS.',
              })
            : ToolError.notFound(
                `Unknown tool "${name}"`,
                'Call tools/list for the tools this server offers.',
              );
        }
        const size = args === undefined ? 0 : JSON.stringify(args).length;
        if (size > maxInputChars) {
          throw ToolError.validation(`Arguments are too large: ${size} characters, at most ${maxInputChars}`);
        }
        const problem = inputProblem(args);
        if (problem) throw ToolError.validation(`Invalid arguments for ${name}: ${problem}`);
        const parsed = tool.input.safeParse(args ?? {});
        if (!parsed.success) {
          throw ToolError.validation(`Invalid arguments for ${name}: ${describeIssues(parsed.error)}`);
        }
        const raw = await tool.handler(parsed.data, {
          deps: options.deps,
          signal: extra.signal,
          logger,
          outputBudget,
          progress: progress.report,
        });
        const output = options.validateOutput
          ? tool.output.safeParse(raw)
          : { success: true as const, data: raw };
        if (!output.success) {
          logger.error(
            { issues: output.error.issues },
            'tool returned output that does not match its schema',
          );
          throw new Error(`output of ${name} does not match its schema`);
        }
        const data = output.data as Record<string, unknown>;
        const text = tool.render ? tool.render(data) : JSON.stringify(data);
        return { content: [{ type: 'text', text }], structuredContent: data };
      } catch (error) {
        const envelope = toErrorEnvelope(
          isToolError(error) ? error : (options.mapError?.(error) ?? error),
          logger,
        );
        if (envelope.type !== 'internal') logger.info({ envelope }, 'tool call failed');
        return errorResult(envelope);
      } finally {
        progress.end();
      }
    },
  );
  return server;
}

/**
 * The protocol server of a definition: the tools the configuration enables, the instructions,
 * and whatever `extend` registers (resources, prompts). Does no I/O; the stdio runner builds one
 * per process, the HTTP runner one per request. `precomputed` is the bundle's: the listing
 * (toolListing), or only the schemas (toolSchemas). A definition with `loadTools` needs the
 * listing, or loadServer first.
 */
export function buildServer<S extends EnvSchema, Deps extends ServerDeps>(
  definition: ServerDefinition<S, Deps>,
  deps: Deps,
  config: z.infer<S>,
  logger: Logger,
  precomputed?: ToolSchemas | readonly ListedTool[],
): McpServer {
  const { instructions, maxInputChars, mapError, extend } = definition;
  const listing = Array.isArray(precomputed) ? (precomputed as readonly ListedTool[]) : undefined;
  const schemas = listing ? undefined : (precomputed as ToolSchemas | undefined);
  if (!definition.tools && !listing) {
    throw new Error(`${definition.name}: the tools are not loaded (await loadServer(definition) first)`);
  }
  const text = typeof instructions === 'function' ? instructions(deps, config) : instructions;
  const server = createMcpServer({
    name: definition.name,
    version: definition.version,
    ...(text ? { instructions: text } : {}),
    ...(definition.tools
      ? { tools: definition.tools }
      : { loadTools: async () => (await loadServer(definition)).tools }),
    ...(listing ? { listing } : {}),
    deps,
    logger,
    ...coreOptions(config as CoreConfig),
    defaultToolsets: definition.defaultToolsets,
    ...(maxInputChars === undefined
      ? {}
      : { maxInputChars: typeof maxInputChars === 'function' ? maxInputChars(config) : maxInputChars }),
    ...(mapError ? { mapError: (error: unknown) => mapError(error, deps) } : {}),
    ...(schemas ? { schemas } : {}),
  });
  extend?.(server, deps, config);
  return server;
}
