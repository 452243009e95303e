import type { CompareExpr, Expr, Operand, SourcePos } from '../condition/condition-ast';
import { compileGlob } from '../condition/glob-matcher';
import { printOperand } from '../condition/condition-printer';
import { view } from './operand-view';
import { compileRegex } from '../regex/regex-matcher';
import { RuleParseError } from '../rule-parse.error';
import { RulesError, RulesErrorCode, isRulesError } from '../rules.error';
import type { CompiledCondition, CompiledNode, ConditionDiagnostic, Test } from './compiled-node';
import type { DiagnosticSink } from './node-builders';
import { failed, isUserPath, node } from './node-builders';
import { compileCall } from './function-compiler';
import { identityTest } from './entity-identity';
import { kleeneAnd, kleeneOr } from './kleene';
import { resolvePath } from './property-path';
import type { Side } from './operand-view';
import { anyPair, anyValue, isEqualityOp, literalTest, pairTest } from './value-compare';

/**
 * AST → closure tree, once per rule. Syntax-level failures (a `matches` pattern outside the regex
 * subset) throw RuleParseError; semantic ones (unknown path/function, entity vs string) become
 * diagnostics that make every evaluation of the rule an error — visible, never silently false.
 */
export function compileCondition(expr: Expr | null): CompiledCondition {
  const diagnostics: ConditionDiagnostic[] = [];
  if (expr === null) return { root: null, diagnostics, cost: 0, test: () => true };
  const root = compileExpr(expr, diagnostics);
  const first = diagnostics[0];
  const test: Test = first === undefined ? root.test : () => { throw new RulesError(first.code, first.message); };
  return { root, diagnostics, cost: root.cost, test };
}

export function compileExpr(expr: Expr, sink: DiagnosticSink): CompiledNode {
  switch (expr.kind) {
    case 'compare':
      return compileCompare(expr, sink);
    case 'call':
      return compileCall(expr, sink);
    case 'not': {
      const child = compileExpr(expr.operand, sink);
      const inner = child.test;
      return node(expr, (s) => !inner(s), [child], child.cost, [], { userOnly: child.userOnly });
    }
    case 'and':
    case 'or': {
      const children = expr.operands.map((operand) => compileExpr(operand, sink));
      const cost = children.reduce((sum, child) => sum + child.cost, 0);
      const userOnly = children.every((c) => c.userOnly);
      return node(expr, expr.kind === 'and' ? kleeneAnd(children.map((c) => c.test)) : kleeneOr(children.map((c) => c.test)), children, cost, [], { userOnly });
    }
  }
}

function compileCompare(expr: CompareExpr, sink: DiagnosticSink): CompiledNode {
  const left = side(expr.left);
  const right = side(expr.right);
  const views = [view(expr.left, left), view(expr.right, right)];
  for (const [s, operand] of [[left, expr.left], [right, expr.right]] as const) {
    if (s.kind === 'error') return failed(expr, sink, operand.pos, s.code, s.message, views);
  }
  const op = expr.op;
  const userOnly = [expr.left, expr.right].every((o) => o.kind === 'string' || isUserPath(o.segments));
  const meta = { userOnly };
  if (!isEqualityOp(op)) {
    const pattern = (right as { value: string }).value;
    const matcher = op === 'like' ? compileGlob(pattern) : compileMatcher(pattern, expr.right.pos);
    const test = matcher.test;
    if (left.kind === 'literal') {
      const constant = test(left.value);
      return node(expr, () => constant, [], 1, views, meta);
    }
    if (left.kind !== 'values') return failed(expr, sink, expr.pos, RulesErrorCode.TYPE_MISMATCH, `'${op}' needs a value, not an entity`, views);
    const get = left.get;
    return node(expr, (s) => anyValue(get(s), test), [], op === 'like' ? 2 : 4, views, meta);
  }
  if (left.kind === 'literal' && right.kind === 'literal') {
    const constant = literalTest(op, right.value)(left.value);
    return node(expr, () => constant, [], 1, views, meta);
  }
  if (left.kind === 'literal' || right.kind === 'literal') {
    const [literal, other] = left.kind === 'literal' ? [left, right] : [right as { value: string }, left];
    if (other.kind !== 'values') return failed(expr, sink, expr.pos, RulesErrorCode.TYPE_MISMATCH, `cannot compare an entity with a string in '${printOperand(expr.left)} ${op} ${printOperand(expr.right)}'`, views);
    const get = other.get;
    const test = literalTest(op, literal.value);
    const pathOperand = expr.left.kind === 'path' ? expr.left : expr.right;
    const guard = op === '=' && pathOperand.kind === 'path'
      ? { pathKey: pathKeyOf(pathOperand.segments), get, literalLower: literal.value.toLowerCase() }
      : undefined;
    return node(expr, (s) => anyValue(get(s), test), [], 1, views, { userOnly, ...(guard ? { guard } : {}) });
  }
  if (left.kind === 'values' && right.kind === 'values') {
    const [l, r] = [left.get, right.get];
    const test = pairTest(op);
    return node(expr, (s) => anyPair(l(s), r(s), test), [], 2, views, meta);
  }
  if (left.kind !== 'values' && left.kind !== 'error' && right.kind !== 'values' && right.kind !== 'error') {
    return node(expr, identityTest(op, left, right), [], 1, views, meta);
  }
  return failed(expr, sink, expr.pos, RulesErrorCode.TYPE_MISMATCH, 'cannot compare an entity with a value; compare a property such as .name or .userId', views);
}

/** `pathKey` of a ValueGuard: built-in names are case-insensitive, custom property names are not. */
function pathKeyOf(segments: readonly string[]): string {
  return segments.map((seg) => (seg.startsWith('@') ? seg : seg.toLowerCase())).join('.');
}

function compileMatcher(pattern: string, pos: SourcePos): { test: (v: string) => boolean } {
  try {
    return compileRegex(pattern);
  } catch (error) {
    const detail = isRulesError(error) ? error.message : String(error);
    throw new RuleParseError(pos.line, pos.column, `invalid 'matches' pattern: ${detail}`, RulesErrorCode.UNSUPPORTED_REGEX);
  }
}

function side(operand: Operand): Side {
  return operand.kind === 'string' ? { kind: 'literal', value: operand.value } : resolvePath(operand.segments);
}

