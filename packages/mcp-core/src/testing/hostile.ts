// Randomized hostile tool calls derived from each tool's advertised input schema (issue 18): a
// fixed seed makes a run repeatable, a call budget keeps it bounded. What it asserts holds for every
// server: the process answers (ping) after every call, every answer is a result or a well-formed
// error envelope without a stack trace or a path, nothing rejected changes what the caller says is
// stored, and no call pollutes Object.prototype.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { ERROR_TYPES } from '../errors.js';

/** The JSON Schema subset our tool inputs use (draft-7 from zod). */
interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
}

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same calls. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

const nested = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { n: value };
  return value;
};

/** Values no tool should choke on, whatever the parameter. JSON-safe: they travel as JSON. */
const HOSTILE: readonly (() => unknown)[] = [
  () => null,
  () => true,
  () => 0,
  () => -1,
  () => 1.5,
  () => 1e308,
  () => -1e308,
  () => 2 ** 53 + 2,
  () => '',
  () => ' ',
  () => '\u0000',
  () => '\ud800',
  () => 'a\udfffb',
  () => '💥'.repeat(500),
  () => '../../../../etc/passwd',
  () => '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  () => 'C:\\Windows\\System32',
  () => '*a*a*a*a*a*a*a*a*a*a*a*a*b',
  () => '[z-a]',
  () => '\\',
  () => `'; DROP TABLE x; --`,
  () => '" OR 1=1 OR "',
  () => '<script>alert(1)</script>',
  () => '${7*7}{{constructor.constructor("return process")()}}',
  () => 'http://127.0.0.1:1/',
  () => 'http://169.254.169.254/latest/meta-data/',
  () => 'http://0x7f000001/',
  () => 'http://[::ffff:127.0.0.1]/',
  () => 'file:///etc/passwd',
  () => 'javascript:alert(1)',
  () => 'x\r\nX-Injected: 1',
  () => 'x'.repeat(20_000),
  () => [],
  () => [null],
  () => Array.from({ length: 300 }, (_, i) => `item-${i}`),
  () => ({}),
  () => JSON.parse('{"__proto__":{"polluted":"yes"},"a":1}') as unknown,
  () => ({ constructor: { prototype: { polluted: 'yes' } } }),
  () => nested(70),
  () => nested(3000),
];

/** A plausible valid value for `schema` (bounded in size); `known` supplies values by property name. */
function plausible(schema: Schema, rng: Rng, known: Record<string, readonly unknown[]>, depth = 0): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return pick(rng, schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union?.length) return plausible(pick(rng, union), rng, known, depth);
  const type = Array.isArray(schema.type) ? pick(rng, schema.type) : schema.type;
  switch (type) {
    case 'string':
      return pick(rng, ['a', 'test', 'hello world', 'x-1', 'Value']);
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum ?? 0) + 1;
      const max = schema.maximum ?? min + 10;
      const n = min + Math.floor(rng() * Math.min(10, Math.max(1, max - min + 1)));
      return Math.min(n, max);
    }
    case 'boolean':
      return rng() < 0.5;
    case 'array': {
      const count = Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, Math.floor(rng() * 3)));
      return depth > 4
        ? []
        : Array.from({ length: count }, () => plausible(schema.items ?? {}, rng, known, depth + 1));
    }
    case 'object':
      return depth > 4 ? {} : plausibleObject(schema, rng, known, depth + 1);
    case 'null':
      return null;
    default:
      return 'x';
  }
}

function plausibleObject(
  schema: Schema,
  rng: Rng,
  known: Record<string, readonly unknown[]>,
  depth: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (!required.has(name) && rng() < 0.5) continue;
    const options = known[name];
    out[name] = options?.length && rng() < 0.8 ? pick(rng, options) : plausible(property, rng, known, depth);
  }
  return out;
}

/**
 * What a fake API accepted that changes state: the requests other than GET and HEAD (and other than
 * `reads`, e.g. searches sent as POST) that it answered below 400, as comparable text. A vendor
 * server's `snapshot` for runHostileCalls.
 */
export function acceptedWrites(
  requests: readonly { method: string; path: string; status?: number }[],
  reads?: RegExp,
): string {
  return requests
    .filter((r) => !['GET', 'HEAD'].includes(r.method) && !reads?.test(r.path) && (r.status ?? 0) < 400)
    .map((r) => `${r.method} ${r.path}`)
    .join('\n');
}

/** One hostile call: what was sent, and which mutation made it hostile. */
export interface HostileCall {
  tool: string;
  mutation: string;
  args: Record<string, unknown>;
}

/**
 * `count` calls for a tool: mostly plausible arguments with one hostile change (a property
 * replaced by a hostile value, a required property dropped, an unknown or `__proto__` property
 * added, every string made a lone surrogate), some left plausible so state-changing paths run too.
 */
