import { columnCells, decodeQvd } from '@trustzone/qvd';
import { describe, expect, it } from 'vitest';
import { ScriptErrorCode } from './load-script.error';
import { runScript } from './script-executor';
import { resolveLimits } from './script-limits';
import { storeTable } from './table-store';
import { memoryFiles } from './testing/memory-files';
import type { WorkTable } from './work-table';
import { scriptErrorOf } from './testing/script-failure';

const pos = { line: 3, column: 1 };
const table: WorkTable = {
  name: 'Sales',
  fields: ['Id', 'Name', 'Amount'],
  columns: [[1, 2, 3, 4], ['Acme, Inc', 'say "hi"', '  padded', 'two\nlines'], [10.5, null, -3, 0]],
  section: 'application',
  origin: pos,
};

const refusal = scriptErrorOf;

describe('storeTable', () => {
  it('writes a QVD through the sink (kind qvd, so the engine may encrypt it) that reads back cell for cell', async () => {
    const files: Record<string, Uint8Array | string> = {};
    const sink = memoryFiles(files);
    const result = await storeTable(table, { connection: 'out', path: 'sub/sales.qvd' }, 'qvd', { sink, limits: resolveLimits(), pos });
    expect(sink.writes).toEqual([{ key: 'out/sub/sales.qvd', kind: 'qvd' }]);
    const back = decodeQvd(files['out/sub/sales.qvd'] as Uint8Array);
    expect(back.name).toBe('Sales');
    expect(back.columns.map((c) => c.name)).toEqual(table.fields);
    expect(back.columns.map(columnCells)).toEqual(table.columns);
    expect(result).toEqual({ bytes: (files['out/sub/sales.qvd'] as Uint8Array).length, rows: 4 });
  });

  it('writes text as Qlik does (UTF-8 BOM, label row, CRLF, quotes only where needed) and the loader reads it back', async () => {
    const files: Record<string, Uint8Array | string> = {};
    await storeTable(table, { connection: 'out', path: 'sales.csv' }, 'csv', { sink: memoryFiles(files), limits: resolveLimits(), pos });
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(files['out/sales.csv'] as Uint8Array);
    expect(text).toBe('\uFEFFId,Name,Amount\r\n1,"Acme, Inc",10.5\r\n2,"say ""hi""",\r\n3,"  padded",-3\r\n4,"two\nlines",0\r\n');
    const r = await runScript('T: LOAD * FROM [lib://out/sales.csv] (txt, msq);', { files: memoryFiles(files) });
    expect(r.tables[0]!.columns).toEqual(table.columns);
  });

  it('uses another delimiter when asked', async () => {
    const files: Record<string, Uint8Array | string> = {};
    await storeTable({ ...table, columns: [[1], ['a;b'], [2]] }, { connection: 'out', path: 't.txt' }, 'txt', { sink: memoryFiles(files), limits: resolveLimits(), pos, delimiter: ';' });
    expect(new TextDecoder().decode(files['out/t.txt'] as Uint8Array)).toBe('Id;Name;Amount\r\n1;"a;b";2\r\n');
  });

  it('fails with SCRIPT_FILE at the statement when there is no sink or the sink refuses, and with SCRIPT_LIMIT when too big', async () => {
    const none = await refusal(() => storeTable(table, { connection: 'out', path: 'a.qvd' }, 'qvd', { sink: undefined, limits: resolveLimits(), pos }));
    expect([none.code, none.line]).toEqual([ScriptErrorCode.File, 3]);
    const refused = await refusal(() => storeTable(table, { connection: 'ro', path: 'a.qvd' }, 'qvd', {
      sink: { write: async () => Promise.reject(new Error('data connection "ro" may not be written by this reload')) }, limits: resolveLimits(), pos,
    }));
    expect(refused.message).toMatch(/lib:\/\/ro\/a\.qvd: data connection "ro" may not be written/);
    const big = await refusal(() => storeTable(table, { connection: 'out', path: 'a.qvd' }, 'qvd', { sink: memoryFiles({}), limits: resolveLimits({ maxFileChars: 100 }), pos }));
    expect(big.code).toBe(ScriptErrorCode.Limit);
  });
});
