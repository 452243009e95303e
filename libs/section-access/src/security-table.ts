import type { DataModel, LoadedTable } from '@trustzone/data-model';
import { omitFieldNames, reductionFieldName, unknownOmitMessage, unknownReductionMessage } from './field-names';
import { SectionAccessError, SectionAccessErrorCode } from './section-access.error';

/** Columns with a meaning of their own; every other column is a reduction field. */
export const SYSTEM_COLUMNS: ReadonlySet<string> = new Set(['ACCESS', 'USERID', 'GROUP', 'OMIT']);

export interface ReductionColumn {
  name: string;
  column: number;
  fieldId: number;
}

/** What a valid security table holds, resolved against a data model. */
export interface SecurityTableInfo {
  access: number;
  userId: number | null;
  group: number | null;
  omit: number | null;
  reductions: ReductionColumn[];
  /** Each value listed in the OMIT column → the model's field names it hides (never empty). */
  omitTargets: ReadonlyMap<string, readonly string[]>;
  rowCount: number;
}

/**
 * Validation of a security table against the data model it protects, at reload and again at every
 * open. Names resolve as field-names.ts says; a reduction column or an OMIT value that names no
 * data field is an error: a typo there would otherwise silently reduce or hide nothing — or, as we
 * deny on it, lock everybody out without saying why.
 */
export function validateSecurityTable(model: DataModel, table: LoadedTable): SecurityTableInfo {
  if (table === null || typeof table !== 'object' || !Array.isArray(table.fields) || !Array.isArray(table.columns) || table.fields.length !== table.columns.length) {
    throw new SectionAccessError(SectionAccessErrorCode.MALFORMED_TABLE, 'the security table is malformed');
  }
  const rowCount = table.columns[0]?.length ?? 0;
  if (table.columns.some((c) => !Array.isArray(c) || c.length !== rowCount)) {
    throw new SectionAccessError(SectionAccessErrorCode.MALFORMED_TABLE, 'the security table has columns of different lengths');
  }
  const names = table.fields.map((f) => String(f).toUpperCase());
  const at = (name: string): number | null => {
    const i = names.indexOf(name);
    return i < 0 ? null : i;
  };
  const access = at('ACCESS');
  if (access === null) throw new SectionAccessError(SectionAccessErrorCode.MISSING_ACCESS_COLUMN, 'the security table has no ACCESS column');
  const fieldNames = [...model.fieldByName.keys()];
  const reductions: ReductionColumn[] = [];
  names.forEach((name, column) => {
    if (SYSTEM_COLUMNS.has(name)) return;
    const field = reductionFieldName(name, fieldNames);
    if (field === null) throw new SectionAccessError(SectionAccessErrorCode.UNKNOWN_REDUCTION_FIELD, unknownReductionMessage(name, fieldNames));
    reductions.push({ name, column, fieldId: model.fieldByName.get(field)! });
  });
  table.columns[access]!.forEach((cell, row) => {
    const v = cellText(cell);
    if (v !== 'ADMIN' && v !== 'USER') {
      throw new SectionAccessError(SectionAccessErrorCode.INVALID_ACCESS_VALUE, `security table row ${row + 1}: ACCESS must be ADMIN or USER`);
    }
  });
  const omit = at('OMIT');
  const omitTargets = new Map<string, readonly string[]>();
  if (omit !== null) {
    for (const cell of table.columns[omit]!) {
      const v = cellText(cell);
      if (v === '' || v === '*' || omitTargets.has(v)) continue;
      const fields = omitFieldNames(v, fieldNames);
      if (fields.length === 0) throw new SectionAccessError(SectionAccessErrorCode.UNKNOWN_OMIT_FIELD, unknownOmitMessage(v));
      omitTargets.set(v, fields);
    }
  }
  return { access, userId: at('USERID'), group: at('GROUP'), omit, reductions, omitTargets, rowCount };
}

/** A security cell as upper-case text ('' for null/empty), the form every comparison uses. */
export function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  return typeof cell === 'string' ? cell.trim().toUpperCase() : '';
}
