import { resolveField } from '../field-resolver';
import type { DataModel } from '../model-types';
import type { View } from '../view';
import type { ChartExpr, ElementSet, SetExpr } from './chart-ast';
import { parseChartExpression } from './chart-parser';
import { arithmeticOnly, type ScalarCompiler } from './chart-scalar';

/**
 * Refuses an expression up front (when an object is created) rather than on every layout: it must
 * parse, every field it names must exist for this user (an omitted field is "not found", as
 * everywhere), and its functions must compile.
 */
export function checkChartExpression(model: DataModel, view: View, src: string, scalars: ScalarCompiler = arithmeticOnly): ChartExpr {
  const root = parseChartExpression(src);
  const field = (name: string): void => void resolveField(model, view, name);
  const visitSet = (s: SetExpr): void => {
    if (s.kind === 'op') {
      visitSet(s.left);
      visitSet(s.right);
      return;
    }
    for (const m of s.modifiers) {
      field(m.field);
      if (m.elements !== null) visitElements(m.elements);
    }
  };
  const visitElements = (e: ElementSet): void => {
    if (e.kind === 'op') {
      visitElements(e.left);
      visitElements(e.right);
    } else if (e.kind !== 'list') {
      field(e.field);
      if (e.set !== null) visitSet(e.set);
    }
  };
  const visit = (e: ChartExpr, inputs: string[]): ChartExpr => {
    switch (e.kind) {
      case 'field':
        field(e.name);
        inputs.push(e.name);
        return e;
      case 'aggregate': {
        if (e.set !== null) visitSet(e.set);
        const names: string[] = [];
        const args = e.args.map((a) => visit(a, names));
        for (const a of args) if (a.kind !== 'aggr') scalars(a, names);
        inputs.push(`#${inputs.length}`);
        return { kind: 'field', name: inputs[inputs.length - 1]! };
      }
      case 'aggr': {
        e.dimensions.forEach(field);
        const inner: string[] = [];
        scalars(visit(e.measure, inner), inner);
        return e;
      }
      case 'unary':
        return { ...e, operand: visit(e.operand, inputs) };
      case 'binary':
        return { ...e, left: visit(e.left, inputs), right: visit(e.right, inputs) };
      case 'call':
        return { ...e, args: e.args.map((a) => visit(a, inputs)) };
      default:
        return e;
    }
  };
  const top: string[] = [];
  scalars(visit(root, top), top);
  return root;
}
