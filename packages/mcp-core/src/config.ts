import { z } from 'zod';
import { ConfigError } from './errors.js';

/** A zod object whose keys are environment variable names. */
export type EnvSchema = z.ZodObject<z.ZodRawShape>;

const SECRET = 'secret';
const ENV_DEFAULT = 'envDefault';

/** Marks an env var as a secret: its value is never shown by `--help`, `--check` or in errors. */
export function secret<T extends z.ZodType>(schema: T): T {
  return schema.meta({ [SECRET]: true }) as T;
}

/** A boolean env var: accepts true/false, 1/0, yes/no, on/off (any case). */
export function envBoolean(defaultValue: boolean, description: string) {
  // The default is set as metadata too: zod leaves it out of the input JSON schema of a stringbool.
  return z
    .stringbool()
    .default(defaultValue)
    .meta({ description, [ENV_DEFAULT]: defaultValue });
}

/** A comma-separated env var as a list of trimmed, non-empty names. */
export function envList() {
  return z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    )
    .optional();
}

/** The variables every server shares (ARCHITECTURE.md, decision 6). */
export const CoreConfigSchema = z.object({
  MCP_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('warn')
    .describe('Log level of the log written to stderr (and MCP_LOG_FILE)'),
  MCP_LOG_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('Also write the log to this file, rotated at 10 MB, 5 files kept'),
  MCP_READ_ONLY: envBoolean(false, 'Offer only tools that change nothing; wins over every allow list'),
  MCP_TOOLSETS: envList().describe(
    'Comma-separated toolsets to offer ("all" for every one); default: the server\'s default toolsets',
  ),
  MCP_TOOLS: envList().describe(
    'Comma-separated tool names to offer in addition to the toolsets (alone: only these tools)',
  ),
  MCP_EXCLUDE_TOOLS: envList().describe('Comma-separated tool names never to offer'),
  MCP_MAX_OUTPUT_CHARS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(20000)
    .describe('Size budget of one list or search result, in characters of rendered text'),
  MCP_VALIDATE_OUTPUT: envBoolean(
    false,
    'Check every tool result against its output schema before sending it (a self-check that costs time on every call; clients that know the schema check it anyway)',
  ),
  MCP_TRANSPORT: z
    .enum(['stdio', 'http'])
    .default('stdio')
    .describe(
      'How clients reach the server: stdio (one client, the default) or http (Streamable HTTP at /mcp; same as --transport http)',
    ),
  MCP_HTTP_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe(
      'HTTP mode: the address to listen on; beyond loopback (e.g. 0.0.0.0) needs MCP_HTTP_TOKENS or MCP_HTTP_ALLOW_UNAUTHENTICATED',
    ),
  MCP_HTTP_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(3000)
    .describe('HTTP mode: the port to listen on (0: any free port, printed at start)'),
  MCP_HTTP_ALLOWED_HOSTS: envList().describe(
    'HTTP mode: comma-separated Host header values to accept (a name alone accepts any port), e.g. the names a reverse proxy forwards; default: loopback names and MCP_HTTP_HOST (no check when listening on all addresses)',
  ),
  MCP_HTTP_ALLOWED_ORIGINS: envList().describe(
    "HTTP mode: comma-separated browser origins (https://app.example.com) allowed besides the server's own; any other Origin gets 403",
  ),
  MCP_HTTP_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(4 * 1024 * 1024)
    .describe('HTTP mode: the largest request body accepted, in bytes; a larger one gets 413'),
  MCP_HTTP_TOKENS: secret(
    envList().describe(
      'HTTP mode: comma-separated bearer tokens, any of which a client must send as "Authorization: Bearer <token>"; unset: no authentication',
    ),
  ),
  MCP_HTTP_ALLOW_UNAUTHENTICATED: envBoolean(
    false,
    'HTTP mode: allow listening beyond loopback without MCP_HTTP_TOKENS (only behind a proxy that authenticates)',
  ),
  MCP_HTTP_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      "HTTP mode: the URL clients reach the server at, without /mcp (https://mcp.example.com), for the OAuth resource metadata; default: from the request's Host",
    ),
  MCP_HTTP_AUTHORIZATION_SERVERS: envList().describe(
    'HTTP mode: comma-separated OAuth authorization server issuer URLs listed in the protected resource metadata (RFC 9728)',
  ),
  MCP_HTTP_TRUST_PROXY: envBoolean(
    false,
    'HTTP mode: believe X-Forwarded-For/-Proto/-Host (set only behind a reverse proxy that sets them); otherwise they are ignored',
  ),
  MCP_HTTP_SHUTDOWN_SECONDS: z.coerce
    .number()
    .min(0)
    .max(600)
    .default(10)
    .describe(
      'HTTP mode: on SIGTERM/SIGINT, how long in-flight requests may take to finish before their connections are closed',
    ),
  MCP_HTTP_HEAP_GROWTH_PERCENT: z.coerce
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(50)
    .describe(
      "HTTP mode: how far V8 lets the heap grow past what a full GC left live (0: V8's own factor, up to 300%); lower keeps RSS flat under load for more GC time",
    ),
});
export type CoreConfig = z.infer<typeof CoreConfigSchema>;

