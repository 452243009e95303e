import { buildDataModel, dualCell, type LoadedTable } from '@trustzone/data-model';
import { describe, expect, it } from 'vitest';
import { reduce } from './reduction';
import { cellText } from './security-table';

/** Threat: a dual value in the security table read as '' — which means "any user" / no reduction. */
describe('dual cells in the security table', () => {
  it('are compared by the text they show, never as an empty value', () => {
    expect(cellText(dualCell(45306, '1/15/2024'))).toBe('1/15/2024');
    expect(cellText(dualCell(1, ' corp\\alice '))).toBe('CORP\\ALICE');
  });

  it('a dual USERID admits only that user', () => {
    const data: LoadedTable = { name: 'T', fields: ['REGION'], columns: [['EAST', 'WEST']] };
    const security: LoadedTable = { name: 'SA', fields: ['ACCESS', 'USERID', 'REGION'], columns: [['USER'], [dualCell(7, 'CORP\\ALICE')], ['EAST']] };
    const model = buildDataModel({ tables: [data], sectionAccess: security, variables: {} });
    expect(reduce(model, security, { directory: 'CORP', userId: 'ALICE', groups: [] }).kind).toBe('granted');
    expect(reduce(model, security, { directory: 'CORP', userId: 'EVE', groups: [] }).kind).toBe('denied');
  });
});
