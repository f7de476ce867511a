import { nodeFs } from './node-builtins.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { z } from 'zod';
import { formatEnvHelp, loadConfig, secretNames, type CoreConfig, type EnvSchema } from './config.js';
import {
  loadServer,
  type CheckResult,
  type LoadedServerDefinition,
  type ServerDefinition,
  type ServerDeps,
} from './define.js';
import { ConfigError } from './errors.js';
import { createLogger } from './logger.js';
import { buildServer, type ListedTool, type ToolSchemas } from './server.js';
import { LineStdioTransport } from './stdio.js';

/**
 * Reads `name` and `version` from the nearest package.json above the calling module, so it works
 * from `src/`, from `dist/` and from a bundle in `dist/bundle/`.
 */
export function readPackageInfo(moduleUrl: string): { name: string; version: string; description: string } {
  let dir = new URL('./', moduleUrl);
  for (let depth = 0; depth < 5; depth++) {
    const candidate = new URL('package.json', dir);
    if (nodeFs().existsSync(candidate)) {
      const pkg = JSON.parse(nodeFs().readFileSync(candidate, 'utf8')) as {
        name?: string;
        version?: string;
        description?: string;
      };
      if (pkg.name && pkg.version) {
        return { name: pkg.name, version: pkg.version, description: pkg.description ?? '' };
      }
    }
    dir = new URL('../', dir);
  }
  throw new Error(`no package.json with a name and version above ${moduleUrl}`);
}

export interface RunOptions {
  argv?: readonly string[];
  env?: Record<string, string | undefined>;
}

/** The toolsets and tools of a definition, as `--help` shows them. */
export function formatToolHelp(definition: LoadedServerDefinition): string {
  const lines: string[] = [];
  for (const [id, info] of Object.entries(definition.toolsets)) {
    lines.push(`  ${id}${info.default ? '  (default)' : ''}\n      ${info.description}`);
    for (const tool of definition.tools.filter((t) => t.toolset === id)) {
      lines.push(`      - ${tool.name}${tool.annotations.readOnlyHint ? '  (read-only)' : ''}`);
    }
  }
  return lines.join('\n');
}

