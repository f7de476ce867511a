import { existsSync, readFileSync } from 'node:fs';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { z } from 'zod';
import { formatEnvHelp, loadConfig, secretNames, type CoreConfig, type EnvSchema } from './config.js';
import { ConfigError } from './errors.js';
import { createLogger, type Logger } from './logger.js';
import type { ToolFilter } from './server.js';

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

/** Everything the stdio runner needs to know about a server package. */
export interface ServerModule<S extends EnvSchema, Deps extends ServerDeps> {
  /** The npm package name, shown by `--help` and `--version`. */
  name: string;
  version: string;
  /** One paragraph for `--help`. */
  description: string;
  /** The env schema (extends CoreConfigSchema). */
  configSchema: S;
  createDeps(config: z.infer<S>, logger: Logger): Promise<Deps> | Deps;
  createServer(deps: Deps, config: z.infer<S>, logger: Logger): McpServer;
}

/** The tool filter described by the shared MCP_* variables. */
export function toolFilterFromConfig(config: CoreConfig): ToolFilter {
  return {
    readOnly: config.MCP_READ_ONLY,
    ...(config.MCP_TOOLSETS ? { toolsets: config.MCP_TOOLSETS } : {}),
    ...(config.MCP_TOOLS ? { tools: config.MCP_TOOLS } : {}),
    ...(config.MCP_EXCLUDE_TOOLS ? { excludeTools: config.MCP_EXCLUDE_TOOLS } : {}),
  };
}

/** The createMcpServer options the shared MCP_* variables set: tool filter, output budget, output checks. */
export function coreServerOptions(config: CoreConfig): {
  filter: ToolFilter;
  outputBudget: number;
  validateOutput: boolean;
} {
  return {
    filter: toolFilterFromConfig(config),
    outputBudget: config.MCP_MAX_OUTPUT_CHARS,
    validateOutput: config.MCP_VALIDATE_OUTPUT,
  };
}

/**
 * Reads `name` and `version` from the nearest package.json above the calling module, so it works
 * from `src/`, from `dist/` and from a bundle in `dist/bundle/`.
 */
export function readPackageInfo(moduleUrl: string): { name: string; version: string } {
  let dir = new URL('./', moduleUrl);
  for (let depth = 0; depth < 5; depth++) {
    const candidate = new URL('package.json', dir);
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name && pkg.version) return { name: pkg.name, version: pkg.version };
    }
    dir = new URL('../', dir);
  }
  throw new Error(`no package.json with a name and version above ${moduleUrl}`);
}

export interface RunOptions {
  argv?: readonly string[];
  env?: Record<string, string | undefined>;
}

function usage(module: ServerModule<EnvSchema, ServerDeps>): string {
  return [
    `${module.name} ${module.version}`,
    '',
    module.description,
    '',
    `Usage: npx ${module.name} [--help | --version | --check]`,
    '',
    'Runs an MCP server over stdio (stdin/stdout carry the protocol; logs go to stderr).',
    '  --help     this text',
    '  --version  the version',
    '  --check    validate the configuration, probe every dependency, print a report, exit 0 or 1',
    '',
    'Environment variables:',
    formatEnvHelp(module.configSchema),
    '',
  ].join('\n');
}

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const err = (text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);

/**
 * Runs a server over stdio: config → logger → deps → server → transport. Exits 1 with one
 * readable message on stderr for invalid configuration; shuts down cleanly (deps disposed, logs
 * flushed, exit 0) on SIGINT, SIGTERM or the end of stdin. Only the protocol is written to
 * stdout while serving; `--help`, `--version` and `--check` print their answer there and exit.
 */
export async function runStdioServer<S extends EnvSchema, Deps extends ServerDeps>(
  module: ServerModule<S, Deps>,
  options: RunOptions = {},
): Promise<void> {
  const argv = options.argv ?? process.argv.slice(2);
  const env = options.env ?? process.env;
  const mod = module as unknown as ServerModule<EnvSchema, ServerDeps>;
  const flag = argv[0];
  if (
    argv.length > 1 ||
    (flag !== undefined && !['--help', '-h', '--version', '-v', '--check'].includes(flag))
  ) {
    err(`${module.name}: unknown arguments: ${argv.join(' ')}\nRun with --help for usage.`);
    process.exit(1);
  }
  if (flag === '--help' || flag === '-h') {
    out(usage(mod));
    process.exit(0);
  }
  if (flag === '--version' || flag === '-v') {
    out(module.version);
    process.exit(0);
  }

  let config: z.infer<S>;
  try {
    config = loadConfig(module.configSchema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    err(`${module.name}: ${error.message}\nRun with --help for every variable.`);
    if (flag === '--check') out(`configuration: FAIL\n${error.message}`);
    process.exit(1);
  }
  const core = config as CoreConfig;
  // Values of secret variables are scrubbed from every log line.
  const secrets = secretNames(module.configSchema)
    .map((name) => (config as Record<string, unknown>)[name])
    .filter((v): v is string => typeof v === 'string');
  const log = await createLogger({
    name: module.name,
    level: core.MCP_LOG_LEVEL,
    ...(core.MCP_LOG_FILE ? { file: core.MCP_LOG_FILE } : {}),
    secrets,
  });
  const logger = log.logger;

  let deps: Deps;
  try {
    deps = await module.createDeps(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'could not create dependencies');
    err(`${module.name}: could not start: ${error instanceof Error ? error.message : String(error)}`);
    await log.close();
    process.exit(1);
  }

  if (flag === '--check') {
    const results: CheckResult[] = [{ name: 'configuration', ok: true, detail: 'valid' }];
    try {
      results.push(...((await deps.check?.()) ?? []));
    } catch (error) {
      results.push({
        name: 'check',
        ok: false,
        detail: error instanceof Error ? error.message : String(error),
      });
    }
    const ok = results.every((r) => r.ok);
    out(
      [
        `${module.name} ${module.version}`,
        ...results.map((r) => `${r.ok ? 'ok  ' : 'FAIL'}  ${r.name}: ${r.detail}`),
        ok ? 'All checks passed.' : 'Some checks failed.',
      ].join('\n'),
    );
    await deps.dispose?.();
    await log.close();
    process.exit(ok ? 0 : 1);
  }

  let server: McpServer;
  try {
    server = module.createServer(deps, config, logger);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    err(`${module.name}: ${error.message}`);
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
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.stdin.once('end', () => void shutdown('stdin ended'));
  process.stdin.once('close', () => void shutdown('stdin closed'));

  await server.connect(new StdioServerTransport());
  logger.info({ version: module.version }, 'server started on stdio');
}
