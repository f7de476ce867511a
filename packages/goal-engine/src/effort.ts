/** Hours per unit: a day is 8 working hours, a week 5 working days. */
const UNIT_HOURS: Record<string, number> = { m: 1 / 60, h: 1, d: 8, w: 40 };
const PART = /(\d+(?:\.\d+)?)\s*(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w)/gy;

/**
 * Parses an effort estimate into hours: `30m`, `4h`, `2d` (8 h a day), `1w` (40 h a week),
 * combinations such as `1d 4h`, or a plain number of hours (`6`, `1.5`). Returns null for
 * anything else (and for an empty string). O(length).
 */
export function parseEffort(text: string | number | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : null;
  const s = text.trim().toLowerCase();
  if (s === '') return null;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  let hours = 0;
  let pos = 0;
  let parts = 0;
  while (pos < s.length) {
    while (s[pos] === ' ') pos++;
    if (pos >= s.length) break;
    PART.lastIndex = pos;
    const match = PART.exec(s);
    if (!match) return null;
    hours += Number(match[1]) * UNIT_HOURS[match[2]![0]!]!;
    pos = PART.lastIndex;
    parts++;
  }
  return parts > 0 ? hours : null;
}
