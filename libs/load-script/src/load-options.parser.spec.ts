import { describe, expect, it } from 'vitest';
import { ScriptError } from './load-script.error';
import { parseScript } from './script-parser';

const formatOf = (spec: string, path = 'a.txt') => {
  const script = parseScript(`LOAD * FROM [lib://c/${path}] ${spec};`);
  const s = script.parsed.get(script.unit.statements[0]!)?.[0];
  if (s?.kind !== 'load' || s.input.kind !== 'file') throw new Error('not a file load');
  return s.input.format;
};

function refusal(spec: string): string {
  try {
    formatOf(spec);
  } catch (e) {
    if (e instanceof ScriptError) return e.message;
    throw e;
  }
  return 'accepted';
}

describe("format specification items (Qlik help: 'Format specification items')", () => {
  it('reads every delimited-text item', () => {
    expect(formatOf("(txt, codepage is 1252, no labels, delimiter is spaces, no quotes, header is 2 lines, comment is '#', no eof)")).toEqual({
      type: 'txt', delimiter: 'spaces', labels: 'none', quoting: 'none', header: { lines: 2, bytes: 0 }, comment: '#', codepage: 'windows-1252',
    });
    expect(formatOf("(txt, UTF-8, explicit labels, delimiter is '\\t', msq, header is 12)")).toMatchObject({ delimiter: '\t', labels: 'explicit', quoting: 'msq', header: { lines: 0, bytes: 12 }, codepage: 'utf-8' });
    expect(formatOf("(unicode, txt, delimiter is '\\\\', header is line)")).toMatchObject({ delimiter: '\\', codepage: 'utf-16le', header: { lines: 1, bytes: 0 } });
    expect(formatOf('(ansi, embedded labels)')).toMatchObject({ type: 'txt', delimiter: ',', labels: 'embedded', quoting: 'standard', codepage: 'windows-1252' });
    expect(formatOf('(mac, txt)')).toMatchObject({ codepage: 'macintosh' });
  });

  it('reads fixed-record, spreadsheet, json and qvd specifications', () => {
    expect(formatOf('(fix, codepage is 28591, no labels, header is 1 lines, record is 2 lines)')).toEqual({ type: 'fix', labels: 'none', header: { lines: 1, bytes: 0 }, recordLines: 2, codepage: 'iso-8859-1' });
    expect(formatOf('(ooxml, embedded labels, table is Sheet1)', 'a.xlsx')).toEqual({ type: 'ooxml', labels: 'embedded', table: 'Sheet1', headerRows: 0 });
    expect(formatOf('(ooxml, no labels, header is 3 lines, table is [My Sheet$])', 'a.xlsx')).toEqual({ type: 'ooxml', labels: 'none', table: 'My Sheet', headerRows: 3 });
    expect(formatOf("(ooxml, table is 'Q1 2024')", 'a.xlsx')).toMatchObject({ table: 'Q1 2024' });
    expect(formatOf('(json, utf8)')).toEqual({ type: 'json', codepage: 'utf-8' });
    expect(formatOf('(qvd)')).toEqual({ type: 'qvd' });
  });

  it.each([
    ['(biff, embedded labels)', 'xlsx'],
    ['(html)', 'html tables'],
    ['(txt, txt)', 'given twice'],
    ['(txt, msq, no quotes)', 'given twice'],
    ['(qvd, delimiter is \';\')', 'does not apply to qvd'],
    ['(txt, record is 2 lines)', 'does not apply to txt'],
    ['(fix, record is 80)', "record is n lines"],
    ['(ooxml, header is 10)', 'counted in rows'],
    ['(txt, codepage is 437)', 'codepage 437 is not supported'],
    ['(oem, txt)', 'oem'],
    ['(txt, no thanks)', 'after NO'],
    ["(txt, delimiter is 'ab')", 'single character'],
    ["(txt, comment is '')", 'comment prefix'],
    ['(txt, header is many lines)', 'whole number'],
  ])('refuses %s', (spec, message) => {
    expect(refusal(spec)).toContain(message);
  });
});
