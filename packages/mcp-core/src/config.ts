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
});
export type CoreConfig = z.infer<typeof CoreConfigSchema>;

/**
 * Reads typed configuration from the environment. Empty values count as unset (Claude Desktop
 * configs often carry `""`). Throws one ConfigError listing every problem, never a value.
 */
export function loadConfig<S extends EnvSchema>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') input[key] = value;
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
