import { ScriptError, ScriptErrorCode, type SourcePosition } from './load-script.error';
import type { BinaryOperator, Expression } from './script-ast';
import { SCRIPT_FUNCTIONS } from './functions/function-table';
import { describe, type TokenStream } from './token-stream';

const RESERVED = new Set(['AS', 'FROM', 'INLINE', 'RESIDENT', 'AUTOGENERATE', 'WHERE', 'WHILE', 'AND', 'OR', 'XOR', 'NOT', 'LIKE', 'LOAD', 'THEN', 'TO', 'STEP']);
const COMPARISONS: readonly BinaryOperator[] = ['=', '<>', '<', '<=', '>', '>='];

/**
 * Precedence climbing, lowest first: or xor, and, not, comparison (and LIKE), &, + -, * /, unary.
 * Depth is bounded twice: the parser's own recursion (parentheses can nest without adding nodes)
 * and the depth of the resulting tree, which is the evaluator's recursion depth — a long
 * `a+a+a+…` chain is left-deep, so it counts too.
 */
export class ExpressionParser {
  private nesting = 0;
  private readonly depth = new WeakMap<Expression, number>();

  constructor(
    private readonly ts: TokenStream,
    private readonly maxDepth: number,
  ) {}

  parse(): Expression {
    const at = this.ts.peek();
    if (++this.nesting > this.maxDepth) this.tooDeep(at);
    try {
      return this.parseOr();
    } finally {
      this.nesting--;
    }
  }

  private tooDeep(at: SourcePosition): never {
    throw ScriptError.at(ScriptErrorCode.Limit, at, `expression nesting exceeds the limit maxExpressionDepth (${this.maxDepth})`);
  }

  private node<E extends Expression>(e: E, ...children: Expression[]): E {
    const d = 1 + Math.max(0, ...children.map((c) => this.depth.get(c) ?? 1));
    if (d > this.maxDepth) this.tooDeep(e.pos);
    this.depth.set(e, d);
    return e;
  }

  private binary(op: BinaryOperator, left: Expression, right: Expression): Expression {
    return this.node({ kind: 'binary', op, left, right, pos: left.pos }, left, right);
  }

  private parseOr(): Expression {
    let left = this.parseAnd();
    for (;;) {
      if (this.ts.acceptKeyword('OR')) left = this.binary('or', left, this.parseAnd());
      else if (this.ts.acceptKeyword('XOR')) left = this.binary('xor', left, this.parseAnd());
      else return left;
    }
  }

  private parseAnd(): Expression {
    let left = this.parseNot();
    while (this.ts.acceptKeyword('AND')) left = this.binary('and', left, this.parseNot());
    return left;
  }

  private parseNot(): Expression {
    const t = this.ts.peek();
    if (!this.ts.acceptKeyword('NOT')) return this.parseComparison();
    if (++this.nesting > this.maxDepth) this.tooDeep(t);
    const operand = this.parseNot();
    this.nesting--;
    return this.node({ kind: 'unary', op: 'not', operand, pos: { line: t.line, column: t.column } }, operand);
  }

  private parseComparison(): Expression {
    let left = this.parseConcat();
    for (;;) {
      const t = this.ts.peek();
      const op = COMPARISONS.find((c) => t.kind === 'op' && t.text === c) ?? (this.ts.isKeyword('LIKE') ? 'like' : undefined);
      if (!op) return left;
      this.ts.next();
      left = this.binary(op, left, this.parseConcat());
    }
  }

  private parseConcat(): Expression {
    let left = this.parseAdditive();
    while (this.ts.acceptOp('&')) left = this.binary('&', left, this.parseAdditive());
    return left;
  }

  private parseAdditive(): Expression {
    let left = this.parseMultiplicative();
    for (;;) {
      if (this.ts.acceptOp('+')) left = this.binary('+', left, this.parseMultiplicative());
      else if (this.ts.acceptOp('-')) left = this.binary('-', left, this.parseMultiplicative());
      else return left;
    }
  }

  private parseMultiplicative(): Expression {
    let left = this.parseUnary();
    for (;;) {
      if (this.ts.acceptOp('*')) left = this.binary('*', left, this.parseUnary());
      else if (this.ts.acceptOp('/')) left = this.binary('/', left, this.parseUnary());
      else return left;
    }
  }

  private parseUnary(): Expression {
    const t = this.ts.peek();
    if (this.ts.acceptOp('+')) return this.parseUnary();
    if (!this.ts.acceptOp('-')) return this.parsePrimary();
    if (++this.nesting > this.maxDepth) this.tooDeep(t);
    const operand = this.parseUnary();
    this.nesting--;
    return this.node({ kind: 'unary', op: '-', operand, pos: { line: t.line, column: t.column } }, operand);
  }

  private parsePrimary(): Expression {
    const t = this.ts.peek();
    const pos = { line: t.line, column: t.column };
    switch (t.kind) {
      case 'number':
        this.ts.next();
        return this.node({ kind: 'number', value: Number(t.text), pos });
      case 'string':
        this.ts.next();
        return this.node({ kind: 'string', value: t.text, pos });
      case 'quoted':
      case 'bracket':
        return this.node({ kind: 'field', name: this.ts.expectName('field name').name, pos });
      case 'ident':
        if (this.ts.isOp('(', 1)) return this.parseCall();
        if (RESERVED.has(t.text.toUpperCase())) this.ts.fail(t, `expected an expression, found keyword ${t.text}`);
        this.ts.next();
        return this.node({ kind: 'field', name: t.text, pos });
      case 'op':
        if (t.text === '(') {
          this.ts.next();
          const inner = this.parse();
          this.ts.expectOp(')', 'to close "("');
          return inner;
        }
        break;
      case 'eof':
        break;
    }
    return this.ts.fail(t, `expected an expression, found ${describe(t)}`);
  }

  private parseCall(): Expression {
    const t = this.ts.next();
    const pos = { line: t.line, column: t.column };
    const name = t.text.toUpperCase();
    const fn = SCRIPT_FUNCTIONS.get(name);
    if (!fn) this.ts.fail(t, `unknown function ${t.text}() (the functions the engine supports are listed in libs/load-script/README.md)`);
    this.ts.expectOp('(', 'after function name');
    const args: Expression[] = [];
    // DISTINCT inside an aggregation: Count(DISTINCT x); `*` as Count's argument counts records.
    const distinct = fn.kind === 'aggregate' && this.ts.isKeyword('DISTINCT') && !this.ts.isOp(',', 1) && !this.ts.isOp(')', 1) && (this.ts.next(), true);
    if (name === 'COUNT' && this.ts.isOp('*') && this.ts.isOp(')', 1)) {
      const star = this.ts.next();
      args.push(this.node({ kind: 'number', value: 1, pos: { line: star.line, column: star.column } }));
    } else if (!this.ts.isOp(')')) {
      do args.push(this.parse());
      while (this.ts.acceptOp(','));
    }
    this.ts.expectOp(')', `to close ${t.text}(`);
    if (args.length < fn.min || args.length > fn.max) {
      const want = fn.min === fn.max ? `${fn.min}` : `${fn.min} to ${fn.max}`;
      this.ts.fail(t, `${t.text}() takes ${want} argument(s), got ${args.length}`);
    }
    return this.node({ kind: 'call', name, args, distinct, pos }, ...args);
  }
}
