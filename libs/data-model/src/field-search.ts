import type { AssociativeState } from './associative-state';
import { DataModelError, DataModelErrorCode } from './data-model.error';
import { visibleSymbols } from './field-queries';
import { resolveField } from './field-resolver';
import { compileGlob } from './glob-matcher';
import type { DataModel } from './model-types';
import { assertViewOf, type View } from './view';

export interface FieldSearchOptions {
  /** Fields to search (default: every visible, non-hidden field). */
  fields?: readonly string[];
  terms: readonly string[];
  /** 'CurrentSelections': only values possible under the selections; otherwise all visible values. */
  context: 'Cleared' | 'LockedFieldsOnly' | 'CurrentSelections';
  /** Matches kept per field (the rest only counted). */
  maxMatchesPerField: number;
}

export interface FieldSearchHit {
  field: string;
  /** Indexes into `terms` that matched at least one value of the field. */
  termsMatched: number[];
  totalMatches: number;
  matches: { text: string; elemNumber: number }[];
}

export const MAX_SEARCH_TERMS = 20;
export const MAX_SEARCH_TERM_LENGTH = 200;
/** Symbols a search may scan over all fields before it is refused (time bound). */
export const MAX_SEARCH_SCAN = 5_000_000;

/**
 * QIX SearchResults over field values: a value matches a term when its text contains it
 * (case-insensitive), or matches it as a wildcard pattern when the term has `*` or `?`. Only values
 * inside the view are searched, so a reduced user cannot find — or count — a value they may not see.
 */
export function searchFieldValues(model: DataModel, view: View, state: AssociativeState, options: FieldSearchOptions): FieldSearchHit[] {
  assertViewOf(model, view);
  const terms = options.terms;
  if (terms.length > MAX_SEARCH_TERMS) throw invalid(`at most ${MAX_SEARCH_TERMS} search terms`);
  const matchers = terms.map((t) => {
    if (typeof t !== 'string' || t.length > MAX_SEARCH_TERM_LENGTH) throw invalid(`a search term is a string of at most ${MAX_SEARCH_TERM_LENGTH} characters`);
    if (/[*?]/.test(t)) return compileGlob(t);
    const lower = t.toLowerCase();
    return (text: string) => text.toLowerCase().includes(lower);
  });
  const fieldIds = options.fields === undefined ? model.fields.flatMap((f, i) => (f.isHidden || view.omitted.has(f.name) ? [] : [i])) : options.fields.map((f) => resolveField(model, view, f));
  let scanned = 0;
  const out: FieldSearchHit[] = [];
  for (const fid of fieldIds) {
    const field = model.fields[fid]!;
    const values = options.context === 'CurrentSelections' ? (state.possibleSymbols(fid) ?? visibleSymbols(model, view, fid)) : visibleSymbols(model, view, fid);
    scanned += values.count();
    if (scanned > MAX_SEARCH_SCAN) throw new DataModelError(DataModelErrorCode.RESULT_TOO_LARGE, `the search scans more than ${MAX_SEARCH_SCAN} values`);
    const matched = new Set<number>();
    const hit: FieldSearchHit = { field: field.name, termsMatched: [], totalMatches: 0, matches: [] };
    values.forEach((s) => {
      const text = field.symbols.text(s);
      let any = false;
      matchers.forEach((m, k) => {
        if (m(text)) {
          any = true;
          matched.add(k);
        }
      });
      if (!any) return;
      hit.totalMatches++;
      if (hit.matches.length < options.maxMatchesPerField) hit.matches.push({ text, elemNumber: s });
    });
    if (hit.totalMatches === 0) continue;
    hit.termsMatched = [...matched].sort((a, b) => a - b);
    out.push(hit);
  }
  return out;
}

function invalid(message: string): DataModelError {
  return new DataModelError(DataModelErrorCode.INVALID_ARGUMENT, message);
}