function usage(definition: LoadedServerDefinition): string {
  return [
    `${definition.name} ${definition.version}`,
    '',
    definition.description,
    '',
    `Usage: npx ${definition.name} [-h | --help | -v | --version | --check] [--transport stdio|http]`,
    '',
    'Runs an MCP server over stdio (stdin/stdout carry the protocol; logs go to stderr),',
    'or over Streamable HTTP at /mcp with --transport http (MCP_TRANSPORT=http; MCP_HTTP_* below).',
    '  -h, --help     this text',
    '  -v, --version  the version',
    '  --check        validate the configuration, probe every dependency, print a report, exit 0 or 1',
    '',
    'Toolsets (MCP_TOOLSETS; "(default)" ones are on when it is unset) and their tools:',
    formatToolHelp(definition),
    '',
    'Environment variables:',
    formatEnvHelp(definition.configSchema),
    '',
  ].join('\n');
}

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const err = (text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Values to scrub from every log line: each secret variable's value, except that a URL keeps
 * its host and only its credentials are scrubbed (so `redis://host:6379/0` stays readable).
 */
export function secretValues(schema: EnvSchema, config: Record<string, unknown>): string[] {
  const values: string[] = [];
  for (const name of secretNames(schema)) {
    const value = config[name];
    if (Array.isArray(value)) values.push(...value.filter((v): v is string => typeof v === 'string'));
    if (typeof value !== 'string') continue;
    let url: URL | undefined;
    try {
      url = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? new URL(value) : undefined;
    } catch {
      url = undefined;
    }
    if (!url) {
      values.push(value);
      continue;
    }
    for (const part of [url.password, url.username]) {
      if (part) values.push(part, decodeURIComponent(part));
    }
  }
  return [...new Set(values.filter((v) => v.length > 0))];
}

/**
 * The tool listing the bundle step wrote next to the running bundle (tool-schemas.json, see
 * toolListing), if any and if it is this definition's (same name and version).
 */
function bundledListing(definition: ServerDefinition): ListedTool[] | undefined {
  try {
    const file = new URL('./tool-schemas.json', import.meta.url);
    if (!nodeFs().existsSync(file)) return undefined;
    const saved = JSON.parse(nodeFs().readFileSync(file, 'utf8')) as {
      name?: string;
      version?: string;
      tools?: unknown;
    };
    const mine = saved.name === definition.name && saved.version === definition.version;
    return mine && Array.isArray(saved.tools) ? (saved.tools as ListedTool[]) : undefined;
  } catch {
    return undefined;
  }
}

const schemasOf = (listing: readonly ListedTool[]): ToolSchemas =>
  Object.fromEntries(
    listing.map((t) => [t.name, { inputSchema: t.inputSchema, outputSchema: t.outputSchema }]),
  );

/**
 * Runs a server definition over stdio: config → logger → deps → server → transport. Exits 1 with
 * one readable message on stderr for invalid configuration; shuts down cleanly (deps disposed,
 * logs flushed, exit 0) on SIGINT, SIGTERM or the end of stdin, whatever ran before. Only the
 * protocol is written to stdout while serving; `--help`, `--version` and `--check` print their
 * answer there and exit.
 */
export async function runServer<S extends EnvSchema, Deps extends ServerDeps>(
  definition: ServerDefinition<S, Deps>,
  options: RunOptions = {},
): Promise<void> {
  let argv = options.argv ?? process.argv.slice(2);
  const env = options.env ?? process.env;
  const def = definition as unknown as ServerDefinition;
  let transportFlag: 'stdio' | 'http' | undefined;
  try {
    // The HTTP runner (and the SDK's HTTP transport, which makes Node load its fetch) is loaded
    // only when asked for: a stdio start does not pay for it.
    if (argv.some((a) => a === '--transport' || a.startsWith('--transport='))) {
      const { takeTransportFlag } = await import('./http.js');
      ({ argv, transport: transportFlag } = takeTransportFlag(argv));
    }
  } catch (error) {
    err(`${def.name}: ${message(error)}\nRun with --help for usage.`);
    process.exit(1);
  }
  const flag = argv[0];
  if (
    argv.length > 1 ||
    (flag !== undefined && !['--help', '-h', '--version', '-v', '--check'].includes(flag))
  ) {
    err(`${def.name}: unknown arguments: ${argv.join(' ')}\nRun with --help for usage.`);
    process.exit(1);
  }
  if (flag === '--help' || flag === '-h') {
    out(usage(await loadServer(def)));
    process.exit(0);
  }
  if (flag === '--version' || flag === '-v') {
    out(def.version);
    process.exit(0);
  }
  const checking = flag === '--check';

  let config: z.infer<S>;
  try {
    config = loadConfig(definition.configSchema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // --check reports on stdout only; a serving server says it on stderr only.
    if (checking)
      out(
        `${def.name} ${def.version}\nFAIL  ${error.message.replace(/\n/g, '\n      ')}\nSome checks failed.`,
      );
    else err(`${def.name}: ${error.message}\nRun with --help for every variable.`);
    process.exit(1);
  }
  const core = config as CoreConfig;
  const log = await createLogger({
    name: def.name,
    level: core.MCP_LOG_LEVEL,
    ...(core.MCP_LOG_FILE ? { file: core.MCP_LOG_FILE } : {}),
    secrets: secretValues(definition.configSchema, config as Record<string, unknown>),
  });
  const logger = log.logger;

  let deps: Deps;
  try {
    deps = await definition.createDeps(config, logger);
  } catch (error) {
    if (checking) {
      out(
        `${def.name} ${def.version}\nok    configuration: valid\nFAIL  start: ${message(error)}\nSome checks failed.`,
      );
    } else {
      logger.error({ err: message(error) }, 'could not create dependencies');
      err(`${def.name}: could not start: ${message(error)}`);
    }
    await log.close();
    process.exit(1);
  }

  if (checking) {
    const results: CheckResult[] = [{ name: 'configuration', ok: true, detail: 'valid' }];
    try {
      results.push(...((await deps.check?.()) ?? []));
    } catch (error) {
      results.push({ name: 'check', ok: false, detail: message(error) });
    }
    const ok = results.every((r) => r.ok);
    out(
      [
        `${def.name} ${def.version}`,
        ...results.map((r) => `${r.ok ? 'ok  ' : 'FAIL'}  ${r.name}: ${r.detail}`),
        ok ? 'All checks passed.' : 'Some checks failed.',
      ].join('\n'),
    );
    await deps.dispose?.();
    await log.close();
    process.exit(ok ? 0 : 1);
  }

  const listing = bundledListing(def);
  if ((transportFlag ?? core.MCP_TRANSPORT) === 'http') {
    // A server per request: the tools are loaded once, up front.
    const { runHttp } = await import('./http.js');
    return runHttp({
      definition: await loadServer(definition),
      deps,
      config,
      logger,
      log,
      ...(listing ? { schemas: schemasOf(listing) } : {}),
    });
  }

  let server: McpServer;
  try {
    // With the bundle's listing, initialize and tools/list need no tool module: the tools are
    // loaded at the first call (or right after the first listing). Without it, now.
    server = listing
      ? buildServer(definition, deps, config, logger, listing)
      : buildServer(await loadServer(definition), deps, config, logger);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    err(`${def.name}: ${error.message}`);
    await deps.dispose?.();
    await log.close();
    process.exit(1);
  }

  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    try {
      await server.close();
      await deps.dispose?.();
    } catch (error) {
      logger.error({ err: error }, 'error during shutdown');
    }
    await log.close();
    process.exit(0);
  };
  // `on`, not `once`: a library that re-raises a signal when it is the only listener left (as
  // signal-exit does) must keep seeing ours, however many signals arrive.
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  const transport = new LineStdioTransport();
  transport.onerror = (error) => logger.warn({ err: error.message }, 'stdio');
  await server.connect(transport);
  // The SDK chains onclose; a closed transport (stdin ended) ends the process.
  const closed = transport.onclose;
  transport.onclose = () => {
    closed?.();
    void shutdown('stdin closed');
  };
  logger.info({ version: def.version }, 'server started on stdio');
}
