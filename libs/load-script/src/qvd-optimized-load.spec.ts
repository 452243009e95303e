import { buildDataModel, encodeDataModel, encodedColumns, isDualCell, type Cell, type LoadedTable, type LoadResult } from '@trustzone/data-model';
import { describe, expect, it } from 'vitest';
import { runScript } from './script-executor';
import { memoryFiles } from './testing/memory-files';

/**
 * Qlik's optimized load: a QVD loaded whole (LOAD *, field lists, renames) stays symbols + row
 * indexes through the load script and into the model builder; anything that needs one value per
 * row (WHERE, expressions, concatenation, DROP FIELD, …) builds the cells first. Each case checks
 * the cells against the rows the test wrote, and the model against the one built cell by cell.
 */
const INLINE = `Src: LOAD Id, Name, If(Len(Amount) > 0, Num#(Amount)) AS Amount, Date#(Day, 'YYYY-MM-DD') AS Day INLINE [
Id, Name, Amount, Day
1, Ann, 1.5, 2024-01-31
2, Bob, , 2024-02-01
3, Ann, 007, 2024-01-31
4, , -2, 2024-03-15
5, Cy, 1.5, 2024-01-31
];
STORE Src INTO [lib://d/src.qvd] (qvd);
DROP TABLE Src;
`;

/** The rows above, as the loader should hold them (computed here, not by the loader). */
const dayNum = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000 + 25_569;
const EXPECTED: Record<string, Cell[]> = {
  Id: [1, 2, 3, 4, 5],
  Name: ['Ann', 'Bob', 'Ann', null, 'Cy'],
  Amount: [1.5, null, { num: 7, text: '007' }, -2, 1.5], // Num# keeps the text it read (a dual)
  Day: ['2024-01-31', '2024-02-01', '2024-01-31', '2024-03-15', '2024-01-31'].map((d) => ({ num: dayNum(d), text: d })),
};

async function load(body: string): Promise<LoadResult> {
  const files = memoryFiles({});
  return runScript(INLINE + body, { files, sink: files });
}

/** A copy of the table with plain per-cell columns: what the model builder got before. */
const plainCopy = (t: LoadedTable): LoadedTable => ({ name: t.name, fields: [...t.fields], columns: t.columns.map((c) => [...c]) });

function expectSameModel(r: LoadResult): void {
  const wasEncoded = r.tables.map((t) => encodedColumns(t) !== undefined);
  const encoded = Buffer.from(encodeDataModel(buildDataModel(r)));
  // The builder used the encoded form and left it in place (it read no cells).
  expect(r.tables.map((t) => encodedColumns(t) !== undefined)).toEqual(wasEncoded);
  const plain = Buffer.from(encodeDataModel(buildDataModel({ ...r, tables: r.tables.map(plainCopy) })));
  expect(encoded.equals(plain)).toBe(true);
}

const cellsOf = (t: LoadedTable, field: string): unknown[] => t.columns[t.fields.indexOf(field)]!.map((c) => (isDualCell(c) ? { num: c.num, text: c.text } : c));

describe('QVD optimized load (symbols + indexes)', () => {
  it('LOAD * keeps the fields encoded into the model, which equals the one built cell by cell', async () => {
    const r = await load('T: LOAD * FROM [lib://d/src.qvd] (qvd);');
    const t = r.tables[0]!;
    const encoded = encodedColumns(t);
    expect(encoded?.map((c) => c.indexes.length)).toEqual([5, 5, 5, 5]);
    expect(encoded![t.fields.indexOf('Name')]!.indexes).toEqual(Int32Array.from([0, 1, 0, -1, 2]));
    expectSameModel(r);
    for (const f of Object.keys(EXPECTED)) expect(cellsOf(t, f)).toEqual(EXPECTED[f]);
    expect(encodedColumns(t)).toBeUndefined(); // once the cells are read, they are the table
  });

  it('a field list with renames stays encoded; its values follow the new names', async () => {
    const r = await load('T: LOAD Name AS Who, Id FROM [lib://d/src.qvd] (qvd);');
    const t = r.tables[0]!;
    expect(t.fields).toEqual(['Who', 'Id']);
    expect(encodedColumns(t)).toBeDefined();
    expectSameModel(r);
    expect(cellsOf(t, 'Who')).toEqual(EXPECTED['Name']);
    expect(cellsOf(t, 'Id')).toEqual(EXPECTED['Id']);
  });

  it('WHERE and expressions read cells: right rows, no encoded form', async () => {
    const r = await load("T: LOAD Id, Upper(Name) AS U FROM [lib://d/src.qvd] (qvd) WHERE Amount = 1.5;");
    const t = r.tables[0]!;
    expect(encodedColumns(t)).toBeUndefined();
    expect(t.columns).toEqual([[1, 5], ['ANN', 'CY']]);
  });

  it('a second LOAD concatenating onto an encoded table, then DROP FIELD, keep every row', async () => {
    const r = await load('T: LOAD * FROM [lib://d/src.qvd] (qvd); CONCATENATE (T) LOAD * FROM [lib://d/src.qvd] (qvd); DROP FIELD Amount;');
    const t = r.tables[0]!;
    expect(t.fields).toEqual(['Id', 'Name', 'Day']);
    expect(cellsOf(t, 'Id')).toEqual([...EXPECTED['Id']!, ...EXPECTED['Id']!]);
    expect(cellsOf(t, 'Day')).toEqual([...EXPECTED['Day']!, ...EXPECTED['Day']!]);
    expectSameModel(r);
  });

  it('RESIDENT, JOIN and Exists() over an encoded table see its values', async () => {
    const r = await load(`T: LOAD * FROM [lib://d/src.qvd] (qvd);
LEFT JOIN (T) LOAD * INLINE [
Name, Team
Ann, Red
Cy, Blue
];
R: NOCONCATENATE LOAD Id AS Rid RESIDENT T WHERE Team = 'Red';
E: LOAD * INLINE [
Probe
Ann
Zed
] WHERE Exists(Name, Probe);`);
    expect(cellsOf(r.tables.find((t) => t.name === 'T')!, 'Team')).toEqual(['Red', null, 'Red', null, 'Blue']);
    expect(r.tables.find((t) => t.name === 'R')!.columns).toEqual([[1, 3]]);
    expect(r.tables.find((t) => t.name === 'E')!.columns).toEqual([['Ann']]);
  });

  it('an access section loaded from a QVD is upper-cased cell by cell, never left encoded', async () => {
    const files = memoryFiles({});
    const r = await runScript(`A: LOAD * INLINE [
ACCESS, USERID, NAME
admin, dom\\ann, ann
];
STORE A INTO [lib://d/a.qvd] (qvd);
DROP TABLE A;
D: LOAD * INLINE [
NAME
ANN
];
Section Access;
S: LOAD * FROM [lib://d/a.qvd] (qvd);
Section Application;`, { files, sink: files });
    expect(encodedColumns(r.sectionAccess!)).toBeUndefined();
    expect(r.sectionAccess!.columns).toEqual([['ADMIN'], ['DOM\\ANN'], ['ANN']]);
  });
});
