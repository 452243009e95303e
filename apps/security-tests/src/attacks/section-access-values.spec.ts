import { buildDataModel, dualCell, type LoadedTable } from '@trustzone/data-model';
import { runScript } from '@trustzone/load-script';
import { reduce } from '@trustzone/section-access';
import { describe, expect, it } from 'vitest';

const user = (userId: string) => ({ directory: 'CORP', userId, groups: [] });

/**
 * Threat: load scripts now produce dual values (dates, formatted numbers, Dual()). A security
 * table cell that is a dual must never read as an empty value — which section access takes as
 * "any user" in USERID/GROUP — nor slip past the engine's check of what the worker sends.
 */
describe('section access with dual values', () => {
  it('a security table built from Dual() and Date() values admits only the users it names, reduced to the dates it names', async () => {
    const result = await runScript(`Section Access;
LOAD 'USER' AS ACCESS, Dual('CORP\\ALICE', 1) AS USERID, Date(45306) AS DAY AUTOGENERATE 1;
Section Application;
Sales:
LOAD Date(45305 + RecNo()) AS DAY, RecNo() * 10 AS AMOUNT AUTOGENERATE 3;`);
    const model = buildDataModel(result);
    const alice = reduce(model, result.sectionAccess!, user('ALICE'));
    expect(alice.kind).toBe('granted');
    if (alice.kind === 'granted') expect(alice.view.rowSet(0)?.toArray()).toEqual([0]);
    expect(reduce(model, result.sectionAccess!, user('EVE')).kind).toBe('denied');
  });

  it('a dual smuggled into a stored security table is read by its text, not as "any user"', () => {
    const data: LoadedTable = { name: 'T', fields: ['REGION'], columns: [['EAST', 'WEST']] };
    const security: LoadedTable = { name: 'SA', fields: ['ACCESS', 'USERID', 'REGION'], columns: [['USER'], [dualCell(7, 'CORP\\ALICE')], ['EAST']] };
    const model = buildDataModel({ tables: [data], sectionAccess: security, variables: {} });
    expect(reduce(model, security, user('ALICE')).kind).toBe('granted');
    expect(reduce(model, security, user('EVE')).kind).toBe('denied');
  });
});
