import { omitFieldNames, reductionFieldName, unknownOmitMessage, unknownReductionMessage } from '@trustzone/section-access';
import { ScriptError, ScriptErrorCode } from './load-script.error';
import { rowCount, type TableSet, type WorkTable } from './work-table';

/** Columns of the security table with a fixed meaning (section-access.md); others are reduction fields. */
export const SECTION_ACCESS_SYSTEM_FIELDS: ReadonlySet<string> = new Set(['ACCESS', 'USERID', 'GROUP', 'OMIT']);
const ACCESS_VALUES = new Set(['ADMIN', 'USER']);

/**
 * Two data tables sharing more than one field would need a synthetic key, which we do not build
 * (load-script.md). Checked once the script has finished, so a temporary table dropped later
 * does not trip it; the error points at the LOAD that created the later of the two tables.
 */
export function checkCompositeKeys(tables: readonly WorkTable[]): void {
  for (let j = 1; j < tables.length; j++) {
    const b = tables[j]!;
    for (let i = 0; i < j; i++) {
      const a = tables[i]!;
      const shared = a.fields.filter((f) => b.fields.includes(f));
      if (shared.length > 1) {
        const example = shared.map((f) => `[${f}]`).join(` & '|' & `);
        throw ScriptError.at(ScriptErrorCode.Model, b.origin,
          `tables "${a.name}" and "${b.name}" share ${shared.length} fields (${shared.join(', ')}); synthetic keys are not supported: ` +
          `build one composite key field (e.g. ${example} AS [%Key]) and keep the separate fields in only one table`);
      }
    }
  }
}

/**
 * The security table must have ACCESS with ADMIN/USER values, each reduction column must name a
 * data-model field and each OMIT value must name one, resolved as the engine resolves them at
 * open (libs/section-access field-names.ts) — otherwise the reduction or the OMIT would silently
 * match nothing, and section-access.md makes that a load error.
 */
export function checkSectionAccess(tables: TableSet): void {
  const access = tables.access();
  if (!access) return;
  const accessCol = access.fields.indexOf('ACCESS');
  if (accessCol < 0) {
    throw ScriptError.at(ScriptErrorCode.Model, access.origin, `Section Access table "${access.name}" has no ACCESS column`);
  }
  const values = access.columns[accessCol] ?? [];
  for (let r = 0; r < rowCount(access); r++) {
    const v = values[r];
    if (typeof v !== 'string' || !ACCESS_VALUES.has(v)) {
      throw ScriptError.at(ScriptErrorCode.Model, access.origin,
        `Section Access row ${r + 1}: ACCESS must be ADMIN or USER, got ${v === null || v === undefined ? 'an empty value' : JSON.stringify(v)}`);
    }
  }
  const dataFields = [...new Set(tables.data().flatMap((t) => t.fields))];
  for (const field of access.fields) {
    if (SECTION_ACCESS_SYSTEM_FIELDS.has(field) || reductionFieldName(field, dataFields) !== null) continue;
    throw ScriptError.at(ScriptErrorCode.Model, access.origin, unknownReductionMessage(field, dataFields));
  }
  const omit = access.fields.indexOf('OMIT');
  for (const cell of omit < 0 ? [] : (access.columns[omit] ?? [])) {
    const value = cell === null ? '' : String(cell).trim();
    if (value === '' || value === '*') continue;
    if (omitFieldNames(value, dataFields).length === 0) throw ScriptError.at(ScriptErrorCode.Model, access.origin, unknownOmitMessage(value));
  }
}
