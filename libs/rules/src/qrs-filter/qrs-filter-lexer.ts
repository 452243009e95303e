import { QrsFilterError } from './qrs-filter.error';

export type QrsTokenKind = 'word' | 'path' | 'string' | 'number' | 'guid' | 'lparen' | 'rparen' | 'comma' | 'eof';

export interface QrsToken {
  readonly kind: QrsTokenKind;
  /** Decoded text: the string value (quotes removed, '' unescaped), the word, the path. */
  readonly text: string;
  /** 0-based offset of the token's first character. */
  readonly position: number;
}

const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![A-Za-z0-9_])/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![A-Za-z0-9_])/y;
const PATH = /[A-Za-z_@][A-Za-z0-9_@]*(?:\.[A-Za-z_@][A-Za-z0-9_@]*)*/y;
const SPACE = /[ \t\r\n]+/y;

/** Tokenises a filter. String content is data, whatever it contains: quotes, `;`, control characters. */
export function tokenizeQrs(text: string): QrsToken[] {
  const tokens: QrsToken[] = [];
  let i = 0;
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(text);
    return m?.[0];
  };
  while (i < text.length) {
    const space = match(SPACE);
    if (space !== undefined) {
      i += space.length;
      continue;
    }
    const ch = text[i] as string;
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma', text: ch, position: i });
      i++;
      continue;
    }
    if (ch === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new QrsFilterError(start, 'unterminated string');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          break;
        }
        value += text[i];
        i++;
      }
      i++;
      tokens.push({ kind: 'string', text: value, position: start });
      continue;
    }
    const guid = match(GUID);
    if (guid !== undefined) {
      tokens.push({ kind: 'guid', text: guid, position: i });
      i += guid.length;
      continue;
    }
    const number = match(NUMBER);
    if (number !== undefined) {
      tokens.push({ kind: 'number', text: number, position: i });
      i += number.length;
      continue;
    }
    const path = match(PATH);
    if (path !== undefined) {
      tokens.push({ kind: path.includes('.') ? 'path' : 'word', text: path, position: i });
      i += path.length;
      continue;
    }
    throw new QrsFilterError(i, `unexpected character ${JSON.stringify(ch)}`);
  }
  tokens.push({ kind: 'eof', text: '', position: text.length });
  return tokens;
}
