import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isDualCell, type QvdCell } from './qvd-cell';
import { columnCells, decodeQvd, decodeQvdCells } from './qvd-decoder';
import { QvdError } from './qvd.error';
import { readQvdIndependently } from './test-support/independent-qvd-reader';

/**
 * QVD files written by Qlik Sense (QvBuildNo 50689) with the CSV each was loaded from: public data
 * under the MIT licence, committed in libs/qvd/fixtures/qlik-written/ (README there names the source
 * repository and commit). The two larger files are stored gzipped. TZ_QVD_QLIK_FIXTURES may point at
 * another folder of Qlik-written files with the same names (plain or .gz).
 */
const dir = process.env['TZ_QVD_QLIK_FIXTURES'] ?? resolve(__dirname, '../fixtures/qlik-written');

/** A small RFC 4180 reader for the source CSVs (independent of the load-script parser). */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** Reads a fixture, plain or gzipped; a missing file fails the test (they are in the repository). */
const fixture = (name: string): Buffer => {
  const plain = join(dir, name);
  return existsSync(plain) ? readFileSync(plain) : gunzipSync(readFileSync(`${plain}.gz`));
};

/** Days since 1899-12-30, Qlik's (and Excel's) serial date, computed from the calendar date. */
const serialDate = (ymd: string): number => {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / 86_400_000 + 25_569;
};

const cellText = (c: QvdCell): string | null => (c === null ? null : typeof c === 'string' ? c : typeof c === 'number' ? String(c) : c.text);

describe('QVD files written by Qlik Sense load with the right types and values', () => {
  it.each(['colors', 'part_categories', 'themes', 'inventory_sets', 'stockholm_temp'])('%s.qvd holds exactly the rows of the CSV it was loaded from', (name) => {
    const table = decodeQvd(fixture(`${name}.qvd`));
    const [header, ...rows] = readCsv(fixture(`${name}.csv`).toString('utf8').replace(/^\uFEFF/, '')).filter((r) => r.length > 1 || r[0] !== '');
    expect(table.name).toBe(name);
    expect(table.columns.map((c) => c.name).sort()).toEqual([...header!].sort());
    expect(table.rowCount).toBe(rows.length);
    for (const column of table.columns) {
      const k = header!.indexOf(column.name);
      const cells = columnCells(column);
      const mismatches = rows.filter((row, r) => cellText(cells[r]!) !== row[k]);
      expect(mismatches.length, `${name}.${column.name}: rows whose text differs from the CSV`).toBe(0);
      // Qlik keeps numbers read from text as duals: the number of the text and its exact spelling.
      for (const [r, cell] of cells.entries()) {
        if (isDualCell(cell) && /^-?\d+(\.\d+)?$/.test(cell.text)) expect(cell.num).toBe(Number(cell.text));
        if (r > 2000) break;
      }
    }
  });

  it('reads dual dates, dual reals and integer keys from stockholm_temp.qvd as Qlik typed them', () => {
    const table = decodeQvd(fixture('stockholm_temp.qvd'));
    const col = (n: string) => columnCells(table.columns.find((c) => c.name === n)!);
    const dates = col('date');
    expect(dates[0]).toEqual({ num: serialDate('1756-01-01'), text: '1756-01-01' });
    for (const d of dates.slice(0, 5000)) {
      expect(isDualCell(d)).toBe(true);
      if (isDualCell(d)) expect(d.num).toBe(serialDate(d.text));
    }
    expect(col('raw')[0]).toEqual({ num: -8.7, text: '-8.7' });
    expect(col('site')[0]).toEqual({ num: 1, text: '1' });
  });

  it('texts stay texts and ids stay numbers (colors.qvd)', () => {
    const table = decodeQvd(fixture('colors.qvd'));
    const [id, name] = [columnCells(table.columns[0]!), columnCells(table.columns[1]!)];
    expect(id.slice(0, 2)).toEqual([{ num: -1, text: '-1' }, { num: 0, text: '0' }]);
    expect(name.slice(0, 2)).toEqual(['Unknown', 'Black']);
  });

  it('agrees cell for cell with the independent reader on every Qlik file', () => {
    for (const name of ['colors', 'themes', 'inventory_sets', 'part_categories']) {
      const ours = decodeQvd(fixture(`${name}.qvd`)).columns.map(columnCells);
      const peer = readQvdIndependently(fixture(`${name}.qvd`));
      const peerCells = ours.map((_, f) => peer.rows.map((row) => {
        const v = row[f]!;
        if (v === null) return null;
        return v.kind === 'text' ? v.text : v.kind === 'dual' ? { num: v.num, text: v.text } : v.num;
      }));
      expect(ours).toEqual(peerCells);
    }
  });

  it('the LOAD path (decodeQvdCells) reads every Qlik file exactly as decodeQvd does', () => {
    for (const name of ['colors', 'themes', 'inventory_sets', 'part_categories', 'stockholm_temp', 'empty_qvd']) {
      const bytes = fixture(`${name}.qvd`);
      expect(decodeQvdCells(bytes).columns, name).toEqual(decodeQvd(bytes).columns.map(columnCells));
    }
  });

  it('reads a Qlik file with no rows, and refuses a damaged one', () => {
    const empty = decodeQvd(fixture('empty_qvd.qvd'));
    expect(empty.rowCount).toBe(0);
    expect(empty.columns.map((c) => c.name)).toEqual(['Country', 'Year', 'Sales']);
    expect(() => decodeQvd(fixture('damaged.qvd'))).toThrow(QvdError);
    expect(() => decodeQvdCells(fixture('damaged.qvd'))).toThrow(QvdError);
  });
});
