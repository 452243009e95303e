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
 * The security table must have ACCESS with ADMIN/USER values, and each reduction column must name
 * a data-model field exactly (after upper-casing) — otherwise the reduction would silently match
 * nothing, and section-access.md makes that a load error.
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
  const dataFields = new Set(tables.data().flatMap((t) => t.fields));
  for (const field of access.fields) {
    if (SECTION_ACCESS_SYSTEM_FIELDS.has(field) || dataFields.has(field)) continue;
    throw ScriptError.at(ScriptErrorCode.Model, access.origin,
      `Section Access column "${field}" is not a system column (ACCESS, USERID, GROUP, OMIT) and names no field of the data model; ` +
      'reduction fields must match an upper-case data-model field exactly');
  }
}
