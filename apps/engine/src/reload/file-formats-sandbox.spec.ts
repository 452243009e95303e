import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { utils, write } from '@e965/xlsx';
import { encodeQvd } from '@trustzone/qvd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReload, type ReloadOutcome } from './reload-runner';

/**
 * The file formats inside the real sandbox: the bundled worker (no externals, read-only grants,
 * no workers or child processes) parses .xlsx with SheetJS, QVDs, codepages and fixed records.
 */
const workerPath = fileURLToPath(new URL('../../../../dist/apps/engine/reload-worker.cjs', import.meta.url));
let root: string;
let data: string;

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'tz-formats-')));
  data = join(root, 'data');
  mkdirSync(data);
  const book = utils.book_new();
  utils.book_append_sheet(book, utils.aoa_to_sheet([['Region', 'Target'], ['North', 120], ['South', 80.5]]), 'Targets');
  writeFileSync(join(data, 'targets.xlsx'), write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  writeFileSync(join(data, 'sales.qvd'), encodeQvd({ name: 'Sales', fields: ['Region', 'Amount'], columns: [['North', 'South', null], [10, 20.25, 5]] }));
  writeFileSync(join(data, 'legacy.txt'), Buffer.from('Ort;Wert\nM\xfcnchen;3\n', 'latin1'));
  writeFileSync(join(data, 'fixed.fix'), '01North 7\n02South 9\n');
  mkdirSync(join(data, 'drop'));
  writeFileSync(join(data, 'drop', 'jan.csv'), 'Amount\n10\n11\n');
  writeFileSync(join(data, 'drop', 'feb.csv'), 'Amount\n20\n');
  writeFileSync(join(data, 'drop', 'notes.txt'), 'not a csv');
  writeFileSync(join(data, 'common.qvs'), "SET vSep = ';';\n");
  mkdirSync(join(root, 'out'));
  mkdirSync(join(root, 'locks'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ok = (o: ReloadOutcome) => {
  if (!o.ok) throw new Error(JSON.stringify(o.error));
  return o;
};

describe('file formats in the sandboxed worker', () => {
  it('loads xlsx, qvd, a Windows-1252 text file and a fixed-record file', async () => {
    const script = [
      'T: LOAD * FROM [lib://data/targets.xlsx] (ooxml, embedded labels, table is Targets);',
      'S: LOAD * FROM [lib://data/sales.qvd] (qvd);',
      "L: LOAD * FROM [lib://data/legacy.txt] (txt, codepage is 1252, delimiter is ';');",
      'F: LOAD @1:2 AS Id, @3:7 AS Place, [@8:n] AS N FROM [lib://data/fixed.fix] (fix, no labels);',
    ].join('\n');
    const outcome = ok(await runReload({ workerPath, script, connections: [{ name: 'data', dir: data }], timeoutMs: 20_000, maxOldSpaceMb: 256 }));
    const byName = Object.fromEntries(outcome.result.tables.map((t) => [t.name, t.columns]));
    expect(byName['T']).toEqual([['North', 'South'], [120, 80.5]]);
    expect(byName['S']).toEqual([['North', 'South', null], [10, 20.25, 5]]);
    expect(byName['L']).toEqual([['München'], [3]]);
    expect(byName['F']).toEqual([['01', '02'], ['North', 'South'], [7, 9]]);
  });

  it('reads a text file larger than its read buffer in blocks: every row, multi-byte characters across the cuts, windows-1252 € signs', async () => {
    // ~3.4 MB: more than three of the reader's 1 MiB blocks, and lines of varying length so cuts land everywhere.
    const rows = Array.from({ length: 120_000 }, (_, i) => ({ id: i, name: `Zürich-${'€'.repeat(i % 5)}-${i % 97}`, amount: (i % 1000) / 4 }));
    writeFileSync(join(data, 'big.csv'), 'id,name,amount\n' + rows.map((r) => `${r.id},${r.name},${r.amount}`).join('\n') + '\n');
    writeFileSync(join(data, 'euro.txt'), Buffer.from([...Buffer.from('Sign;Code\n'), 0x80, ...Buffer.from(';1\n'), 0x93, 0x61, 0x94, ...Buffer.from(';2\n')]));
    const script = [
      "B: LOAD * FROM [lib://data/big.csv] (txt, utf8, embedded labels, delimiter is ',');",
      "E: LOAD * FROM [lib://data/euro.txt] (txt, codepage is 1252, embedded labels, delimiter is ';');",
    ].join('\n');
    const outcome = ok(await runReload({ workerPath, script, connections: [{ name: 'data', dir: data }], timeoutMs: 60_000, maxOldSpaceMb: 512 }));
    const byName = Object.fromEntries(outcome.result.tables.map((t) => [t.name, t.columns]));
    const [ids, names, amounts] = byName['B']!;
    expect(ids!.length).toBe(rows.length);
    expect(names!.filter((n, i) => n !== rows[i]!.name)).toEqual([]);
    expect(amounts!.reduce<number>((a, v) => a + (v as number), 0)).toBe(rows.reduce((a, r) => a + r.amount, 0));
    expect(byName['E']).toEqual([['\u20ac', '\u201ca\u201d'], [1, 2]]);
  });

  it('runs $(Include), FileList and STORE (txt and qvd) in the sandboxed worker; the engine writes the files', async () => {
    const script = [
      '$(Include=lib://data/common.qvs);',
      "FOR EACH f IN FileList('lib://data/drop/*.csv')",
      '  Sales: LOAD Amount, FileBaseName() AS Month FROM [$(f)] (txt, embedded labels);',
      'NEXT f',
      "STORE Sales INTO [lib://out/sales.txt] (txt, delimiter is '$(vSep)');",
      'STORE Sales INTO [lib://out/sales.qvd];',
      'Back: LOAD Month AS M, Amount AS A FROM [lib://out/sales.qvd] (qvd);',
    ].join('\n');
    const connections = [{ name: 'data', dir: data }, { name: 'out', dir: join(root, 'out'), writable: true }];
    const outcome = ok(await runReload({ workerPath, script, connections, timeoutMs: 20_000, maxOldSpaceMb: 256, files: { lockDir: join(root, 'locks') } }));
    const back = outcome.result.tables.find((t) => t.name === 'Back');
    expect(back?.columns).toEqual([['feb', 'jan', 'jan'], [20, 10, 11]]);
    expect(readFileSync(join(root, 'out', 'sales.txt'), 'utf8')).toBe('\uFEFFAmount;Month\r\n20;feb\r\n10;jan\r\n11;jan\r\n');
    expect(readdirSync(join(root, 'out')).sort()).toEqual(['sales.qvd', 'sales.txt']);
  });
});