export function hostileCalls(
  tool: Pick<Tool, 'name' | 'inputSchema'>,
  count: number,
  rng: Rng,
  known: Record<string, readonly unknown[]> = {},
): HostileCall[] {
  const schema = tool.inputSchema as Schema;
  const names = Object.keys(schema.properties ?? {});
  const calls: HostileCall[] = [];
  for (let i = 0; i < count; i++) {
    const args = plausibleObject(schema, rng, known, 0);
    const roll = rng();
    let mutation: string;
    if (roll < 0.15) {
      mutation = 'plausible';
    } else if (roll < 0.7 && names.length > 0) {
      const name = pick(rng, names);
      const index = Math.floor(rng() * HOSTILE.length);
      args[name] = HOSTILE[index]!();
      mutation = `${name} = hostile #${index}`;
    } else if (roll < 0.78 && (schema.required ?? []).length > 0) {
      const name = pick(rng, schema.required!);
      delete args[name];
      mutation = `without ${name}`;
    } else if (roll < 0.86) {
      args['constructor'] = { prototype: { polluted: 'yes' } };
      Object.defineProperty(args, '__proto__', {
        value: { polluted: 'yes' },
        enumerable: true,
        configurable: true,
        writable: true,
      });
      mutation = 'extra __proto__ and constructor';
    } else if (roll < 0.93) {
      for (const name of Object.keys(args)) if (typeof args[name] === 'string') args[name] = '\udc00';
      mutation = 'strings as lone surrogates';
    } else {
      args[`unknown_${Math.floor(rng() * 1000)}`] = nested(10);
      mutation = 'unknown property';
    }
    calls.push({
      tool: tool.name,
      mutation,
      args: JSON.parse(JSON.stringify(args)) as Record<string, unknown>,
    });
  }
  return calls;
}

/** Why an answer is not a result or a well-formed envelope (undefined when it is fine). */
export function answerProblem(result: CallToolResult): string | undefined {
  const text = result.content
    .filter((c): c is { type: 'text'; text: string } => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
  if (/\n\s+at .+:\d+:\d+/.test(text) || text.includes('node_modules') || text.includes(process.cwd())) {
    return `a stack trace or a server path in the answer: ${text.slice(0, 300)}`;
  }
  if (!result.isError) {
    return result.structuredContent && typeof result.structuredContent === 'object'
      ? undefined
      : 'a result without structuredContent';
  }
  let envelope: { type?: unknown; error?: unknown; retryable?: unknown };
  try {
    envelope = JSON.parse(text) as typeof envelope;
  } catch {
    return `an error whose text is not the JSON envelope: ${text.slice(0, 300)}`;
  }
  if (!(ERROR_TYPES as readonly unknown[]).includes(envelope.type))
    return `unknown error type ${String(envelope.type)}`;
  if (typeof envelope.error !== 'string' || envelope.error.length === 0)
    return 'an envelope without a message';
  if (typeof envelope.retryable !== 'boolean') return 'an envelope without retryable';
  return undefined;
}

function errorType(result: CallToolResult): string {
  const text = result.content.find((c) => c.type === 'text')?.text ?? '';
  try {
    return String((JSON.parse(text) as { type?: unknown }).type);
  } catch {
    return 'unparsed';
  }
}

export interface HostileRunOptions {
  seed: number;
  /** Calls per tool. */
  callsPerTool: number;
  /** Values to use for properties by name (ids that exist, so calls reach deeper code). */
  known?: Record<string, readonly unknown[]>;
  /** Tools to leave out (by name). */
  skip?: readonly string[];
  /** A call (or ping) not answered within this is a problem. @default 15000 */
  timeoutMs?: number;
  /** What is stored, as a comparable string; compared before and after every rejected call. */
  snapshot?: () => Promise<string> | string;
}

export interface HostileReport {
  calls: number;
  accepted: number;
  rejected: number;
  /** Error types seen, with counts. */
  types: Record<string, number>;
  /** Every violation found, with the call that caused it. Empty when the server held. */
  problems: string[];
}

/** Lists the client's tools and sends each its hostile calls, one at a time, checking every answer. */
export async function runHostileCalls(client: Client, options: HostileRunOptions): Promise<HostileReport> {
  const rng = seededRandom(options.seed);
  const timeout = options.timeoutMs ?? 15_000;
  const report: HostileReport = { calls: 0, accepted: 0, rejected: 0, types: {}, problems: [] };
  const { tools } = await client.listTools();
  for (const tool of tools) {
    if (options.skip?.includes(tool.name)) continue;
    for (const call of hostileCalls(tool, options.callsPerTool, rng, options.known)) {
      const where = `${call.tool} (${call.mutation})`;
      const before = await options.snapshot?.();
      let result: CallToolResult;
      try {
        result = (await client.callTool({ name: call.tool, arguments: call.args }, undefined, {
          timeout,
        })) as CallToolResult;
      } catch (error) {
        report.problems.push(
          `${where}: no answer: ${error instanceof Error ? error.message : String(error)}`,
        );
        continue;
      } finally {
        report.calls++;
      }
      const problem = answerProblem(result);
      if (problem) report.problems.push(`${where}: ${problem}`);
      if (result.isError) {
        report.rejected++;
        const type = errorType(result);
        report.types[type] = (report.types[type] ?? 0) + 1;
        if (options.snapshot && (await options.snapshot()) !== before) {
          report.problems.push(`${where}: rejected, yet what is stored changed`);
        }
      } else {
        report.accepted++;
      }
      try {
        await client.ping({ timeout });
      } catch {
        report.problems.push(`${where}: the server stopped answering ping`);
        return report;
      }
      if (({} as Record<string, unknown>)['polluted'] !== undefined) {
        report.problems.push(`${where}: Object.prototype was polluted`);
        delete (Object.prototype as Record<string, unknown>)['polluted'];
      }
    }
  }
  return report;
}
