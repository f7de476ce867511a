import { z } from 'zod';
import { decodeCursor, encodeCursor, fitToBudget, paginate } from './budget.js';
import { ToolError } from './errors.js';

describe('fitToBudget', () => {
  it('keeps items while their rendered size fits, and always at least one', () => {
    const items = ['aaaa', 'bbbb', 'cccc'];
    expect(fitToBudget(items, 14)).toBe(2); // each is 6 + 1
    expect(fitToBudget(items, 1000)).toBe(3);
    expect(fitToBudget(items, 21)).toBe(3); // exactly the budget
    expect(fitToBudget(items, 20)).toBe(2);
    expect(fitToBudget(items, 14, () => 5)).toBe(2); // a custom measure
    expect(fitToBudget(['x'.repeat(500)], 10)).toBe(1);
    expect(fitToBudget([], 10)).toBe(0);
  });
});

describe('paginate', () => {
  it('is bounded by limit and by budget and marks truncation', () => {
    const all = Array.from({ length: 50 }, (_, i) => i);
    const first = paginate(all, { limit: 10, budget: 10_000 });
    expect(first.items).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(first.truncated).toBe(true);
    const second = paginate(all, { limit: 10, budget: 10_000, cursor: first.next_cursor });
    expect(second.items[0]).toBe(10);
    const tight = paginate(all, { limit: 50, budget: 9 });
    expect(tight.items).toEqual([0, 1, 2, 3]); // 2 characters each: '0' and a separator
    const last = paginate(all, { limit: 100, budget: 10_000, cursor: encodeCursor({ o: 45 }) });
    expect(last).toEqual({ items: [45, 46, 47, 48, 49], truncated: false });
  });
});

describe('cursors', () => {
  it('round-trip and refuse anything malformed with a validation error', () => {
    const schema = z.object({ o: z.number() });
    expect(decodeCursor(encodeCursor({ o: 7 }), schema)).toEqual({ o: 7 });
    for (const bad of ['%%%', encodeCursor({ p: 1 }), encodeCursor('x'), '']) {
      expect(() => decodeCursor(bad, schema)).toThrow(ToolError);
    }
  });
});
