/** A pattern that is not a valid glob (an unterminated or empty class, a reversed range). */
export class GlobSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GlobSyntaxError';
  }
}

type Token =
  | { t: 'char'; c: number }
  | { t: 'any' }
  | { t: 'class'; negate: boolean; chars: Set<number>; ranges: [number, number][] };

/** A parsed glob: its star-free segments, in order (the first and last may be empty), and whether it has a star. */
export interface Glob {
  readonly segments: readonly (readonly Token[])[];
  readonly stars: boolean;
}

const codePoints = (text: string): number[] => Array.from(text, (c) => c.codePointAt(0)!);
const show = (c: number) => String.fromCodePoint(c);

/**
 * Parses a glob with Redis's semantics: `*` any run (also empty), `?` one character, `[abc]` a
 * set, `[^abc]` its complement, `[a-z]` a range, `\x` the character x (also inside a class). A
 * trailing lone `\` stands for itself, as in Redis. Stricter than Redis where Redis silently
 * guesses: an unterminated class (`[ab`), an empty class (`[]`, `[^]`) and a reversed range
 * (`[z-a]`, which Redis swaps) are GlobSyntaxErrors. Characters are Unicode code points (Redis
 * compares bytes, which differs only for `?` and classes on non-ASCII text). O(pattern length).
 */
export function parseGlob(pattern: string): Glob {
  const p = codePoints(pattern);
  const segments: Token[][] = [[]];
  let stars = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === 0x2a /* * */) {
      stars = true;
      if (segments[segments.length - 1]!.length > 0 || segments.length === 1) segments.push([]);
      continue;
    }
    const segment = segments[segments.length - 1]!;
    if (c === 0x3f /* ? */) segment.push({ t: 'any' });
    else if (c === 0x5c /* \ */) segment.push({ t: 'char', c: i + 1 < p.length ? p[++i]! : c });
    else if (c === 0x5b /* [ */) {
      const start = i;
      let j = i + 1;
      const negate = p[j] === 0x5e; /* ^ */
      if (negate) j++;
      const chars = new Set<number>();
      const ranges: [number, number][] = [];
      let closed = false;
      // The same scan as Redis's stringmatchlen: `\` escapes, `]` closes, `x-y` is a range.
      for (; j < p.length; j++) {
        if (p[j] === 0x5c && j + 1 < p.length) chars.add(p[++j]!);
        else if (p[j] === 0x5d /* ] */) {
          closed = true;
          break;
        } else if (j + 2 < p.length && p[j + 1] === 0x2d /* - */) {
          const [from, to] = [p[j]!, p[j + 2]!];
          if (to === 0x5d) {
            throw new GlobSyntaxError(
              `In "${pattern}", ${show(from)}-] is a range up to ] (as Redis reads it); write \\- for a literal -`,
            );
          }
          if (from > to) {
            throw new GlobSyntaxError(
              `The range ${show(from)}-${show(to)} in "${pattern}" is reversed; write ${show(to)}-${show(from)}`,
            );
          }
          ranges.push([from, to]);
          j += 2;
        } else chars.add(p[j]!);
      }
      const text = String.fromCodePoint(...p.slice(start, j + 1));
      if (!closed) {
        throw new GlobSyntaxError(
          `The class starting at "${text}" in "${pattern}" has no closing ]; write \\[ for a literal [`,
        );
      }
      if (chars.size === 0 && ranges.length === 0) {
        throw new GlobSyntaxError(`The class ${text} in "${pattern}" lists no character`);
      }
      segment.push({ t: 'class', negate, chars, ranges });
      i = j;
    } else segment.push({ t: 'char', c });
  }
  return { segments: stars ? segments : [segments[0]!], stars };
}

function matchOne(token: Token, c: number): boolean {
  if (token.t === 'any') return true;
  if (token.t === 'char') return token.c === c;
  const hit = token.chars.has(c) || token.ranges.some(([from, to]) => c >= from && c <= to);
  return hit !== token.negate;
}

function matchAt(segment: readonly Token[], text: readonly number[], at: number): boolean {
  for (let k = 0; k < segment.length; k++) if (!matchOne(segment[k]!, text[at + k]!)) return false;
  return true;
}

/**
 * Whether `text` matches the glob as a whole. Never backtracks past a star: the segment before
 * the first star must match at the start, the one after the last star at the end, and each one
 * between at its leftmost place after the previous one (the leftmost place leaves the most room
 * for the rest, so it is never wrong). Cost O(text length × longest segment), whatever the
 * number of stars.
 */
export function matchGlob(glob: Glob, value: string): boolean {
  const text = codePoints(value);
  const { segments } = glob;
  if (!glob.stars) {
    const only = segments[0]!;
    return only.length === text.length && matchAt(only, text, 0);
  }
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  if (first.length + last.length > text.length) return false;
  if (!matchAt(first, text, 0) || !matchAt(last, text, text.length - last.length)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let s = 1; s < segments.length - 1; s++) {
    const segment = segments[s]!;
    let found = -1;
    for (let i = at; i + segment.length <= end; i++) {
      if (matchAt(segment, text, i)) {
        found = i;
        break;
      }
    }
    if (found < 0) return false;
    at = found + segment.length;
  }
  return true;
}

/** Escapes glob characters so a namespace is matched literally in a SCAN pattern. */
export const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');
