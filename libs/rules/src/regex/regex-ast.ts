/** Flat [lo, hi, lo, hi, …] inclusive code point ranges; `negated` flips membership. */
export interface CharClass {
  readonly ranges: readonly number[];
  readonly negated: boolean;
}

export type RegexNode =
  /** A literal code point, stored case-folded (matching is case-insensitive). */
  | { readonly t: 'char'; readonly cp: number }
  | { readonly t: 'any' }
  | { readonly t: 'class'; readonly cls: CharClass }
  | { readonly t: 'bol' }
  | { readonly t: 'eol' }
  | { readonly t: 'seq'; readonly items: readonly RegexNode[] }
  | { readonly t: 'alt'; readonly options: readonly RegexNode[] }
  /** max = Infinity for `*`, `+`, `{m,}`. */
  | { readonly t: 'repeat'; readonly node: RegexNode; readonly min: number; readonly max: number };

export const DIGIT: readonly number[] = [0x30, 0x39];
export const WORD: readonly number[] = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
export const SPACE: readonly number[] = [0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff];
/** `.` excludes line terminators, as in JavaScript. */
export const LINE_TERMINATORS: readonly number[] = [0x0a, 0x0a, 0x0d, 0x0d, 0x2028, 0x2029];

export function inRanges(ranges: readonly number[], cp: number): boolean {
  for (let i = 0; i < ranges.length; i += 2) {
    if (cp >= (ranges[i] as number) && cp <= (ranges[i + 1] as number)) return true;
  }
  return false;
}

/** Simple case folding: the lower-case code point when lower-casing yields exactly one. */
export function foldCase(cp: number): number {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 0x20 : cp;
  const lower = String.fromCodePoint(cp).toLowerCase();
  const folded = lower.codePointAt(0) as number;
  return lower.length === String.fromCodePoint(folded).length ? folded : cp;
}

export function upperCase(cp: number): number {
  if (cp < 0x80) return cp >= 0x61 && cp <= 0x7a ? cp - 0x20 : cp;
  const upper = String.fromCodePoint(cp).toUpperCase();
  const first = upper.codePointAt(0) as number;
  return upper.length === String.fromCodePoint(first).length ? first : cp;
}
