import { type Bitset, computeState, createView, type DataModel, fullView, type LoadedTable, parseNumericText, SelectionState, type View } from '@trustzone/data-model';
import { matchingRows, normalizeUser, type SectionAccessUser } from './row-matcher';
import { DenyCode, SectionAccessError } from './section-access.error';
import { cellText, type SecurityTableInfo, validateSecurityTable } from './security-table';

export type ReductionResult =
  | { kind: 'denied'; code: DenyCode; reason: string }
  | { kind: 'granted'; view: View; admin: boolean; omitted: string[]; matchedRows: number };

/**
 * Section access for one user opening an app: which rows of every table they see and which fields
 * are hidden from them. The result is a view over the shared model (row bitsets + hidden field
 * names), never a copy of the data.
 *
 * The user's allowed values become a selection on the reduction fields (OR within a field, AND
 * across fields, over the union of the rows that apply to them), which propagates through every
 * association to a fixpoint exactly like a user selection; tables not linked to a reduction field
 * keep all rows. Fail closed: no applicable row, no existing value (strict exclusion), no data
 * left, a malformed table or identity — all deny. Reasons never name a data value.
 */
export function reduce(model: DataModel, securityTable: LoadedTable, user: SectionAccessUser): ReductionResult {
  let info: SecurityTableInfo;
  try {
    info = validateSecurityTable(model, securityTable);
  } catch (err) {
    const detail = err instanceof SectionAccessError ? err.code : 'MALFORMED_TABLE';
    return deny(DenyCode.INVALID_SECURITY_TABLE, `the app's security table is invalid (${detail})`);
  }
  const who = normalizeUser(user);
  if (who === null) return deny(DenyCode.INVALID_USER, 'no user identity to match against the security table');
  const rows = matchingRows(securityTable, info, who);
  if (rows.length === 0) return deny(DenyCode.NO_MATCHING_ROW, 'no row of the security table applies to the user');
  const omitted = omittedFields(securityTable, info, rows);
  const admin = rows.some((r) => cellText(securityTable.columns[info.access]![r]) === 'ADMIN');
  if (admin || info.reductions.length === 0) {
    const full = fullView(model);
    return { kind: 'granted', view: createView(model, full.rows, omitted), admin, omitted, matchedRows: rows.length };
  }
  let selections = SelectionState.empty();
  for (const red of info.reductions) {
    const column = securityTable.columns[red.column]!;
    const wanted = new Set<string>();
    for (const r of rows) {
      const v = cellText(column[r]);
      if (v === '*') listedValues(column).forEach((x) => wanted.add(x));
      else if (v !== '') wanted.add(v);
    }
    const allowed = symbolsFor(model, red.fieldId, wanted);
    if (allowed.isEmpty()) {
      return deny(DenyCode.NO_MATCHING_VALUES, `none of the user's values for reduction field ${red.name} exist in the data`);
    }
    selections = selections.with(red.fieldId, allowed);
  }
  const state = computeState(model, fullView(model), selections);
  for (const red of info.reductions) {
    if (state.possibleSymbols(red.fieldId)?.isEmpty() === true) {
      return deny(DenyCode.NO_DATA, 'no data satisfies all of the user\'s reduction fields together');
    }
  }
  const viewRows = model.tables.map((_, t) => state.tableRows(t));
  return { kind: 'granted', view: createView(model, viewRows, omitted), admin: false, omitted, matchedRows: rows.length };
}

/** `*` stands for every value listed in the column (not every value in the data). */
function listedValues(column: readonly unknown[]): Set<string> {
  const out = new Set<string>();
  for (const cell of column) {
    const v = cellText(cell);
    if (v !== '' && v !== '*') out.add(v);
  }
  return out;
}

/**
 * Data symbols equal to the security values. Security values are upper-cased, so data values
 * not in upper case never match; a numeric value matches the same number however it is spelled.
 */
function symbolsFor(model: DataModel, fieldId: number, values: ReadonlySet<string>): Bitset {
  const symbols = model.fields[fieldId]!.symbols;
  const numbers = new Set<number>();
  for (const v of values) {
    const n = parseNumericText(v);
    if (!Number.isNaN(n)) numbers.add(n);
  }
  return symbols.find(values, numbers);
}

/** The model fields the user's rows OMIT (`*`: every value listed in the column), resolved at validation. */
function omittedFields(table: LoadedTable, info: SecurityTableInfo, rows: readonly number[]): string[] {
  if (info.omit === null) return [];
  const column = table.columns[info.omit]!;
  const values = new Set<string>();
  for (const r of rows) {
    const v = cellText(column[r]);
    if (v === '*') listedValues(column).forEach((x) => values.add(x));
    else if (v !== '') values.add(v);
  }
  const out = new Set<string>();
  for (const v of values) for (const f of info.omitTargets.get(v) ?? []) out.add(f);
  return [...out];
}

function deny(code: DenyCode, reason: string): ReductionResult {
  return { kind: 'denied', code, reason };
}
