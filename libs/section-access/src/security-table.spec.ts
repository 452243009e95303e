import { buildDataModel, type LoadedTable } from '@trustzone/data-model';
import { describe, expect, it } from 'vitest';
import { SectionAccessErrorCode } from './section-access.error';
import { validateSecurityTable } from './security-table';

const m = buildDataModel({
  tables: [{ name: 'T', fields: ['REGION', 'Region2', 'X'], columns: [['EAST'], ['a'], [1]] }],
  sectionAccess: null,
  variables: {},
});
const sa = (fields: string[], ...rows: (string | null)[][]): LoadedTable => ({ name: 'SA', fields, columns: fields.map((_, i) => rows.map((r) => r[i] ?? null)) });

describe('validateSecurityTable (load-time)', () => {
  it('resolves system and reduction columns', () => {
    const info = validateSecurityTable(m, sa(['ACCESS', 'USERID', 'GROUP', 'OMIT', 'REGION'], ['USER', 'D\\U', null, 'X', 'EAST']));
    expect(info.reductions.map((r) => r.name)).toEqual(['REGION']);
    expect([info.access, info.userId, info.group, info.omit]).toEqual([0, 1, 2, 3]);
    expect(info.omitTargets).toEqual(new Map([['X', ['X']]]));
  });

  it('a column naming no data field is an error with a clear message', () => {
    expect(() => validateSecurityTable(m, sa(['ACCESS', 'USERID', 'REGON'], ['USER', 'D\\U', 'EAST']))).toThrow(
      expect.objectContaining({ code: SectionAccessErrorCode.UNKNOWN_REDUCTION_FIELD, message: expect.stringContaining('"REGON"') }),
    );
    // Security columns are upper case, so a mixed-case data field can never be a reduction field.
    expect(() => validateSecurityTable(m, sa(['ACCESS', 'REGION2'], ['USER', 'A']))).toThrow(expect.objectContaining({ code: SectionAccessErrorCode.UNKNOWN_REDUCTION_FIELD }));
  });

  it('ACCESS is required and must be ADMIN or USER on every row', () => {
    expect(() => validateSecurityTable(m, sa(['USERID', 'REGION'], ['D\\U', 'EAST']))).toThrow(expect.objectContaining({ code: SectionAccessErrorCode.MISSING_ACCESS_COLUMN }));
    expect(() => validateSecurityTable(m, sa(['ACCESS', 'USERID'], ['USER', 'D\\U'], ['GUEST', 'D\\V']))).toThrow(
      expect.objectContaining({ code: SectionAccessErrorCode.INVALID_ACCESS_VALUE, message: expect.stringContaining('row 2') }),
    );
    expect(() => validateSecurityTable(m, sa(['ACCESS'], [null]))).toThrow(expect.objectContaining({ code: SectionAccessErrorCode.INVALID_ACCESS_VALUE }));
  });

  it('malformed tables are refused; OMIT naming no field is an error naming the value', () => {
    expect(() => validateSecurityTable(m, { name: 'SA', fields: ['ACCESS', 'USERID'], columns: [['USER'], []] })).toThrow(expect.objectContaining({ code: SectionAccessErrorCode.MALFORMED_TABLE }));
    expect(() => validateSecurityTable(m, null as unknown as LoadedTable)).toThrow(expect.objectContaining({ code: SectionAccessErrorCode.MALFORMED_TABLE }));
    expect(() => validateSecurityTable(m, sa(['ACCESS', 'OMIT'], ['USER', null], ['USER', 'nosuch']))).toThrow(
      expect.objectContaining({ code: SectionAccessErrorCode.UNKNOWN_OMIT_FIELD, message: expect.stringContaining('"NOSUCH"') }),
    );
  });

  it('OMIT values resolve to fields whatever their case; reduction columns only to the exact upper-case name', () => {
    const info = validateSecurityTable(m, sa(['ACCESS', 'OMIT'], ['USER', 'region2'], ['USER', 'REGION'], ['USER', '*']));
    expect(info.omitTargets).toEqual(new Map([['REGION2', ['Region2']], ['REGION', ['REGION']]]));
    // The error for a reduction column that only differs in case says why and how to fix it.
    expect(() => validateSecurityTable(m, sa(['ACCESS', 'REGION2'], ['USER', 'A']))).toThrow(expect.objectContaining({ message: expect.stringContaining('"Region2"') }));
  });
});
