import type { Cell } from '@trustzone/data-model';
import { textToCell } from './cell-value';
import { checkedFieldNames, DelimitedTextError, type SourceRows } from './delimited-text';
import type { Labels } from './file-format';

export interface FixedOptions {
  labels: Labels;
  recordLines: number;
  /** Field names the LOAD refers to; `@start:end` (1-based, inclusive; `end` may be `n`) are columns. */
  referenced: readonly string[];
  maxRows: number;
}

interface Column {
  name: string;
  /** 0-based start and end (exclusive; Infinity = to the end of the record). */
  from: number;
  to: number;
}

const POSITION = /^@(\d{1,6}):(\d{1,6}|n)$/i;

/** `@3:10` → characters 3 to 10; `@11:n` → from 11 to the end of the record. */
function positionColumn(name: string): Column | null {
  const m = POSITION.exec(name);
  if (!m) return null;
  const from = Number(m[1]) - 1;
  const to = m[2]!.toLowerCase() === 'n' ? Number.POSITIVE_INFINITY : Number(m[2]);
  return from >= 0 && to > from ? { name, from, to } : null;
}

/**
 * With embedded labels each label (a run without blanks) starts a column, which runs up to the
 * next label. Labels with blanks need @start:end names instead.
 */
function labelColumns(header: string, lineIndex: number): Column[] {
  const starts = [...header.matchAll(/\S+/g)].map((m) => ({ name: m[0], from: m.index }));
  const names = checkedFieldNames(starts.map((s) => s.name), lineIndex);
  return starts.map((s, i) => ({ name: names[i]!, from: s.from, to: starts[i + 1]?.from ?? Number.POSITIVE_INFINITY }));
}

/**
 * Fixed-record text (`fix`): every record is `recordLines` lines and every field a fixed range of
 * character positions, named in the LOAD as `@start:end` (Qlik's syntax) or taken from the label
 * positions of the first record. Values are trimmed; blank values are null.
 */
export function parseFixedRecords(text: string, o: FixedOptions): SourceRows {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  let at = 0;
  const nextRecord = (): string | null => {
    while (at < lines.length && lines[at]!.trim() === '') at++;
    if (at >= lines.length) return null;
    const record = lines.slice(at, at + o.recordLines).join('');
    at += o.recordLines;
    return record;
  };
  const columns: Column[] = [];
  if (o.labels !== 'none') {
    const headerAt = at;
    const header = nextRecord();
    if (header === null) throw new DelimitedTextError(0, 1, 'no header record with field names');
    columns.push(...labelColumns(header, headerAt));
  }
  for (const name of o.referenced) {
    const c = positionColumn(name);
    if (c && !columns.some((k) => k.name === name)) columns.push(c);
  }
  if (columns.length === 0) {
    throw new DelimitedTextError(0, 1, 'a fixed-record file needs column positions: name fields as @start:end (e.g. @1:5 as Id) or use embedded labels');
  }
  const cells: Cell[][] = columns.map(() => []);
  let rows = 0;
  for (let record = nextRecord(); record !== null; record = nextRecord()) {
    if (rows >= o.maxRows) throw new DelimitedTextError(at - 1, 1, `more rows than the limit maxRowsPerTable (${o.maxRows})`, true);
    for (let k = 0; k < columns.length; k++) {
      const c = columns[k]!;
      cells[k]!.push(textToCell(record.slice(c.from, c.to === Number.POSITIVE_INFINITY ? undefined : c.to).trim()));
    }
    rows++;
  }
  return { fields: columns.map((c) => c.name), columns: cells };
}
