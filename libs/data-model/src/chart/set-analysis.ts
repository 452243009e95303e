import { type AssociativeState, computeState } from '../associative-state';
import { Bitset } from '../bitset';
import { parseNumericText } from '../cell-value';
import { DataModelError, DataModelErrorCode } from '../data-model.error';
import { resolveField } from '../field-resolver';
import { MAX_EXPRESSION_EVAL_MS } from '../limits';
import { compileGlob } from '../glob-matcher';
import { SelectionState } from '../selection-state';
import type { ElementItem, ElementSet, FieldModifier, SetExpr } from './chart-ast';
import { chartSyntax } from './chart-lexer';
import { CombinedRows, EmptyRows, type RowsState } from './rows-state';

type Deadline = { deadline: number };
const NO_DEADLINE: Deadline = { deadline: Number.POSITIVE_INFINITY };

function checkDeadline(bound: Deadline): void {
  if (performance.now() > bound.deadline) throw new DataModelError(DataModelErrorCode.RESULT_TOO_LARGE, `expression evaluation exceeded ${MAX_EXPRESSION_EVAL_MS} ms`);
}

/**
 * The record set of a set expression. `$` is the session's selections, `1` no selection at all —
 * but always inside the session's view: `{1}` is everything *this user* may see, because every
 * state is computed over the reduced view and every element list is cut to the symbols visible in
 * it. A value the user cannot see matches nothing, exactly as if it did not exist.
 */
export function resolveSet(set: SetExpr, base: AssociativeState, bound: Deadline = NO_DEADLINE): RowsState {
  checkDeadline(bound);
  if (set.kind === 'op') return new CombinedRows(set.op, resolveSet(set.left, base, bound), resolveSet(set.right, base, bound));
  const start = set.identifier === '1' ? SelectionState.empty() : base.selections;
  if (set.identifier === '$' && set.modifiers.length === 0) return base;
  let selections = start;
  for (const m of set.modifiers) {
    const next = applyModifier(m, selections, base, bound);
    if (next === null) return new EmptyRows(base.model, base.view);
    selections = next;
  }
  return computeState(base.model, base.view, selections);
}

/** The selections after one modifier; null when the field is left with no value (an empty set). */
function applyModifier(m: FieldModifier, selections: SelectionState, base: AssociativeState, bound: Deadline): SelectionState | null {
  const model = base.model;
  const fid = resolveField(model, base.view, m.field);
  if (m.elements === null) return selections.with(fid, null);
  const visible = visibleOf(base, fid);
  const elements = elementSymbols(m.elements, fid, base, bound).intersect(visible);
  const current = selections.get(fid)?.clone().intersect(visible) ?? visible.clone();
  let out: Bitset;
  switch (m.op) {
    case '=':
      out = elements;
      break;
    case '+=':
      out = current.union(elements);
      break;
    case '-=':
      out = current.intersect(complement(elements));
      break;
    case '*=':
      out = current.intersect(elements);
      break;
    case '/=':
      out = current.xor(elements);
      break;
  }
  return out.isEmpty() ? null : selections.with(fid, out);
}

function visibleOf(state: RowsState, fid: number): Bitset {
  return state.view.fieldSymbols(fid)?.clone() ?? Bitset.full(state.model.fields[fid]!.symbols.size);
}

function complement(b: Bitset): Bitset {
  return b.clone().xor(Bitset.full(b.size));
}

