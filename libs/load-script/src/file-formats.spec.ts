import { encodeQvd } from '@trustzone/qvd';
import { buildDataModel, dualCell, fullView, tableData, type LoadResult, type LoadedTable } from '@trustzone/data-model';
import { describe, expect, it } from 'vitest';
import { ScriptErrorCode } from './load-script.error';
import { runScript, type ExecuteOptions } from './script-executor';
import type { FileContent } from './script-file-source';
import { memoryFiles } from './testing/memory-files';
import { handMadeXlsx } from './testing/stored-zip';
import { scriptErrorOf } from './testing/script-failure';

const enc = (s: string) => new TextEncoder().encode(s);

async function load(script: string, files: Record<string, FileContent>, options: ExecuteOptions = {}): Promise<LoadResult> {
  return runScript(script, { files: memoryFiles(files), ...options });
}

const failure = (script: string, files: Record<string, FileContent>, options: ExecuteOptions = {}) => scriptErrorOf(() => load(script, files, options));

function rows(t: LoadedTable | undefined): Record<string, unknown>[] {
  if (!t) throw new Error('no table');
  return Array.from({ length: t.columns[0]?.length ?? 0 }, (_, r) => Object.fromEntries(t.fields.map((f, k) => [f, t.columns[k]![r]])));
}
const first = (r: LoadResult) => r.tables[0];

describe('delimited text files', () => {
  it('no labels: fields are @1, @2, … and can be renamed', async () => {
    const r = await load("T: LOAD @1 AS Id, [@2] AS Name FROM [lib://d/a.txt] (txt, no labels, delimiter is ';');", { 'd/a.txt': enc('1;Ann\n2;Bob\n') });
    expect(rows(first(r))).toEqual([{ Id: 1, Name: 'Ann' }, { Id: 2, Name: 'Bob' }]);
    const star = await load('LOAD * FROM [lib://d/a.txt] (txt, no labels);', { 'd/a.txt': enc('x,y\n') });
    expect(first(star)?.fields).toEqual(['@1', '@2']);
  });

  it('header is n lines skips a preamble; header is n skips bytes; errors count lines from the file start', async () => {
    const file = enc('Report of 2024\nexported by X\nA,B\n1,2\n');
    expect(rows(first(await load('LOAD * FROM [lib://d/a.csv] (txt, header is 2 lines, embedded labels);', { 'd/a.csv': file })))).toEqual([{ A: 1, B: 2 }]);
    expect(rows(first(await load('LOAD * FROM [lib://d/a.csv] (txt, header is 29);', { 'd/a.csv': file })))).toEqual([{ A: 1, B: 2 }]);
    const bad = await failure('LOAD * FROM [lib://d/a.csv] (txt, header is 1 lines);', { 'd/a.csv': enc('pre\nA,B\n1,2,3\n') });
    expect(bad.message).toMatch(/line 3/);
  });

  it("comment is '#' skips comment lines; delimiter is spaces splits on runs of blanks", async () => {
    const c = await load("LOAD * FROM [lib://d/a.txt] (txt, comment is '#');", { 'd/a.txt': enc('# generated\nA,B\n# note\n1,2\n') });
    expect(rows(first(c))).toEqual([{ A: 1, B: 2 }]);
    const s = await load('LOAD * FROM [lib://d/a.txt] (txt, delimiter is spaces);', { 'd/a.txt': enc('Name   Qty\n  apple  3\npear\t\t4\n"big fig"  5\n') });
    expect(rows(first(s))).toEqual([{ Name: 'apple', Qty: 3 }, { Name: 'pear', Qty: 4 }, { Name: 'big fig', Qty: 5 }]);
  });

  it('no quotes keeps quote characters; msq lets a quoted value span lines', async () => {
    const q = await load('LOAD * FROM [lib://d/a.txt] (txt, no quotes);', { 'd/a.txt': enc('A,B\n"x,y\n') });
    expect(rows(first(q))).toEqual([{ A: '"x', B: 'y' }]);
    const m = await load('LOAD * FROM [lib://d/a.txt] (txt, msq);', { 'd/a.txt': enc('A,B\n"two\nlines",1\n') });
    expect(rows(first(m))).toEqual([{ A: 'two\nlines', B: 1 }]);
  });

  it('codepages: utf8 is strict, ansi/1252 map every byte, unicode files are read by their byte order mark', async () => {
    const latin = Uint8Array.from([0x41, 0x0a, 0x43, 0x61, 0x66, 0xe9, 0x0a]); // "A\nCafé\n" in windows-1252
    expect(rows(first(await load('LOAD * FROM [lib://d/a.txt] (txt, codepage is 1252);', { 'd/a.txt': latin })))).toEqual([{ A: 'Café' }]);
    expect(rows(first(await load('LOAD * FROM [lib://d/a.txt] (ansi, txt);', { 'd/a.txt': latin })))).toEqual([{ A: 'Café' }]);
    const wrong = await failure('LOAD * FROM [lib://d/a.txt] (txt, utf8);', { 'd/a.txt': latin });
    expect([wrong.code, wrong.message]).toEqual([ScriptErrorCode.Data, expect.stringMatching(/not valid UTF-8/)]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('A\nÜber\n', 'utf16le')]);
    expect(rows(first(await load('LOAD * FROM [lib://d/a.txt] (txt, unicode);', { 'd/a.txt': new Uint8Array(utf16) })))).toEqual([{ A: 'Über' }]);
  });
});