/**
 * What Claude Desktop passes for an MCP Bundle's optional `user_config` value left empty: the
 * placeholder itself, e.g. `${user_config.GITHUB_API_URL}` (mcpb's loader keeps unknown variables).
 */
const UNFILLED_PLACEHOLDER = /^\$\{user_config\.[^}]*\}$/;

/**
 * Reads typed configuration from the environment. Empty values and unfilled MCP Bundle
 * placeholders (`${user_config.NAME}`) count as unset (Claude Desktop configs often carry `""`).
 * Throws one ConfigError listing every problem, never a value.
 */
export function loadConfig<S extends EnvSchema>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value === undefined || value.trim() === '' || UNFILLED_PLACEHOLDER.test(value.trim())) continue;
    input[key] = value;
  }
  // Parsed once: compiling zod's fast path (jitless: false) would cost more start-up time than it saves.
  const result = schema.safeParse(input, { jitless: true });
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : '(environment)';
      const given = issue.path.length > 0 && input[String(issue.path[0])] !== undefined;
      let message = issue.message;
      if (!given && issue.code === 'invalid_type') message = 'is required';
      else if (issue.code === 'invalid_type' && message.startsWith('Invalid input')) {
        message = `must be ${article(issue.expected)}`;
      }
      return `${where}: ${message}`;
    }),
  );
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/** Names of the variables marked `secret`, read from the schema's metadata (no JSON schema built). */
export function secretNames(schema: EnvSchema): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => (field as z.ZodType).meta()?.[SECRET] === true)
    .map(([name]) => name);
}

/** One env var as documented by its schema. */
export interface EnvVarDoc {
  name: string;
  description: string;
  required: boolean;
  default?: unknown;
  secret: boolean;
}

/** The documentation of every env var in a schema, in declaration order, for `--help`. */
export function describeConfig(schema: EnvSchema): EnvVarDoc[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<
      string,
      { description?: string; default?: unknown; [SECRET]?: boolean; [ENV_DEFAULT]?: unknown }
    >;
    required?: string[];
  };
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, prop]) => {
    const fallback = prop.default ?? prop[ENV_DEFAULT];
    return {
      name,
      description: prop.description ?? '',
      required: required.has(name) && fallback === undefined,
      ...(fallback === undefined ? {} : { default: fallback }),
      secret: prop[SECRET] === true,
    };
  });
}

/** The `--help` text for an env schema. */
export function formatEnvHelp(schema: EnvSchema): string {
  return describeConfig(schema)
    .map((v) => {
      const tags = [
        v.required ? 'required' : v.default === undefined ? 'optional' : `default: ${String(v.default)}`,
        ...(v.secret ? ['secret'] : []),
      ];
      return `  ${v.name}  (${tags.join(', ')})\n      ${v.description}`;
    })
    .join('\n');
}
