import type { Operand } from '../condition/condition-ast';
import { printOperand, quote } from '../condition/condition-printer';
import type { OperandView } from './compiled-node';
import { identityGetter } from './entity-identity';
import type { EvalScope } from './eval-scope';
import type { ResolvedPath } from './property-path';

export type Side = { readonly kind: 'literal'; readonly value: string } | ResolvedPath;

const MAX_SHOWN = 5;
const MAX_VALUE_LENGTH = 64;

/** How explain shows an operand: its text and, for paths, the value it has for this request. */
export function view(operand: Operand, resolved: Side): OperandView {
  const text = printOperand(operand);
  const literal = resolved.kind === 'literal';
  return { text, literal, show: (s) => (resolved.kind === 'literal' ? quote(resolved.value) : showValue(resolved, s)) };
}

function showValue(resolved: ResolvedPath, s: EvalScope): string {
  if (resolved.kind === 'error') return 'an unknown path';
  if (resolved.kind !== 'values') {
    const identity = identityGetter(resolved)(s);
    return identity === undefined ? 'missing' : identity.replace(/^[ur]\u0000/, '').replace(/\u0000/g, ' ');
  }
  const raw: unknown = resolved.get(s);
  const list: readonly unknown[] = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : [];
  if (list.length === 0) return 'missing';
  const shown = list.slice(0, MAX_SHOWN).map((v) => quote(String(v).slice(0, MAX_VALUE_LENGTH)));
  return `[${shown.join(', ')}${list.length > MAX_SHOWN ? `, … ${list.length - MAX_SHOWN} more` : ''}]`;
}
