import { Bitset } from './bitset';
import { parseNumericText } from './cell-value';
import { DataModelError, DataModelErrorCode } from './data-model.error';
import { resolveField } from './field-resolver';
import { compileGlob, MAX_PATTERN_LENGTH } from './glob-matcher';
import type { DataModel } from './model-types';
import { SelectionState } from './selection-state';
import { assertViewOf, type View } from './view';

/** A value to select, as QIX SelectValues sends it: by text, or by number. */
export type SelectValue = { text: string } | { number: number };

export interface SelectResult {
  selections: SelectionState;
  /** Symbols the request matched inside the view (0 → QIX qReturn false). */
  matched: number;
}

/** Values per request: QIX clients may send anything; a selection is at most this many values. */
export const MAX_SELECT_VALUES = 100_000;

/**
 * Select values of a field (replacing its selection, or toggling them in and out of it).
 * Only values inside the view can match: a reduced user selecting an excluded value matches
 * nothing, exactly as if the value did not exist.
 */
export function select(model: DataModel, view: View, selections: SelectionState, field: string, values: readonly SelectValue[], toggle = false): SelectResult {
  const fid = resolveSelectable(model, view, field, values.length);
  const texts = new Set<string>();
  const numbers = new Set<number>();
  for (const v of values) {
    if ('number' in v && typeof v.number === 'number' && Number.isFinite(v.number)) numbers.add(v.number);
    else if ('text' in v && typeof v.text === 'string') {
      texts.add(v.text);
      const n = parseNumericText(v.text);
      if (!Number.isNaN(n)) numbers.add(n);
    } else throw invalid('a value to select needs a text or a finite number');
  }
  return apply(view, selections, fid, model.fields[fid]!.symbols.find(texts, numbers), toggle);
}

/** Select by element numbers (qElemNumber, the symbol index). Unknown numbers are ignored. */
export function selectElements(model: DataModel, view: View, selections: SelectionState, field: string, elements: readonly number[], toggle = false): SelectResult {
  const fid = resolveSelectable(model, view, field, elements.length);
  const size = model.fields[fid]!.symbols.size;
  const set = new Bitset(size);
  for (const e of elements) if (Number.isInteger(e) && e >= 0 && e < size) set.add(e);
  return apply(view, selections, fid, set, toggle);
}

/** Select the values whose text matches a wildcard pattern (`*`, `?`, case-insensitive). */
export function selectMatch(model: DataModel, view: View, selections: SelectionState, field: string, pattern: string, toggle = false): SelectResult {
  const fid = resolveSelectable(model, view, field, 0);
  if (typeof pattern !== 'string' || pattern.length > MAX_PATTERN_LENGTH) throw invalid(`a match pattern is a string of at most ${MAX_PATTERN_LENGTH} characters`);
  const symbols = model.fields[fid]!.symbols;
  const visible = view.fieldSymbols(fid);
  const matches = compileGlob(pattern);
  const set = new Bitset(symbols.size);
  for (let s = 0; s < symbols.size; s++) if ((visible === null || visible.has(s)) && matches(symbols.text(s))) set.add(s);
  return apply(view, selections, fid, set, toggle);
}

export function clearField(model: DataModel, view: View, selections: SelectionState, field: string): SelectionState {
  return selections.with(resolveField(model, view, field), null);
}

export function clearAll(): SelectionState {
  return SelectionState.empty();
}

function resolveSelectable(model: DataModel, view: View, field: string, count: number): number {
  assertViewOf(model, view);
  if (count > MAX_SELECT_VALUES) throw invalid(`at most ${MAX_SELECT_VALUES} values per selection`);
  return resolveField(model, view, field);
}

function apply(view: View, selections: SelectionState, fid: number, wanted: Bitset, toggle: boolean): SelectResult {
  const visible = view.fieldSymbols(fid);
  if (visible !== null) wanted.intersect(visible);
  const matched = wanted.count();
  if (!toggle) return { selections: selections.with(fid, wanted), matched };
  const current = selections.get(fid);
  const next = current === undefined ? wanted : current.clone().xor(wanted);
  return { selections: selections.with(fid, next), matched };
}

function invalid(message: string): DataModelError {
  return new DataModelError(DataModelErrorCode.INVALID_ARGUMENT, message);
}
