import { RuleParseError } from '../rule-parse.error';
import type { CompareOp, Expr, Operand, PathOperand, SourcePos, StringOperand } from './condition-ast';
import { FUNCTION_NAMES, KEYWORDS } from './condition-ast';
import type { Token } from './condition-lexer';
import { tokenize } from './condition-lexer';

/** Bounds so a hostile rule text cannot exhaust memory or the stack (fail closed: parse error). */
export const CONDITION_LIMITS = { maxLength: 32_768, maxDepth: 64, maxArgs: 8 } as const;

/**
 * Parses a condition. Returns null for an empty/blank condition ("true for everything the filter
 * matches"). Throws RuleParseError with 1-based line/column on any syntax error.
 * Grammar (precedence NOT > AND > OR, comparisons bind tightest):
 *   or      := and (('or' | '||') and)*
 *   and     := unary (('and' | '&&') unary)*
 *   unary   := '!' unary | primary
 *   primary := '(' or ')' | path '(' args ')' | operand cmp operand
 */
export function parseCondition(text: string): Expr | null {
  if (typeof text !== 'string') throw new RuleParseError(1, 1, 'condition must be a string');
  if (text.length > CONDITION_LIMITS.maxLength) {
    throw new RuleParseError(1, 1, `condition longer than ${CONDITION_LIMITS.maxLength} characters`);
  }
  const parser = new ConditionParser(tokenize(text));
  return parser.parseAll();
}

class ConditionParser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseAll(): Expr | null {
    if (this.peek().kind === 'eof') return null;
    const expr = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'eof') this.unexpected(next, "expected 'and', 'or' or end of condition");
    return expr;
  }

  private parseOr(): Expr {
    const first = this.parseAnd();
    const operands = [first];
    while (this.isBoolOp('or', '||')) {
      this.index++;
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? first : { kind: 'or', operands, pos: first.pos };
  }

  private parseAnd(): Expr {
    const first = this.parseUnary();
    const operands = [first];
    while (this.isBoolOp('and', '&&')) {
      this.index++;
      operands.push(this.parseUnary());
    }
    return operands.length === 1 ? first : { kind: 'and', operands, pos: first.pos };
  }

  private parseUnary(): Expr {
    const token = this.peek();
    if (token.kind === 'op' && token.text === '!') {
      this.index++;
      this.enter(token);
      const operand = this.parseUnary();
      this.depth--;
      return { kind: 'not', operand, pos: token.pos };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const token = this.peek();
    if (token.kind === 'lparen') {
      this.index++;
      this.enter(token);
      const inner = this.parseOr();
      this.depth--;
      this.expect('rparen', "expected ')'");
      return inner;
    }
    const left = this.parseOperand('expected a property path, a string or "("');
    if (left.kind === 'path' && this.peek().kind === 'lparen') return this.parseCall(left);
    const op = this.parseCompareOp();
    const right = this.parseOperand('expected a property path or a string after the operator');
    if ((op === 'like' || op === 'matches') && right.kind !== 'string') {
      this.fail(right.pos, `the right side of '${op}' must be a string literal`);
    }
    if (this.peek().kind === 'lparen') this.fail(this.peek().pos, 'a function result cannot be compared');
    return { kind: 'compare', op, left, right, pos: left.pos };
  }

  private parseCall(path: PathOperand): Expr {
    if (path.segments.length < 2) {
      this.fail(path.pos, 'a function needs a target, e.g. user.IsAnonymous() or resource.stream.Empty()');
    }
    const written = path.segments[path.segments.length - 1] as string;
    const name = FUNCTION_NAMES[written.toLowerCase()] ?? written;
    const target: PathOperand = { kind: 'path', segments: path.segments.slice(0, -1), pos: path.pos };
    this.index++; // '('
    const args: StringOperand[] = [];
    if (this.peek().kind !== 'rparen') {
      for (;;) {
        const arg = this.peek();
        if (arg.kind !== 'string') this.unexpected(arg, 'function arguments must be string literals');
        if (args.length >= CONDITION_LIMITS.maxArgs) this.fail(arg.pos, 'too many function arguments');
        this.index++;
        args.push({ kind: 'string', value: arg.text, pos: arg.pos });
        if (this.peek().kind !== 'comma') break;
        this.index++;
      }
    }
    this.expect('rparen', "expected ')' after function arguments");
    const after = this.peek();
    if (after.kind === 'op' && after.text !== '!' && after.text !== '&&' && after.text !== '||') {
      this.fail(after.pos, 'a function result cannot be compared');
    }
    return { kind: 'call', target, name, args, pos: path.pos };
  }

  private parseOperand(expected: string): Operand {
    const token = this.peek();
    if (token.kind === 'string') {
      this.index++;
      return { kind: 'string', value: token.text, pos: token.pos };
    }
    if (token.kind !== 'ident') this.unexpected(token, expected);
    if ((KEYWORDS as readonly string[]).includes(token.text)) this.fail(token.pos, `unexpected keyword '${token.text}'`);
    const segments = [token.text];
    this.index++;
    while (this.peek().kind === 'dot') {
      this.index++;
      const segment = this.peek();
      if (segment.kind !== 'ident') this.unexpected(segment, "expected a name after '.'");
      segments.push(segment.text);
      this.index++;
    }
    return { kind: 'path', segments, pos: token.pos };
  }

  private parseCompareOp(): CompareOp {
    const token = this.peek();
    if (token.kind === 'op' && (token.text === '=' || token.text === '==' || token.text === '!=' || token.text === '!==')) {
      this.index++;
      return token.text;
    }
    if (token.kind === 'ident' && (token.text === 'like' || token.text === 'matches')) {
      this.index++;
      return token.text;
    }
    this.unexpected(token, "expected a comparison operator (=, !=, ==, !==, like, matches)");
  }

  private isBoolOp(word: 'and' | 'or', symbol: '&&' | '||'): boolean {
    const token = this.peek();
    return (token.kind === 'ident' && token.text === word) || (token.kind === 'op' && token.text === symbol);
  }

  private enter(token: Token): void {
    this.depth++;
    if (this.depth > CONDITION_LIMITS.maxDepth) this.fail(token.pos, `nesting deeper than ${CONDITION_LIMITS.maxDepth}`);
  }

  private expect(kind: Token['kind'], message: string): void {
    const token = this.peek();
    if (token.kind !== kind) this.unexpected(token, message);
    this.index++;
  }

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private unexpected(token: Token, expected: string): never {
    if (token.kind === 'ident' && (KEYWORDS as readonly string[]).includes(token.text.toLowerCase())) {
      this.fail(token.pos, `keywords are lower case: write '${token.text.toLowerCase()}' instead of '${token.text}'`);
    }
    const found = token.kind === 'eof' ? 'end of condition' : `'${token.text}'`;
    this.fail(token.pos, `${expected}, found ${found}`);
  }

  private fail(pos: SourcePos, message: string): never {
    throw new RuleParseError(pos.line, pos.column, message);
  }
}
