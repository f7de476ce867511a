import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { z } from 'zod';
import type { CoreConfig, EnvSchema } from './config.js';
import type { ToolError } from './errors.js';
import type { Logger } from './logger.js';
import type { AnyTool } from './tool.js';

/** One line of the `--check` report. */
export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

/** What every server's deps object may offer to the runner. */
export interface ServerDeps {
  /** Probes each external dependency (Redis, an API) for `--check`. */
  check?(): Promise<CheckResult[]>;
  /** Closes clients and connections on shutdown. */
  dispose?(): Promise<void> | void;
}

/** One toolset of a server: what its tools are for, and whether it is offered by default. */
export interface ToolsetInfo {
  description: string;
  /** Offered when MCP_TOOLSETS is unset. */
  default: boolean;
}

/** A server's toolsets by id (`snake_case`). */
export type Toolsets = Readonly<Record<string, ToolsetInfo>>;

/**
 * Declares a server's toolset table. Typing a tool factory with its keys
 * (`defineTool<Deps, keyof typeof TOOLSETS>()`) makes a misspelt `toolset:` a type error.
 */
export function defineToolsets<const T extends Toolsets>(toolsets: T): T {
  return toolsets;
}

/** Everything a server is, in one value: the bin, the tests, the docs and the setup read it. */
export interface ServerDefinitionInput<S extends EnvSchema, Deps extends ServerDeps> {
  /** The npm package name (from package.json via readPackageInfo). */
  name: string;
  version: string;
  /** One paragraph: `--help`, the README and the setup command show it. */
  description: string;
  /** The env schema (extends CoreConfigSchema). */
  configSchema: S;
  toolsets: Toolsets;
  /** Every tool the server has; MCP_* filters pick the ones offered. Give this or `loadTools`. */
  tools?: readonly AnyTool<Deps>[];
  /**
   * Loads the tools on demand instead (`() => import('./tools/index.js')`), so that a bundled bin
   * answers `initialize` and `tools/list` from the listing the bundle step precomputed without
   * evaluating a tool module (zod schemas, vendor clients) first; it loads them at the first
   * `tools/call` or right after the first listing. `loadServer` loads and checks them.
   */
  loadTools?: () => Promise<{ tools: readonly AnyTool<Deps>[] }>;
  /** Builds clients and stores; should do no slow I/O (the server answers `initialize` after it). */
  createDeps(config: z.infer<S>, logger: Logger): Promise<Deps> | Deps;
  /**
   * Turns the server's own errors (a library's error class, a driver's connection error) into a
   * ToolError; undefined for anything else, which then becomes `internal`.
   */
  mapError?(error: unknown, deps: Deps): ToolError | undefined;
  /** Told to the client at `initialize`: what the server is for (keep it under ~1.5 KB). */
  instructions?: string | ((deps: Deps, config: z.infer<S>) => string);
  /** Registers resources and prompts on the protocol server. */
  extend?(mcp: McpServer, deps: Deps, config: z.infer<S>): void;
  /** Arguments larger than this (as JSON) are refused. @default 1000000 */
  maxInputChars?: number | ((config: z.infer<S>) => number);
}

/** A checked server definition (see defineServer). */
export interface ServerDefinition<S extends EnvSchema = EnvSchema, Deps extends ServerDeps = ServerDeps>
  extends ServerDefinitionInput<S, Deps> {
  /** Toolsets offered when MCP_TOOLSETS is unset. */
  readonly defaultToolsets: readonly string[];
}

/** A definition whose tools are at hand (given as `tools`, or loaded by loadServer). */
export type LoadedServerDefinition<
  S extends EnvSchema = EnvSchema,
  Deps extends ServerDeps = ServerDeps,
> = ServerDefinition<S, Deps> & { readonly tools: readonly AnyTool<Deps>[] };

const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

function fail(name: string, problems: string[]): void {
  if (problems.length > 0) {
    throw new Error(`${name}: invalid server definition:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * Defines a server. Throws at once (at import time, so in every test) when two tools share a
 * name, a tool or toolset name is not snake_case, a tool names a toolset the table lacks, or a
 * toolset has no tools. With `loadTools`, the tool checks run when loadServer loads them (in
 * every test through connectServer, and at build time in the bundle step).
 */
export function defineServer<S extends EnvSchema, Deps extends ServerDeps>(
  definition: ServerDefinitionInput<S, Deps>,
): ServerDefinition<S, Deps> {
  const problems: string[] = [];
  for (const id of Object.keys(definition.toolsets)) {
    if (!SNAKE_CASE.test(id)) problems.push(`toolset "${id}" is not snake_case`);
  }
  if ((definition.tools === undefined) === (definition.loadTools === undefined)) {
    problems.push('give either tools or loadTools');
  }
  if (definition.tools) problems.push(...toolProblems(definition.toolsets, definition.tools));
  fail(definition.name, problems);
  return {
    ...definition,
    defaultToolsets: Object.entries(definition.toolsets)
      .filter(([, info]) => info.default)
      .map(([id]) => id),
  };
}

function toolProblems(toolsets: Toolsets, tools: readonly AnyTool<never>[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const used = new Set<string>();
  for (const tool of tools) {
    if (!SNAKE_CASE.test(tool.name)) problems.push(`tool "${tool.name}" is not snake_case`);
    if (seen.has(tool.name)) problems.push(`tool "${tool.name}" is defined twice`);
    seen.add(tool.name);
    if (!Object.hasOwn(toolsets, tool.toolset)) {
      problems.push(`tool "${tool.name}" names toolset "${tool.toolset}", which is not in the toolset table`);
    }
    used.add(tool.toolset);
  }
  for (const id of Object.keys(toolsets)) {
    if (!used.has(id)) problems.push(`toolset "${id}" has no tools`);
  }
  return problems;
}

const loading = new WeakMap<object, Promise<LoadedServerDefinition>>();

/**
 * The definition with its tools at hand: itself when it was given `tools`, else a copy with the
 * tools `loadTools` brings, checked as defineServer checks them (rejects with the same message).
 * Loads once per definition.
 */
export function loadServer<S extends EnvSchema, Deps extends ServerDeps>(
  definition: ServerDefinition<S, Deps>,
): Promise<LoadedServerDefinition<S, Deps>> {
  const { tools, loadTools } = definition;
  if (tools) return Promise.resolve({ ...definition, tools });
  let loaded = loading.get(definition);
  if (!loaded) {
    loaded = (async () => {
      const module = await loadTools!();
      fail(definition.name, toolProblems(definition.toolsets, module.tools as readonly AnyTool<never>[]));
      return { ...definition, tools: module.tools } as unknown as LoadedServerDefinition;
    })();
    loading.set(definition, loaded);
  }
  return loaded as unknown as Promise<LoadedServerDefinition<S, Deps>>;
}

/** The server-level options the shared MCP_* variables set. */
export function coreOptions(config: CoreConfig) {
  return {
    filter: {
      readOnly: config.MCP_READ_ONLY,
      ...(config.MCP_TOOLSETS ? { toolsets: config.MCP_TOOLSETS } : {}),
      ...(config.MCP_TOOLS ? { tools: config.MCP_TOOLS } : {}),
      ...(config.MCP_EXCLUDE_TOOLS ? { excludeTools: config.MCP_EXCLUDE_TOOLS } : {}),
    },
    outputBudget: config.MCP_MAX_OUTPUT_CHARS,
    validateOutput: config.MCP_VALIDATE_OUTPUT,
  };
}
