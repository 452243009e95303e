import { RulesError, RulesErrorCode } from '../rules.error';
import type { CharClass, RegexNode } from './regex-ast';
import { DIGIT, SPACE, WORD, foldCase } from './regex-ast';

/**
 * The supported subset, documented because a pattern outside it is a compile error:
 *   literals, `.`, classes `[a-z]` `[^…]` (with `\d \w \s` inside), `\d \w \s \D \W \S`,
 *   escapes `\n \t \r \f \v \0` and `\` + any punctuation, quantifiers `* + ?` (a trailing lazy `?`
 *   is accepted and irrelevant for a full match), `{m}` `{m,}` `{m,n}` (m, n ≤ 1000), alternation `|`,
 *   groups `( )` and `(?: )`, anchors `^ $` (redundant: matches are anchored at both ends).
 * Not supported: back-references, look-around, named groups, `\b`, unicode escapes, flags.
 */
export const REGEX_LIMITS = { maxPatternLength: 1_000, maxGroupDepth: 32, maxRepeat: 1_000 } as const;

export function parseRegex(pattern: string): RegexNode {
  if (pattern.length > REGEX_LIMITS.maxPatternLength) {
    throw new RulesError(RulesErrorCode.UNSUPPORTED_REGEX, `pattern longer than ${REGEX_LIMITS.maxPatternLength} characters`);
  }
  const parser = new RegexParser(Array.from(pattern, (ch) => ch.codePointAt(0) as number));
  const node = parser.parseAlt(0);
  if (!parser.atEnd()) parser.fail("unbalanced ')'");
  return node;
}

const ch = (c: string): number => c.charCodeAt(0);

class RegexParser {
  private i = 0;

  constructor(private readonly cps: readonly number[]) {}

  atEnd(): boolean {
    return this.i >= this.cps.length;
  }

  fail(message: string): never {
    throw new RulesError(RulesErrorCode.UNSUPPORTED_REGEX, `${message} at offset ${this.i}`);
  }

  parseAlt(depth: number): RegexNode {
    const options = [this.parseSeq(depth)];
    while (this.cps[this.i] === ch('|')) {
      this.i++;
      options.push(this.parseSeq(depth));
    }
    return options.length === 1 ? (options[0] as RegexNode) : { t: 'alt', options };
  }

  private parseSeq(depth: number): RegexNode {
    const items: RegexNode[] = [];
    while (!this.atEnd() && this.cps[this.i] !== ch('|') && this.cps[this.i] !== ch(')')) {
      const atom = this.parseAtom(depth);
      items.push(this.parseQuantifier(atom));
    }
    return items.length === 1 ? (items[0] as RegexNode) : { t: 'seq', items };
  }

  private parseAtom(depth: number): RegexNode {
    const c = this.cps[this.i] as number;
    this.i++;
    switch (c) {
      case ch('('): {
        if (depth + 1 > REGEX_LIMITS.maxGroupDepth) this.fail('groups nested too deeply');
        if (this.cps[this.i] === ch('?')) {
          if (this.cps[this.i + 1] !== ch(':')) this.fail('look-around and named groups are not supported');
          this.i += 2;
        }
        const inner = this.parseAlt(depth + 1);
        if (this.cps[this.i] !== ch(')')) this.fail("missing ')'");
        this.i++;
        return inner;
      }
      case ch('['):
        return { t: 'class', cls: this.parseClass() };
      case ch('.'):
        return { t: 'any' };
      case ch('^'):
        return { t: 'bol' };
      case ch('$'):
        return { t: 'eol' };
      case ch('\\'):
        return this.parseEscape();
      case ch('*'):
      case ch('+'):
      case ch('?'):
      case ch('{'):
        this.i--;
        return this.fail('nothing to repeat');
      case ch(']'):
      case ch('}'):
        this.i--;
        return this.fail(`escape '${String.fromCharCode(c)}' as '\\${String.fromCharCode(c)}'`);
      default:
        return { t: 'char', cp: foldCase(c) };
    }
  }

  private parseQuantifier(atom: RegexNode): RegexNode {
    const c = this.cps[this.i];
    let min: number;
    let max: number;
    if (c === ch('*')) [min, max] = [0, Infinity];
    else if (c === ch('+')) [min, max] = [1, Infinity];
    else if (c === ch('?')) [min, max] = [0, 1];
    else if (c === ch('{')) [min, max] = this.parseBraces();
    else return atom;
    if (c !== ch('{')) this.i++;
    if (atom.t === 'bol' || atom.t === 'eol') this.fail('an anchor cannot be repeated');
    if (this.cps[this.i] === ch('?')) this.i++; // lazy: same result for a full match
    const next = this.cps[this.i];
    if (next === ch('*') || next === ch('+') || next === ch('?') || next === ch('{')) this.fail('nothing to repeat');
    return { t: 'repeat', node: atom, min, max };
  }

