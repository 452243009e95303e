import { MAX_AGGREGATES, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH } from '../limits';
import { type BinaryOp, CHART_AGGREGATES, type ChartAggregateFn, type ChartExpr, type ElementItem, type ElementSet, type FieldModifier, type SetAssignOp, type SetExpr, type SetOperator } from './chart-ast';
import { type ChartToken, chartSyntax, tokenizeChart } from './chart-lexer';

const COMPARISONS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const ASSIGN = new Set(['=', '+=', '-=', '*=', '/=']);
const SET_OPS = new Set(['+', '-', '*', '/']);

/**
 * Recursive-descent parser of chart expressions (Qlik operator precedence, lowest first):
 *   or/xor < and < not < comparison < & < + - < * / < unary -
 * Aggregations: `Fn([{set}] [DISTINCT] [TOTAL [<f, …>]] args)`. A field outside any aggregation
 * is read as Only(field), as Qlik does. Length, nesting and the number of aggregations are
 * bounded so a hostile expression cannot exhaust the stack or the CPU.
 */
export function parseChartExpression(src: string): ChartExpr {
  if (typeof src !== 'string') throw chartSyntax('the expression must be a string');
  if (src.length > MAX_EXPRESSION_LENGTH) throw chartSyntax(`longer than ${MAX_EXPRESSION_LENGTH} characters`);
  return new Parser(tokenizeChart(src.replace(/^\s*=/, ''))).parseAll();
}

class Parser {
  private at = 0;
  private aggregates = 0;
  private depth = 0;
  /** Inside an aggregation's arguments: fields are row reads, aggregations are nested (refused). */
  private inAggregate = false;

  constructor(private readonly tokens: ChartToken[]) {}

  parseAll(): ChartExpr {
    const e = this.expr();
    const t = this.peek();
    if (t.kind !== 'end') throw chartSyntax(`unexpected token at position ${t.pos + 1}`);
    return e;
  }

