import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { loadConfig, type EnvSchema } from '../config.js';
import type { ErrorEnvelope } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import { loadServer, type ServerDefinition, type ServerDeps } from '../define.js';
import { buildServer } from '../server.js';

export { Client };

/** A client connected to a server in memory. `close` closes both ends. */
export interface ConnectedClient {
  client: Client;
  close(): Promise<void>;
}

/**
 * Connects a real MCP client to `server` over an in-memory transport pair, and lists the tools
 * once: from then on the client checks every structured result against the tool's advertised
 * output schema (as the SDK client does), so each test call also tests the schema.
 */
export async function connectInMemory(server: McpServer): Promise<ConnectedClient> {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'test-client', version: '0.0.0' });
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  if (client.getServerCapabilities()?.tools) await client.listTools();
  return {
    client,
    async close() {
      await client.close();
      await server.close();
    },
  };
}

/**
 * Connects a real MCP client over Streamable HTTP to a server in HTTP mode (`--transport http`),
 * sending `headers` (e.g. `authorization`) on every request, and lists the tools once as
 * connectInMemory does. `close` closes the client only.
 */
export async function connectHttp(
  url: string,
  options: { headers?: Record<string, string> } = {},
): Promise<ConnectedClient> {
  const client = new Client({ name: 'test-client', version: '0.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: options.headers ?? {} } }),
  );
  if (client.getServerCapabilities()?.tools) await client.listTools();
  return { client, close: () => client.close() };
}

/** A tool result read back: the structured output, or the error envelope. */
export type ToolOutcome<T = Record<string, unknown>> =
  | { ok: true; data: T; text: string }
  | { ok: false; error: ErrorEnvelope; text: string };

/** Reads a CallToolResult into data or an envelope (the envelope is the JSON text of an error). */
export function readToolResult<T = Record<string, unknown>>(result: CallToolResult): ToolOutcome<T> {
  const text = result.content
    .filter((c): c is { type: 'text'; text: string } => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
  if (result.isError) return { ok: false, error: JSON.parse(text) as ErrorEnvelope, text };
  return { ok: true, data: result.structuredContent as T, text };
}

/** Calls a tool and reads its result (see readToolResult). */
export async function callTool<T = Record<string, unknown>>(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<ToolOutcome<T>> {
  return readToolResult<T>((await client.callTool({ name, arguments: args })) as CallToolResult);
}

/** A server connected to a test client, with the deps it was built with. */
export interface ServerSession<Deps> extends ConnectedClient {
  deps: Deps;
}

/** Options of connectServer. */
export interface ConnectServerOptions<S extends EnvSchema, Deps> {
  /** @default a silent logger */
  logger?: Logger;
  /** Builds the deps instead of the definition's createDeps (e.g. with test timings). */
  createDeps?(config: z.infer<S>, logger: Logger): Promise<Deps> | Deps;
}

/**
 * Builds a server from its definition and `env` as its bin would, and connects a real client in
 * memory. `close()` also disposes the deps. The log is silent unless a logger is given.
 */
export async function connectServer<S extends EnvSchema, Deps extends ServerDeps>(
  definition: ServerDefinition<S, Deps>,
  env: Record<string, string>,
  options: ConnectServerOptions<S, Deps> = {},
): Promise<ServerSession<Deps>> {
  // Loads (and checks) a `loadTools` definition's tools, as the bundle step does at build time.
  const loaded = await loadServer(definition);
  const config = loadConfig(definition.configSchema, env);
  const logger = options.logger ?? (await createLogger({ name: 'test', level: 'silent' })).logger;
  const deps = await (options.createDeps ?? definition.createDeps)(config, logger);
  const session = await connectInMemory(buildServer(loaded, deps, config, logger));
  return {
    ...session,
    deps,
    async close() {
      await session.close();
      await deps.dispose?.();
    },
  };
}
