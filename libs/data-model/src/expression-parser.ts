import type { AggregateFn, AggregateRef, Expr, ParsedExpression } from './expression-ast';
import { syntaxError, type Token, tokenize } from './expression-lexer';
import { MAX_AGGREGATES, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH } from './limits';

const AGGREGATES: ReadonlySet<string> = new Set<AggregateFn>(['sum', 'count', 'avg', 'min', 'max']);

/**
 * Recursive-descent parser for the measure language:
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/') unary)*
 *   unary   := '-' unary | primary
 *   primary := number | '(' expr ')' | AGG '(' ['DISTINCT'] field ')'
 * Length and nesting are bounded so a hostile expression cannot exhaust the stack.
 */
export function parseExpression(src: string): ParsedExpression {
  if (typeof src !== 'string') throw syntaxError('the expression must be a string');
  if (src.length > MAX_EXPRESSION_LENGTH) throw syntaxError(`longer than ${MAX_EXPRESSION_LENGTH} characters`);
  const tokens = tokenize(src);
  let at = 0;
  const aggregates: AggregateRef[] = [];
  const peek = (): Token => tokens[at]!;
  const next = (): Token => tokens[at++]!;
  const isOp = (t: Token, v: string): boolean => t.kind === 'op' && t.value === v;
  const expect = (v: string): void => {
    const t = next();
    if (!isOp(t, v)) throw syntaxError(`expected "${v}" at position ${t.pos + 1}`);
  };

  const expr = (depth: number): Expr => {
    if (depth > MAX_EXPRESSION_DEPTH) throw syntaxError(`nested deeper than ${MAX_EXPRESSION_DEPTH}`);
    let left = term(depth);
    while (isOp(peek(), '+') || isOp(peek(), '-')) {
      const op = (next() as { value: '+' | '-' }).value;
      left = { kind: 'binary', op, left, right: term(depth) };
    }
    return left;
  };
  const term = (depth: number): Expr => {
    let left = unary(depth);
    while (isOp(peek(), '*') || isOp(peek(), '/')) {
      const op = (next() as { value: '*' | '/' }).value;
      left = { kind: 'binary', op, left, right: unary(depth) };
    }
    return left;
  };
  const unary = (depth: number): Expr => {
    if (isOp(peek(), '-')) {
      next();
      if (depth > MAX_EXPRESSION_DEPTH) throw syntaxError(`nested deeper than ${MAX_EXPRESSION_DEPTH}`);
      return { kind: 'negate', operand: unary(depth + 1) };
    }
    return primary(depth);
  };
  const primary = (depth: number): Expr => {
    const t = next();
    if (t.kind === 'number') return { kind: 'number', value: t.value };
    if (isOp(t, '(')) {
      const inner = expr(depth + 1);
      expect(')');
      return inner;
    }
    if (t.kind === 'name' && !t.quoted && AGGREGATES.has(t.value.toLowerCase()) && isOp(peek(), '(')) {
      next();
      return aggregate(t.value.toLowerCase() as AggregateFn);
    }
    if (t.kind === 'name') throw syntaxError(`a field is only allowed inside an aggregation (position ${t.pos + 1})`);
    if (t.kind === 'end') throw syntaxError('unexpected end of expression');
    throw syntaxError(`unexpected token at position ${t.pos + 1}`);
  };
  const aggregate = (fn: AggregateFn): Expr => {
    let distinct = false;
    let t = next();
    if (t.kind === 'name' && !t.quoted && t.value.toUpperCase() === 'DISTINCT' && peek().kind === 'name') {
      distinct = true;
      t = next();
    }
    if (t.kind !== 'name') throw syntaxError(`expected a field name at position ${t.pos + 1}`);
    expect(')');
    let index = aggregates.findIndex((a) => a.fn === fn && a.distinct === distinct && a.field === t.value);
    if (index < 0) {
      if (aggregates.length >= MAX_AGGREGATES) throw syntaxError(`more than ${MAX_AGGREGATES} aggregations`);
      index = aggregates.push({ fn, distinct, field: t.value }) - 1;
    }
    return { kind: 'aggregate', index };
  };

  const root = expr(0);
  const end = peek();
  if (end.kind !== 'end') throw syntaxError(`unexpected token at position ${end.pos + 1}`);
  return { root, aggregates };
}
