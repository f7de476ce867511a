import { z } from 'zod';
import { ToolError } from './errors.js';

/** Output fields every bounded list carries: spread into a tool's output schema. */
export const pageInfoShape = {
  truncated: z.boolean().describe('True when more results exist; pass next_cursor to get them'),
  next_cursor: z.string().optional().describe('Opaque cursor for the next page, present when truncated'),
};

/** An opaque cursor for a JSON-able position (base64url of its JSON). */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Reads a cursor made by encodeCursor; a malformed or foreign one is a validation error. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw ToolError.validation('Invalid cursor', 'Pass next_cursor exactly as a previous call returned it.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw ToolError.validation('Invalid cursor', 'Pass next_cursor exactly as a previous call returned it.');
  }
  return parsed.data;
}

/**
 * How many items, from the start, fit in `budget` characters when each is rendered by `measure`
 * (default: its JSON length plus a separator). At least one item is always kept, so a result is
 * never empty only because one item is large. O(n) in the items kept.
 */
export function fitToBudget<T>(items: readonly T[], budget: number, measure?: (item: T) => number): number {
  // The common case, everything fits: one measure of the whole list instead of one per item.
  if (!measure) {
    if (JSON.stringify(items).length <= budget) return items.length;
    measure = (item) => JSON.stringify(item).length + 1;
  }
  let used = 0;
  let count = 0;
  for (const item of items) {
    used += measure(item);
    if (used > budget && count > 0) break;
    count++;
  }
  return count;
}

export interface PageOptions<T> {
  /** A cursor returned by an earlier page; absent for the first page. */
  cursor?: string | undefined;
  /** At most this many items. */
  limit: number;
  /** Size budget in characters (ToolContext.outputBudget). */
  budget: number;
  measure?: (item: T) => number;
}

export interface Page<T> {
  items: T[];
  truncated: boolean;
  next_cursor?: string;
}

/** The `truncated` / `next_cursor` fields of a page, to spread into a tool's output. */
export function pageFields(page: { truncated: boolean; next_cursor?: string | undefined }): {
  truncated: boolean;
  next_cursor?: string;
} {
  return page.next_cursor
    ? { truncated: page.truncated, next_cursor: page.next_cursor }
    : { truncated: page.truncated };
}

const OffsetCursor = z.object({ o: z.number().int().nonnegative() });

/**
 * One page of an in-memory list, bounded by `limit` and by the size budget, with an offset
 * cursor for the next page. `truncated` is true whenever items remain after this page.
 */
export function paginate<T>(all: readonly T[], options: PageOptions<T>): Page<T> {
  const offset = options.cursor ? decodeCursor(options.cursor, OffsetCursor).o : 0;
  const window = all.slice(offset, offset + options.limit);
  const count = fitToBudget(window, options.budget, options.measure);
  const next = offset + count;
  return next < all.length
    ? { items: window.slice(0, count), truncated: true, next_cursor: encodeCursor({ o: next }) }
    : { items: window.slice(0, count), truncated: false };
}
