import { buildDataModel } from '@trustzone/data-model';
import { runScript } from '@trustzone/load-script';
import { describe, expect, it } from 'vitest';
import { sectionAccessPreview, sectionAccessView } from './section-access-gate';

// The raw rows of the app; every expected figure below is computed from these arrays, not from the engine.
const SALES: [string, string, number][] = [['EAST', 'Apples', 10], ['EAST', 'Pears', 7], ['WEST', 'Apples', 20], ['WEST', 'Plums', 5], ['NORTH', 'Pears', 3], ['EAST', 'Apples', 4]];
const PRODUCTS: [string, string][] = [['Apples', 'Fruit'], ['Pears', 'Fruit'], ['Plums', 'Stone'], ['Kiwis', 'Exotic']];
const NOTES: [string][] = [['one'], ['two'], ['three']];
// ACCESS, USERID, GROUP, REGION, OMIT
const ACCESS: [string, string, string, string, string][] = [
  ['ADMIN', 'CORP\\ADMIN', '*', '', ''],
  ['USER', 'CORP\\ALICE', '*', 'EAST', 'AMOUNT'],
  ['USER', 'CORP\\ALICE', '*', 'NORTH', ''],
  ['USER', '*', 'WESTERNERS', 'WEST', 'CATEGORY'],
  ['USER', 'CORP\\EVE', '*', 'SOUTH', ''],
];

const inline = (header: string, rows: readonly (readonly (string | number)[])[]) => `LOAD * INLINE [\n${header}\n${rows.map((r) => r.join(', ')).join('\n')}\n];`;
const SCRIPT = `Section Access;\n${inline('ACCESS, USERID, GROUP, REGION, OMIT', ACCESS)}\nSection Application;\nSales:\n${inline('REGION, PRODUCT, AMOUNT', SALES)}\nProducts:\n${inline('PRODUCT, CATEGORY', PRODUCTS)}\nNotes:\n${inline('NOTE', NOTES)}\n`;

/** Independently: the rows of ACCESS that apply, then the regions, the kept rows of each table and the omitted fields. */
function expected(user: string, groups: string[]) {
  const rows = ACCESS.filter((r) => (r[1] === '*' || r[1] === user) && (r[2] === '*' || groups.includes(r[2])));
  if (rows.length === 0) return { decision: 'denied' as const, code: 'NO_MATCHING_ROW' };
  const admin = rows.some((r) => r[0] === 'ADMIN');
  const regions = new Set(rows.map((r) => r[3]));
  const all = admin || regions.has('');
  const sales = SALES.filter((s) => all || regions.has(s[0]));
  if (sales.length === 0) return { decision: 'denied' as const, code: 'NO_MATCHING_VALUES' };
  const products = new Set(sales.map((s) => s[1]));
  return {
    decision: 'granted' as const,
    admin,
    matchedRows: rows.length,
    hiddenFields: [...new Set(rows.map((r) => r[4]).filter((f) => f !== ''))].sort(),
    tables: [
      { name: 'Sales', rows: SALES.length, keptRows: sales.length },
      { name: 'Products', rows: PRODUCTS.length, keptRows: all ? PRODUCTS.length : PRODUCTS.filter((p) => products.has(p[0])).length },
      { name: 'Notes', rows: NOTES.length, keptRows: NOTES.length },
    ],
  };
}

async function model() {
  return buildDataModel(await runScript(SCRIPT));
}

describe('section-access preview (the reduction real sessions use, summarised)', () => {
  it('a user: rows kept per table, hidden fields and the matched rows equal an independent computation over the raw rows', async () => {
    const m = await model();
    for (const [id, groups] of [['ALICE', []], ['ADMIN', []], ['BOB', ['WESTERNERS']], ['ALICE', ['WESTERNERS']]] as [string, string[]][]) {
      const p = sectionAccessPreview(m, { kind: 'user', userDirectory: 'CORP', userId: id, groups });
      expect(p, id).toMatchObject(expected(`CORP\\${id}`, groups));
      // The same view a real session gets.
      const view = sectionAccessView(m, { userDirectory: 'CORP', userId: id, groups });
      expect(p.tables.map((t) => t.keptRows)).toEqual(m.tables.map((_, i) => view.rowCount(i)));
      expect(p.hiddenFields).toEqual([...view.omitted].sort());
    }
  });

  it('denied, and why: no applicable row, or values absent from the data (strict exclusion); no row survives', async () => {
    const m = await model();
    const nobody = sectionAccessPreview(m, { kind: 'user', userDirectory: 'CORP', userId: 'MALLORY', groups: [] });
    expect(nobody).toMatchObject({ decision: 'denied', denied: { code: expected('CORP\\MALLORY', []).code } });
    const eve = sectionAccessPreview(m, { kind: 'user', userDirectory: 'CORP', userId: 'EVE', groups: [] });
    expect(eve).toMatchObject({ decision: 'denied', denied: { code: expected('CORP\\EVE', []).code } });
    expect(eve.tables.every((t) => t.keptRows === 0)).toBe(true);
    expect(() => sectionAccessView(m, { userDirectory: 'CORP', userId: 'EVE', groups: [] })).toThrow();
  });

  it('a group: a member whose own USERID no row names — rows with * apply, rows naming someone else do not', async () => {
    const m = await model();
    const west = sectionAccessPreview(m, { kind: 'group', group: 'WESTERNERS' });
    expect(west).toMatchObject(expected('\u0000', ['WESTERNERS']));
    expect(sectionAccessPreview(m, { kind: 'group', group: 'NOBODY' })).toMatchObject({ decision: 'denied', denied: { code: 'NO_MATCHING_ROW' } });
  });

  it('no section access: granted, every row, nothing hidden', async () => {
    const m = buildDataModel(await runScript(`Sales:\n${inline('REGION, PRODUCT, AMOUNT', SALES)}\n`));
    expect(sectionAccessPreview(m, { kind: 'group', group: 'ANY' })).toEqual({ securityTable: false, decision: 'granted', admin: false, matchedRows: 0, hiddenFields: [], tables: [{ name: 'Sales', rows: SALES.length, keptRows: SALES.length }] });
  });

  it('the answer carries no data value: only table names, field names, counts and the deny code/reason', async () => {
    const m = await model();
    const text = JSON.stringify(['ALICE', 'BOB', 'EVE', 'MALLORY'].map((id) => sectionAccessPreview(m, { kind: 'user', userDirectory: 'CORP', userId: id, groups: ['WESTERNERS'] })));
    for (const v of [...SALES.flatMap((r) => [r[0], r[1]]), ...PRODUCTS.flat(), ...NOTES.flat(), 'SOUTH']) expect(text).not.toContain(`"${v}"`);
  });
});