describe('fixed-record files', () => {
  const file = enc('001Ann       Stockholm\n002Bob       Paris\n\n003Christina London\n');

  it('takes columns from @start:end names (1-based, inclusive; n = to the end)', async () => {
    const r = await load('T: LOAD @1:3 AS Id, @4:13 AS Name, @14:n AS City FROM [lib://d/p.fix] (fix, no labels);', { 'd/p.fix': file });
    expect(rows(first(r))).toEqual([
      { Id: '001', Name: 'Ann', City: 'Stockholm' }, { Id: '002', Name: 'Bob', City: 'Paris' }, { Id: '003', Name: 'Christina', City: 'London' },
    ]);
  });

  it('with embedded labels each label starts a column; records may span lines', async () => {
    const labelled = enc('Id Name      City\n7  Ann       Stockholm\n');
    expect(rows(first(await load('LOAD * FROM [lib://d/p.fix] (fix, embedded labels);', { 'd/p.fix': labelled })))).toEqual([{ Id: 7, Name: 'Ann', City: 'Stockholm' }]);
    const twoLines = enc('001Ann\nStockholm\n002Bob\nParis\n');
    const r = await load('LOAD [@1:3] AS Id, [@4:6] AS Name, [@7:n] AS City FROM [lib://d/p.fix] (fix, no labels, record is 2 lines);', { 'd/p.fix': twoLines });
    expect(rows(first(r))).toEqual([{ Id: '001', Name: 'Ann', City: 'Stockholm' }, { Id: '002', Name: 'Bob', City: 'Paris' }]);
  });

  it('refuses a fixed-record load with no column positions', async () => {
    expect((await failure('LOAD * FROM [lib://d/p.fix] (fix, no labels);', { 'd/p.fix': file })).message).toMatch(/@start:end/);
  });
});

