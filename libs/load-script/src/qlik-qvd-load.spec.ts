import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isDualCell } from '@trustzone/data-model';
import { describe, expect, it } from 'vitest';
import { runScript } from './script-executor';
import { memoryFiles } from './testing/memory-files';

/**
 * A QVD written by Qlik Sense through the LOAD path: its dual dates reach the model as duals.
 * The file is public MIT-licensed data committed in libs/qvd/fixtures/qlik-written/ (gzipped there;
 * see the README in that folder); TZ_QVD_QLIK_FIXTURES may name another folder holding it.
 */
const dir = process.env['TZ_QVD_QLIK_FIXTURES'] ?? resolve(__dirname, '../../qvd/fixtures/qlik-written');
const plain = join(dir, 'stockholm_temp.qvd');
const qvdBytes = (): Buffer => (existsSync(plain) ? readFileSync(plain) : gunzipSync(readFileSync(`${plain}.gz`)));

describe('LOAD … FROM a Qlik-written QVD', () => {
  it('keeps Qlik\'s dual dates and numbers: Year() and date arithmetic work on the loaded values', async () => {
    const files = memoryFiles({ 'data/t.qvd': new Uint8Array(qvdBytes()) });
    const r = await runScript('T: LOAD * FROM [lib://data/t.qvd] (qvd); Y: LOAD Year(date) AS Y, date + 1 AS Next RESIDENT T WHERE RecNo() <= 2;', { files });
    const t = r.tables[0]!;
    const dates = t.columns[t.fields.indexOf('date')]!;
    expect(dates.length).toBe(98_543);
    expect(dates[0]).toEqual({ num: -52593, text: '1756-01-01' });
    expect(dates.every(isDualCell)).toBe(true);
    const y = r.tables[1]!;
    expect(y.columns).toEqual([[1756, 1756], [-52592, -52591]]);
  });
});
