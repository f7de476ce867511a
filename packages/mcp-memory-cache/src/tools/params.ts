import { z, jsonish, ToolError } from '@org/mcp-core';
import { GlobSyntaxError, parseGlob } from '../backends/glob.js';
import type { Deps } from '../deps.js';

export const Key = z.string().min(1).max(1024).describe('Key within the namespace (1 to 1,024 characters)');
export const Keys = jsonish(z.array(Key).min(1).max(1000)).describe(
  'Keys, as an array or a JSON string of one (1 to 1,000)',
);
export const Ttl = z
  .number()
  .int()
  .min(1)
  .max(10 * 365 * 24 * 3600)
  .describe('Time to live in seconds');
export const Value = z
  .unknown()
  .refine((v) => v !== undefined, 'is required')
  .describe('Any JSON value; it comes back exactly as given (a string stays a string)');
export const Pattern = z
  .string()
  .min(1)
  .max(256)
  .superRefine((pattern, ctx) => {
    // Checked here, so neither backend ever receives a malformed glob.
    try {
      parseGlob(pattern);
    } catch (error) {
      if (!(error instanceof GlobSyntaxError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
    }
  })
  .describe(
    'Glob within the namespace, as in Redis: * any run, ? one character, [abc] a set, [a-z] a range, [^a] any other character, \\x a literal x',
  );

/**
 * Refuses an object with an own `__proto__` key before `schema` sees it: zod leaves that key out
 * of a parsed record while reporting success, so it would be lost without a word.
 */
export function refusingProtoKey<T extends z.ZodType>(schema: T, message: string) {
  return z.preprocess((value, ctx) => {
    if (typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__'))
      ctx.addIssue({ code: 'custom', message });
    return value;
  }, schema);
}

/** JSON text of a value, refused past CACHE_MAX_VALUE_BYTES. */
export function encode(value: unknown, deps: Deps, key: string): string {
  const text = JSON.stringify(value);
  const bytes = Buffer.byteLength(text);
  if (bytes > deps.config.CACHE_MAX_VALUE_BYTES) {
    throw ToolError.validation(
      `The value for "${key}" is ${bytes} bytes; the limit is ${deps.config.CACHE_MAX_VALUE_BYTES} (CACHE_MAX_VALUE_BYTES)`,
    );
  }
  return text;
}

export const decode = (text: string): unknown => JSON.parse(text);
export const ttlMs = (seconds: number | undefined, deps: Deps) => {
  const s = seconds ?? deps.config.CACHE_DEFAULT_TTL_SECONDS;
  return s === undefined ? undefined : s * 1000;
};
export const toSeconds = (ms: number) => (ms < 0 ? ms : Math.ceil(ms / 1000));