  private peek(k = 0): ChartToken {
    return this.tokens[Math.min(this.at + k, this.tokens.length - 1)]!;
  }
  private next(): ChartToken {
    const t = this.peek();
    if (t.kind !== 'end') this.at++;
    return t;
  }
  private isOp(v: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.value === v;
  }
  private isWord(v: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'name' && t.value.toLowerCase() === v;
  }
  private expect(v: string): void {
    const t = this.next();
    if (t.kind !== 'op' || t.value !== v) throw chartSyntax(t.kind === 'end' ? `"${v}" expected at the end of the expression` : `"${v}" expected at position ${t.pos + 1}`);
  }
  private nested<T>(f: () => T): T {
    if (++this.depth > MAX_EXPRESSION_DEPTH) throw chartSyntax(`nested deeper than ${MAX_EXPRESSION_DEPTH}`);
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private expr(): ChartExpr {
    return this.nested(() => {
      let left = this.and();
      while (this.isWord('or') || this.isWord('xor')) {
        const op = (this.next() as { value: string }).value.toLowerCase() as BinaryOp;
        left = { kind: 'binary', op, left, right: this.and() };
      }
      return left;
    });
  }
  private and(): ChartExpr {
    let left = this.not();
    while (this.isWord('and')) {
      this.next();
      left = { kind: 'binary', op: 'and', left, right: this.not() };
    }
    return left;
  }
  private not(): ChartExpr {
    if (this.isWord('not')) {
      this.next();
      return this.nested(() => ({ kind: 'unary', op: 'not', operand: this.not() }));
    }
    return this.comparison();
  }
  private comparison(): ChartExpr {
    const left = this.concat();
    const t = this.peek();
    if (t.kind === 'op' && COMPARISONS.has(t.value)) {
      this.next();
      return { kind: 'binary', op: t.value as BinaryOp, left, right: this.concat() };
    }
    return left;
  }
  private concat(): ChartExpr {
    let left = this.additive();
    while (this.isOp('&')) {
      this.next();
      left = { kind: 'binary', op: '&', left, right: this.additive() };
    }
    return left;
  }
  private additive(): ChartExpr {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.next() as { value: '+' | '-' }).value;
      left = { kind: 'binary', op, left, right: this.multiplicative() };
    }
    return left;
  }
  private multiplicative(): ChartExpr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/')) {
      const op = (this.next() as { value: '*' | '/' }).value;
      left = { kind: 'binary', op, left, right: this.unary() };
    }
    return left;
  }
  private unary(): ChartExpr {
    if (this.isOp('-') || this.isOp('+')) {
      const minus = this.isOp('-');
      this.next();
      return this.nested(() => {
        const operand = this.unary();
        return minus ? { kind: 'unary', op: '-', operand } : operand;
      });
    }
    return this.primary();
  }

  private primary(): ChartExpr {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return { kind: 'number', value: t.value };
      case 'string':
        return { kind: 'string', value: t.value };
      case 'dquoted':
      case 'bracketed':
        return this.fieldRead(t.value);
      case 'name':
        if (this.isOp('(')) {
          this.next();
          return this.call(t.value, t.pos);
        }
        return this.fieldRead(t.value);
      case 'op':
        if (t.value === '(') {
          const inner = this.expr();
          this.expect(')');
          return inner;
        }
        throw chartSyntax(`unexpected "${t.value}" at position ${t.pos + 1}`);
      case 'end':
        throw chartSyntax('unexpected end of expression');
    }
  }

  /** A bare field: a row read inside an aggregation, Only(field) outside (Qlik's reading). */
  private fieldRead(name: string): ChartExpr {
    if (this.inAggregate) return { kind: 'field', name };
    this.countAggregate();
    return { kind: 'aggregate', fn: 'only', distinct: false, total: null, set: null, args: [{ kind: 'field', name }] };
  }

  private countAggregate(): void {
    if (++this.aggregates > MAX_AGGREGATES) throw chartSyntax(`more than ${MAX_AGGREGATES} aggregations`);
  }

  private call(rawName: string, pos: number): ChartExpr {
    const name = rawName.toLowerCase();
    if (name === 'aggr') return this.aggr(pos);
    const agg = CHART_AGGREGATES.get(name as ChartAggregateFn);
    if (agg === undefined) {
      const args = this.argList();
      return { kind: 'call', name: rawName.toUpperCase(), args };
    }
    if (this.inAggregate) throw chartSyntax(`nested aggregation ${rawName}() at position ${pos + 1} (use Aggr())`);
    this.countAggregate();
    let set = this.isOp('{') ? this.setExpression() : null;
    let distinct = false;
    let all = false;
    if ((this.isWord('distinct') || this.isWord('all')) && !this.isOp('(', 1) && !this.isOp(')', 1)) {
      distinct = (this.next() as { value: string }).value.toLowerCase() === 'distinct';
      all = !distinct;
    }
    let total: null | 'all' | string[] = null;
    if (this.isWord('total') && !this.isOp('(', 1) && !this.isOp(')', 1)) {
      this.next();
      total = 'all';
      if (this.isOp('<')) {
        this.next();
        total = [this.fieldName()];
        while (this.isOp(',')) {
          this.next();
          total.push(this.fieldName());
        }
        this.expect('>');
      }
    }
    // ALL: Qlik's shorthand for {1} TOTAL — every record the user may see, whatever the selections and dimensions.
    if (all) {
      set ??= { kind: 'entity', identifier: '1', modifiers: [] };
      total = 'all';
    }
    this.inAggregate = true;
    let args: ChartExpr[];
    try {
      args = this.argList();
    } finally {
      this.inAggregate = false;
    }
    if (args.length < agg.min || args.length > agg.max) throw chartSyntax(`${rawName}() takes ${agg.min === agg.max ? agg.min : `${agg.min} to ${agg.max}`} argument(s) (position ${pos + 1})`);
    if (args.slice(1).some((a) => a.kind === 'aggr')) throw chartSyntax(`Aggr() is only allowed as the first argument of an aggregation (position ${pos + 1})`);
    return { kind: 'aggregate', fn: name as ChartAggregateFn, distinct, total, set, args };
  }

  /** Aggr(measure, dim, …): only directly inside an aggregation; the measure aggregates again. */
  private aggr(pos: number): ChartExpr {
    if (!this.inAggregate) throw chartSyntax(`Aggr() must be the argument of an aggregation such as Sum(Aggr(…)) (position ${pos + 1})`);
    this.inAggregate = false;
    let measure: ChartExpr;
    const dimensions: string[] = [];
    try {
      measure = this.expr();
      while (this.isOp(',')) {
        this.next();
        if (this.isWord('nodistinct') || this.isWord('distinct')) this.next();
        dimensions.push(this.fieldName());
      }
      this.expect(')');
    } finally {
      this.inAggregate = true;
    }
    if (dimensions.length === 0) throw chartSyntax(`Aggr() needs at least one dimension (position ${pos + 1})`);
    return { kind: 'aggr', measure, dimensions };
  }

  private argList(): ChartExpr[] {
    const args: ChartExpr[] = [];
    if (this.isOp(')')) {
      this.next();
      return args;
    }
    for (;;) {
      args.push(this.expr());
      if (args.length > 256) throw chartSyntax('more than 256 arguments');
      if (this.isOp(',')) {
        this.next();
        continue;
      }
      this.expect(')');
      return args;
    }
  }

  private fieldName(): string {
    const t = this.next();
    if (t.kind === 'name' || t.kind === 'bracketed' || t.kind === 'dquoted') return t.value;
    throw chartSyntax(t.kind === 'end' ? 'field name expected at the end of the expression' : `field name expected at position ${t.pos + 1}`);
  }

  // ---- set analysis -------------------------------------------------------------------------

  /** `{ set }`: the braces around a whole set expression. */
  private setExpression(): SetExpr {
    this.expect('{');
    const e = this.setOperation();
    this.expect('}');
    return e;
  }

  private setOperation(): SetExpr {
    return this.nested(() => {
      let left = this.setTerm();
      for (;;) {
        const t = this.peek();
        if (t.kind !== 'op' || !SET_OPS.has(t.value)) return left;
        this.next();
        left = { kind: 'op', op: t.value as SetOperator, left, right: this.setTerm() };
      }
    });
  }

  private setTerm(): SetExpr {
    if (this.isOp('(')) {
      this.next();
      const inner = this.setOperation();
      this.expect(')');
      return inner;
    }
    let identifier: '1' | '$' = '$';
    const t = this.peek();
    if (t.kind === 'number') {
      if (t.value !== 1) throw chartSyntax(`unknown set identifier at position ${t.pos + 1}`);
      identifier = '1';
      this.next();
    } else if (t.kind === 'name') {
      // $ is the current selection; $1…, $_1… (selection history), bookmarks and alternate
      // states are not held by this engine: refused rather than silently read as $.
      if (t.value !== '$') throw chartSyntax(`unsupported set identifier at position ${t.pos + 1} (only 1 and $)`);
      this.next();
    } else if (!this.isOp('<')) {
      throw chartSyntax(`set identifier or modifier expected at position ${t.pos + 1}`);
    }
    const modifiers = this.isOp('<') ? this.modifierList() : [];
    return { kind: 'entity', identifier, modifiers };
  }

  private modifierList(): FieldModifier[] {
    this.expect('<');
    const out: FieldModifier[] = [];
    if (this.isOp('>')) {
      this.next();
      return out;
    }
    for (;;) {
      const field = this.fieldName();
      const t = this.next();
      if (t.kind !== 'op' || !ASSIGN.has(t.value)) throw chartSyntax(`"=" expected after the field name at position ${t.pos + 1}`);
      const clears = this.isOp(',') || this.isOp('>');
      out.push({ field, op: t.value as SetAssignOp, elements: clears ? null : this.elementSet() });
      if (out.length > MAX_AGGREGATES) throw chartSyntax(`more than ${MAX_AGGREGATES} modifiers`);
      if (this.isOp(',')) {
        this.next();
        continue;
      }
      this.expect('>');
      return out;
    }
  }

  private elementSet(): ElementSet {
    return this.nested(() => {
      let left = this.elementTerm();
      for (;;) {
        const t = this.peek();
        if (t.kind !== 'op' || !SET_OPS.has(t.value)) return left;
        this.next();
        left = { kind: 'op', op: t.value as SetOperator, left, right: this.elementTerm() };
      }
    });
  }

  private elementTerm(): ElementSet {
    if (this.isOp('(')) {
      this.next();
      const inner = this.elementSet();
      this.expect(')');
      return inner;
    }
    if ((this.isWord('p') || this.isWord('e')) && this.isOp('(', 1)) {
      const kind = (this.next() as { value: string }).value.toLowerCase() === 'p' ? 'possible' : 'excluded';
      this.next();
      const set = this.isOp('{') ? this.setExpression() : null;
      const field = this.fieldName();
      this.expect(')');
      return { kind, set, field };
    }
    this.expect('{');
    const items: ElementItem[] = [];
    if (this.isOp('}')) {
      this.next();
      return { kind: 'list', items };
    }
    for (;;) {
      const neg = this.isOp('-');
      if (neg) this.next();
      const t = this.next();
      if (t.kind === 'number') items.push({ kind: 'number', value: neg ? -t.value : t.value });
      else if (neg) throw chartSyntax(`number expected at position ${t.pos + 1}`);
      else if (t.kind === 'string' || t.kind === 'bracketed' || t.kind === 'name') items.push({ kind: 'literal', text: t.value });
      else if (t.kind === 'dquoted') items.push({ kind: 'search', text: t.value });
      else throw chartSyntax(t.kind === 'end' ? '"}" expected at the end of the expression' : `value expected at position ${t.pos + 1}`);
      if (items.length > 100_000) throw chartSyntax('more than 100000 values in a set modifier');
      if (this.isOp(',')) {
        this.next();
        continue;
      }
      this.expect('}');
      return { kind: 'list', items };
    }
  }
}
