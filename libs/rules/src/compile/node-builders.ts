import type { CallExpr, Expr, SourcePos } from '../condition/condition-ast';
import type { RulesErrorCode } from '../rules.error';
import { RulesError } from '../rules.error';
import type { CompiledNode, ConditionDiagnostic, OperandView, Test, ValueGuard } from './compiled-node';

export type DiagnosticSink = ConditionDiagnostic[];

export interface NodeMeta {
  readonly userOnly?: boolean;
  readonly guard?: ValueGuard;
}

export function node(expr: Expr, test: Test, children: readonly CompiledNode[], cost: number, operands: readonly OperandView[] = [], meta: NodeMeta = {}): CompiledNode {
  return { expr, test, children, cost, operands, userOnly: meta.userOnly ?? false, ...(meta.guard ? { guard: meta.guard } : {}) };
}

/** Paths rooted at `user` read only the prepared user (environment included). */
export function isUserPath(segments: readonly string[]): boolean {
  return segments[0]?.toLowerCase() === 'user';
}

/** Records a static problem and returns a node that reports it whenever it is evaluated. */
export function failed(expr: Expr | CallExpr, sink: DiagnosticSink, pos: SourcePos, code: RulesErrorCode, message: string, operands: readonly OperandView[] = []): CompiledNode {
  sink.push({ code, message, line: pos.line, column: pos.column });
  return node(expr, () => { throw new RulesError(code, message); }, [], 1, operands);
}