/** Symbols of field `fid` an element set names (not yet cut to the view). */
function elementSymbols(e: ElementSet, fid: number, base: AssociativeState, bound: Deadline): Bitset {
  checkDeadline(bound);
  const model = base.model;
  const size = model.fields[fid]!.symbols.size;
  switch (e.kind) {
    case 'list': {
      // Exact values in one pass over the symbols; each search or pattern is a pass of its own,
      // with the deadline checked between them (a list is bounded by the expression length).
      const texts = new Set<string>();
      const numbers = new Set<number>();
      const out = new Bitset(size);
      for (const item of e.items) {
        if (item.kind === 'number') numbers.add(item.value);
        else if (item.kind === 'literal' && !/[*?]/.test(item.text)) {
          texts.add(item.text);
          const n = parseNumericText(item.text);
          if (!Number.isNaN(n)) numbers.add(n);
        } else {
          checkDeadline(bound);
          out.union(itemSymbols(item, fid, base));
        }
      }
      if (texts.size > 0 || numbers.size > 0) out.union(model.fields[fid]!.symbols.find(texts, numbers));
      return out;
    }
    case 'possible':
    case 'excluded': {
      // P()/E() are read on the set they name (default $), which is itself inside the view.
      const state = e.set === null ? base : resolveSet(e.set, base, bound);
      const other = resolveField(model, base.view, e.field);
      const visible = visibleOf(base, other);
      const possible = state.possibleSymbols(other)?.clone().intersect(visible) ?? visible.clone();
      const values = e.kind === 'possible' ? possible : visible.intersect(complement(possible));
      return other === fid ? values : sameValues(base, other, values, fid);
    }
    case 'op': {
      const a = elementSymbols(e.left, fid, base, bound);
      const b = elementSymbols(e.right, fid, base, bound);
      if (e.op === '+') return a.union(b);
      if (e.op === '*') return a.intersect(b);
      if (e.op === '/') return a.xor(b);
      return a.intersect(complement(b));
    }
  }
}

/** Symbols of `to` with the same value (number, else text) as the `symbols` of field `from`. */
function sameValues(base: RowsState, from: number, symbols: Bitset, to: number): Bitset {
  const src = base.model.fields[from]!.symbols;
  const texts = new Set<string>();
  const numbers = new Set<number>();
  symbols.forEach((s) => {
    const n = src.num(s);
    if (Number.isNaN(n)) texts.add(src.text(s));
    else numbers.add(n);
  });
  return base.model.fields[to]!.symbols.find(texts, numbers);
}

const RANGE = /^\s*(<=|>=|<|>|=)\s*([^<>=]+?)\s*(?:(<=|>=|<|>)\s*([^<>=]+?)\s*)?$/;

/** Symbols one list item matches: a number, a literal (wildcards allowed) or a search string. */
function itemSymbols(item: ElementItem, fid: number, base: RowsState): Bitset {
  const symbols = base.model.fields[fid]!.symbols;
  if (item.kind === 'number') return symbols.find(new Set(), new Set([item.value]));
  const text = item.text;
  const range = item.kind === 'search' ? RANGE.exec(text) : null;
  if (range !== null) {
    const tests: ((n: number) => boolean)[] = [];
    for (const [op, raw] of [
      [range[1], range[2]],
      [range[3], range[4]],
    ] as const) {
      if (op === undefined || raw === undefined) continue;
      const bound = parseNumericText(raw);
      if (Number.isNaN(bound)) throw chartSyntax('a numeric search needs a number after the operator');
      tests.push(compareWith(op, bound));
    }
    const out = new Bitset(symbols.size);
    for (let s = 0; s < symbols.size; s++) {
      const n = symbols.num(s);
      if (!Number.isNaN(n) && tests.every((t) => t(n))) out.add(s);
    }
    return out;
  }
  if (item.kind === 'search' || /[*?]/.test(text)) {
    const match = compileGlob(text);
    const out = new Bitset(symbols.size);
    for (let s = 0; s < symbols.size; s++) if (match(symbols.text(s))) out.add(s);
    return out;
  }
  const n = parseNumericText(text);
  return symbols.find(new Set([text]), Number.isNaN(n) ? new Set() : new Set([n]));
}

function compareWith(op: string, bound: number): (n: number) => boolean {
  switch (op) {
    case '<':
      return (n) => n < bound;
    case '<=':
      return (n) => n <= bound;
    case '>':
      return (n) => n > bound;
    case '>=':
      return (n) => n >= bound;
    default:
      return (n) => n === bound;
  }
}
