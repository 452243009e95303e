import { RuleParseError } from '../rule-parse.error';
import type { SourcePos } from './condition-ast';

export type TokenKind = 'ident' | 'string' | 'op' | 'dot' | 'lparen' | 'rparen' | 'comma' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier text, decoded string value, or operator spelling. */
  readonly text: string;
  readonly pos: SourcePos;
}

/** Longest operators first so `!==` is not read as `!=` `=`. */
const OPERATORS = ['!==', '==', '!=', '&&', '||', '=', '!'];
const IDENT_START = /[\p{L}_@]/u;
const IDENT_PART = /[\p{L}\p{N}_]/u;

/**
 * Tokenises a condition. Strings are double-quoted; inside them only `\"` and `\\` are escapes —
 * any other backslash stays as written, so regex text like "\d+" reaches `matches` untouched.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (at: number): SourcePos => ({ line, column: at - lineStart + 1 });
  const fail = (at: number, message: string): never => {
    throw new RuleParseError(line, at - lineStart + 1, message);
  };

  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (ch === '"') {
      let value = '';
      i++;
      for (;;) {
        const c = text[i];
        if (c === undefined || c === '\n') fail(start, 'unterminated string literal');
        if (c === '"') break;
        if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      i++;
      tokens.push({ kind: 'string', text: value, pos: pos(start) });
      continue;
    }
    if (ch === '.') tokens.push({ kind: 'dot', text: '.', pos: pos(i++) });
    else if (ch === '(') tokens.push({ kind: 'lparen', text: '(', pos: pos(i++) });
    else if (ch === ')') tokens.push({ kind: 'rparen', text: ')', pos: pos(i++) });
    else if (ch === ',') tokens.push({ kind: 'comma', text: ',', pos: pos(i++) });
    else if (IDENT_START.test(ch)) {
      i++;
      while (i < text.length && IDENT_PART.test(text[i] as string)) i++;
      if (ch === '@' && i === start + 1) fail(start, "'@' must be followed by a custom property name");
      tokens.push({ kind: 'ident', text: text.slice(start, i), pos: pos(start) });
    } else {
      const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
      if (op === undefined) {
        const shown = ch === '&' || ch === '|' ? `'${ch}' (use '${ch}${ch}')` : JSON.stringify(ch);
        fail(i, `unexpected character ${shown}`);
      } else {
        tokens.push({ kind: 'op', text: op, pos: pos(i) });
        i += op.length;
      }
    }
  }
  tokens.push({ kind: 'eof', text: '', pos: pos(i) });
  return tokens;
}