  private parseBraces(): [number, number] {
    this.i++; // '{'
    const min = this.parseNumber();
    let max = min;
    if (this.cps[this.i] === ch(',')) {
      this.i++;
      max = this.cps[this.i] === ch('}') ? Infinity : this.parseNumber();
    }
    if (this.cps[this.i] !== ch('}')) this.fail("malformed {m,n} quantifier");
    this.i++;
    if (max < min) this.fail('{m,n} with n < m');
    return [min, max];
  }

  private parseNumber(): number {
    const start = this.i;
    while ((this.cps[this.i] ?? 0) >= 0x30 && (this.cps[this.i] ?? 0) <= 0x39) this.i++;
    if (this.i === start || this.i - start > 4) this.fail('expected a repeat count');
    const value = Number(String.fromCodePoint(...this.cps.slice(start, this.i)));
    if (value > REGEX_LIMITS.maxRepeat) this.fail(`repeat count above ${REGEX_LIMITS.maxRepeat}`);
    return value;
  }

  private parseEscape(): RegexNode {
    const c = this.cps[this.i];
    if (c === undefined) this.fail('pattern ends with a backslash');
    this.i++;
    const shorthand = SHORTHANDS.get(c);
    if (shorthand) return { t: 'class', cls: shorthand };
    return { t: 'char', cp: foldCase(this.escapedLiteral(c)) };
  }

  /** `\n`-style control escapes and `\` + punctuation; letters and digits otherwise are refused
   *  (they would mean back-references or assertions we do not implement). */
  private escapedLiteral(c: number): number {
    const control = CONTROL_ESCAPES.get(c);
    if (control !== undefined) return control;
    const isAlnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (isAlnum) {
      this.i--;
      this.fail(`unsupported escape '\\${String.fromCodePoint(c)}'`);
    }
    return c;
  }

  private parseClass(): CharClass {
    let negated = false;
    if (this.cps[this.i] === ch('^')) {
      negated = true;
      this.i++;
    }
    const ranges: number[] = [];
    let first = true;
    for (;;) {
      const c = this.cps[this.i];
      if (c === undefined) this.fail("missing ']'");
      if (c === ch(']') && !first) break;
      if (c === ch(']')) this.fail("empty class: escape ']' as '\\]'");
      first = false;
      const lo = this.classAtom(ranges);
      if (lo === null) continue;
      if (this.cps[this.i] === ch('-') && this.cps[this.i + 1] !== undefined && this.cps[this.i + 1] !== ch(']')) {
        this.i++;
        const hi = this.classAtom(ranges);
        if (hi === null) this.fail('a class shorthand cannot end a range');
        if (hi < lo) this.fail('range out of order');
        ranges.push(lo, hi);
      } else {
        ranges.push(lo, lo);
      }
    }
    this.i++;
    return { ranges, negated };
  }

  /** One class member: a code point, or null after appending a shorthand's ranges. */
  private classAtom(ranges: number[]): number | null {
    const c = this.cps[this.i] as number;
    this.i++;
    if (c !== ch('\\')) return c;
    const e = this.cps[this.i];
    if (e === undefined) this.fail('pattern ends with a backslash');
    this.i++;
    if (e === ch('d') || e === ch('w') || e === ch('s')) {
      ranges.push(...(e === ch('d') ? DIGIT : e === ch('w') ? WORD : SPACE));
      return null;
    }
    if (e === ch('D') || e === ch('W') || e === ch('S')) this.fail('negated shorthands are not supported inside a class');
    if (e === ch('b')) return 0x08;
    return this.escapedLiteral(e);
  }
}

const SHORTHANDS = new Map<number, CharClass>([
  [ch('d'), { ranges: DIGIT, negated: false }],
  [ch('w'), { ranges: WORD, negated: false }],
  [ch('s'), { ranges: SPACE, negated: false }],
  [ch('D'), { ranges: DIGIT, negated: true }],
  [ch('W'), { ranges: WORD, negated: true }],
  [ch('S'), { ranges: SPACE, negated: true }],
]);

const CONTROL_ESCAPES = new Map<number, number>([
  [ch('n'), 0x0a],
  [ch('t'), 0x09],
  [ch('r'), 0x0d],
  [ch('f'), 0x0c],
  [ch('v'), 0x0b],
  [ch('0'), 0x00],
]);
