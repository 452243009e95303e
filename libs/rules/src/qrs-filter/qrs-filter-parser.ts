import type { QrsFilterExpr, QrsOp, QrsValue } from './qrs-filter-ast';
import { QRS_OPS } from './qrs-filter-ast';
import { QrsFilterError } from './qrs-filter.error';
import type { QrsToken } from './qrs-filter-lexer';
import { tokenizeQrs } from './qrs-filter-lexer';

/** A filter arrives in a query string: bound it before it can cost anything. */
export const QRS_FILTER_LIMITS = { maxLength: 4_096, maxDepth: 32, maxComparisons: 128, maxPathSegments: 8 } as const;

/**
 * `name eq 'Sales' and stream.name eq 'Everyone'`: comparisons `path op literal`, `and`, `or`,
 * `not`, parentheses. Words (operators, and/or/not, true/false/null) are case-insensitive.
 * Errors carry the 0-based position; nesting is bounded before recursing, so
 * `((((…` of any length is a clean error, never a stack overflow.
 */
export function parseQrsFilter(text: string): QrsFilterExpr {
  if (typeof text !== 'string') throw new QrsFilterError(0, 'filter must be a string');
  if (text.length > QRS_FILTER_LIMITS.maxLength) throw new QrsFilterError(QRS_FILTER_LIMITS.maxLength, `filter longer than ${QRS_FILTER_LIMITS.maxLength} characters`);
  const parser = new QrsParser(tokenizeQrs(text));
  const expr = parser.parseOr();
  parser.expectEnd();
  return expr;
}

class QrsParser {
  private i = 0;
  private depth = 0;
  private comparisons = 0;

  constructor(private readonly tokens: readonly QrsToken[]) {}

  parseOr(): QrsFilterExpr {
    const operands = [this.parseAnd()];
    while (this.isWord('or')) {
      this.i++;
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? (operands[0] as QrsFilterExpr) : { kind: 'or', operands };
  }

  private parseAnd(): QrsFilterExpr {
    const operands = [this.parseUnary()];
    while (this.isWord('and')) {
      this.i++;
      operands.push(this.parseUnary());
    }
    return operands.length === 1 ? (operands[0] as QrsFilterExpr) : { kind: 'and', operands };
  }

  private parseUnary(): QrsFilterExpr {
    if (this.isWord('not')) {
      this.enter();
      this.i++;
      const operand = this.parseUnary();
      this.depth--;
      return { kind: 'not', operand };
    }
    const token = this.peek();
    if (token.kind === 'lparen') {
      this.enter();
      this.i++;
      const inner = this.parseOr();
      this.depth--;
      if (this.peek().kind !== 'rparen') this.fail(this.peek(), "expected ')'");
      this.i++;
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): QrsFilterExpr {
    const field = this.peek();
    if ((field.kind !== 'word' && field.kind !== 'path') || RESERVED.has(field.text.toLowerCase())) this.fail(field, 'expected a field name');
    const path = field.text.split('.');
    if (path.length > QRS_FILTER_LIMITS.maxPathSegments) this.fail(field, 'field path too long');
    if (++this.comparisons > QRS_FILTER_LIMITS.maxComparisons) this.fail(field, `more than ${QRS_FILTER_LIMITS.maxComparisons} comparisons`);
    this.i++;
    const opToken = this.peek();
    const op = opToken.text.toLowerCase() as QrsOp;
    if (opToken.kind !== 'word' || !QRS_OPS.includes(op)) this.fail(opToken, `expected an operator (${QRS_OPS.join(' ')})`);
    this.i++;
    const valueToken = this.peek();
    const value = this.parseValue(valueToken);
    this.i++;
    if ((op === 'sw' || op === 'ew' || op === 'so') && typeof value !== 'string') this.fail(valueToken, `'${op}' needs a string`);
    if (value === null && op !== 'eq' && op !== 'ne') this.fail(valueToken, `'${op}' cannot compare with null`);
    return { kind: 'cmp', path, op, value, position: field.position };
  }

  private parseValue(token: QrsToken): QrsValue {
    switch (token.kind) {
      case 'string':
      case 'guid':
        return token.text;
      case 'number': {
        const n = Number(token.text);
        if (!Number.isFinite(n)) this.fail(token, 'number out of range');
        return n;
      }
      case 'word': {
        const word = token.text.toLowerCase();
        if (word === 'true') return true;
        if (word === 'false') return false;
        if (word === 'null') return null;
        break;
      }
    }
    return this.fail(token, "expected a value: 'string', number, GUID, true, false or null");
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'eof') this.fail(token, "expected 'and', 'or' or the end of the filter");
  }

  private enter(): void {
    if (++this.depth > QRS_FILTER_LIMITS.maxDepth) this.fail(this.peek(), `nesting deeper than ${QRS_FILTER_LIMITS.maxDepth}`);
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }

  private peek(): QrsToken {
    return this.tokens[this.i] as QrsToken;
  }

  private fail(token: QrsToken, message: string): never {
    const found = token.kind === 'eof' ? 'end of filter' : token.kind === 'string' ? 'a string' : `'${token.text.slice(0, 40)}'`;
    throw new QrsFilterError(token.position, `${message}, found ${found}`);
  }
}

const RESERVED = new Set(['and', 'or', 'not', 'true', 'false', 'null']);