describe('spreadsheets (ooxml)', () => {
  const xlsx = handMadeXlsx({
    Sheet1: [['Name', 'Qty', 'When'], ['apple', 3.5, { date: 45000 }], [null, null, null], ['pear', 7, null]],
    'Q1 2024': [['title row'], ['X', 'Y'], [1, 'one']],
  });

  it('loads a sheet with embedded labels: texts, numbers, formatted dates as duals shown as Excel shows them', async () => {
    const r = await load('LOAD * FROM [lib://d/book.xlsx] (ooxml, embedded labels, table is Sheet1);', { 'd/book.xlsx': xlsx });
    expect(rows(first(r))).toEqual([{ Name: 'apple', Qty: 3.5, When: { num: 45000, text: '2023-03-15' } }, { Name: 'pear', Qty: 7, When: null }]);
  });

  it('picks a sheet by name, skips header rows, and names unlabelled columns by letter', async () => {
    const r = await load("LOAD * FROM [lib://d/book.xlsx] (ooxml, embedded labels, header is 1 lines, table is 'Q1 2024');", { 'd/book.xlsx': xlsx });
    expect(rows(first(r))).toEqual([{ X: 1, Y: 'one' }]);
    const n = await load('LOAD * FROM [lib://d/book.xlsx] (ooxml, no labels, table is [Q1 2024$]);', { 'd/book.xlsx': xlsx });
    expect(first(n)?.fields).toEqual(['A', 'B']);
  });

  it('refuses a missing sheet, a file that is not a workbook, and text content', async () => {
    expect((await failure('LOAD * FROM [lib://d/book.xlsx] (ooxml, table is Nope);', { 'd/book.xlsx': xlsx })).message).toMatch(/sheet "Nope" not found \(sheets: Sheet1, Q1 2024\)/);
    expect((await failure('LOAD * FROM [lib://d/book.xlsx] (ooxml);', { 'd/book.xlsx': enc('A,B\n1,2') })).code).toBe(ScriptErrorCode.Data);
    expect((await failure('LOAD * FROM [lib://d/book.xlsx] (ooxml);', { 'd/book.xlsx': 'text' })).message).toMatch(/binary/);
  });

  it('stops at the row limit', async () => {
    const big = handMadeXlsx({ S: [['N'], ...Array.from({ length: 30 }, (_, i) => [i])] });
    const e = await failure('LOAD * FROM [lib://d/b.xlsx] (ooxml);', { 'd/b.xlsx': big }, { limits: { maxRowsPerTable: 20 } });
    expect([e.code, e.message]).toEqual([ScriptErrorCode.Limit, expect.stringMatching(/maxRowsPerTable/)]);
  });
});

describe('QVD files', () => {
  it('loads what the QVD codec wrote, with nulls, and refuses a damaged file with a Data error', async () => {
    const qvd = encodeQvd({ name: 'Sales', fields: ['Id', 'Region', 'Amount'], columns: [[1, 2, 3], ['North', null, 'South'], [10.5, 7, null]] });
    const r = await load('S: LOAD * FROM [lib://d/sales.qvd] (qvd);', { 'd/sales.qvd': qvd });
    expect(rows(first(r))).toEqual([{ Id: 1, Region: 'North', Amount: 10.5 }, { Id: 2, Region: null, Amount: 7 }, { Id: 3, Region: 'South', Amount: null }]);
    const w = await load('S: LOAD Id, Amount * 2 AS Double FROM [lib://d/sales.qvd] (qvd) WHERE Id > 1;', { 'd/sales.qvd': qvd });
    expect(rows(first(w))).toEqual([{ Id: 2, Double: 14 }, { Id: 3, Double: null }]);
    const damaged = qvd.slice(0, qvd.length - 2);
    expect((await failure('LOAD * FROM [lib://d/x.qvd] (qvd);', { 'd/x.qvd': damaged })).code).toBe(ScriptErrorCode.Data);
  });

  it('dual values in a QVD reach the data model as duals: dates stay dates, numeric-looking texts stay texts', async () => {
    const qvd = encodeQvd({ name: 'D', fields: ['Day', 'Code'], columns: [[dualCell(45322, '2024-01-31'), dualCell(36525, '1999-12-31')], ['007', 'x']] });
    const r = await load('D: LOAD * FROM [lib://d/d.qvd] (qvd); N: LOAD Day + 1 AS Next, Year(Day) AS Y RESIDENT D;', { 'd/d.qvd': qvd });
    expect(rows(r.tables[0])).toEqual([{ Day: { num: 45322, text: '2024-01-31' }, Code: '007' }, { Day: { num: 36525, text: '1999-12-31' }, Code: 'x' }]);
    expect(rows(r.tables[1])).toEqual([{ Next: 45323, Y: 2024 }, { Next: 36526, Y: 1999 }]);
    const model = buildDataModel(r);
    const cells = tableData(model, fullView(model), 'D', 0, 10).rows.map(([day, code]) => [day!.qText, day!.qNumber, code!.qText]);
    expect(cells).toEqual([['2024-01-31', 45322, '007'], ['1999-12-31', 36525, 'x']]);
  });

  it('refuses a QVD with more rows than the limit before decoding it', async () => {
    const qvd = encodeQvd({ name: 'T', fields: ['N'], columns: [Array.from({ length: 50 }, (_, i) => i)] });
    expect((await failure('LOAD * FROM [lib://d/t.qvd] (qvd);', { 'd/t.qvd': qvd }, { limits: { maxRowsPerTable: 10 } })).code).toBe(ScriptErrorCode.Limit);
  });
});
