import { describe, expect, it } from 'vitest';
import { accessName, omitFieldNames, reductionFieldName, unknownOmitMessage, unknownReductionMessage } from './field-names';

const fields = ['Salary', 'SALARY', 'REGION', 'Region2', 'straße'];

describe('access-section names → data-model fields', () => {
  it('a reduction column links only to the field of exactly its upper-case name', () => {
    expect(reductionFieldName('REGION', fields)).toBe('REGION');
    expect(reductionFieldName('region', fields)).toBe('REGION');
    expect(reductionFieldName('REGION2', fields)).toBeNull();
  });

  it('an OMIT value hides every field whose name matches it without regard to case', () => {
    expect(omitFieldNames('Salary', fields)).toEqual(['Salary', 'SALARY']);
    expect(omitFieldNames('SALARY', fields)).toEqual(['Salary', 'SALARY']);
    expect(omitFieldNames(' region2 ', fields)).toEqual(['Region2']);
    // The loader upper-cases with the same function, so a name it changed in length still matches.
    expect(omitFieldNames(accessName('straße'), fields)).toEqual(['straße']);
    expect(omitFieldNames('Bonus', fields)).toEqual([]);
  });

  it('error messages name the value, and point at a field differing only in case', () => {
    expect(unknownOmitMessage('Bonus')).toContain('"BONUS"');
    expect(unknownReductionMessage('REGION2', fields)).toMatch(/"REGION2".*"Region2"/);
    expect(unknownReductionMessage('NOPE', fields)).not.toContain('Upper(');
  });
});
