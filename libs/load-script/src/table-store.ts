import { encodeQvd, QvdError } from '@trustzone/qvd';
import type { Cell } from '@trustzone/data-model';
import { toText } from './cell-value';
import type { StoreFormat } from './file-format';
import { ScriptError, ScriptErrorCode, type SourcePosition } from './load-script.error';
import type { ScriptFileSink, StoredFileKind } from './script-file-source';
import type { ScriptLimits } from './script-limits';
import type { WorkTable } from './work-table';

export type { StoreFormat };

export interface StoreTarget {
  connection: string;
  path: string;
}

export interface StoreContext {
  sink: ScriptFileSink | undefined;
  limits: ScriptLimits;
  /** Where the STORE statement is, for errors. */
  pos: SourcePosition;
  /** Text files only (`delimiter is …`); a comma by default. */
  delimiter?: string;
}

export interface StoreResult {
  bytes: number;
  rows: number;
}

const BOM = '\uFEFF';

function csvValue(c: Cell, delimiter: string): string {
  if (c === null) return '';
  const text = toText(c);
  // Quoted when a reader could not tell the value apart otherwise (Qlik help, Store: "fields will be
  // surrounded by double quotes … quotes, comma, space or line breaks").
  const needsQuotes = text.includes(delimiter) || /["\r\n]/.test(text) || text !== text.trim() || (text === '' && typeof c === 'string');
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Qlik's text STORE: UTF-8 with a byte order mark, a label row, CRLF line ends. */
export function tableToText(table: Pick<WorkTable, 'fields' | 'columns'>, delimiter = ','): string {
  const rows = table.columns[0]?.length ?? 0;
  const lines: string[] = [table.fields.map((f) => csvValue(f, delimiter)).join(delimiter)];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let f = 0; f < table.columns.length; f++) line += (f === 0 ? '' : delimiter) + csvValue(table.columns[f]![r] ?? null, delimiter);
    lines.push(line);
  }
  return BOM + lines.join('\r\n') + '\r\n';
}

/**
 * Serializes a table (QVD or delimited text) and writes it through the sink. The sink decides
 * whether the connection may be written and, for QVDs, whether the bytes are encrypted: the
 * script never learns a key and never writes a file itself.
 */
export async function storeTable(table: WorkTable, target: StoreTarget, format: StoreFormat, ctx: StoreContext): Promise<StoreResult> {
  const ref = `lib://${target.connection}/${target.path}`;
  if (!ctx.sink) throw ScriptError.at(ScriptErrorCode.File, ctx.pos, `cannot store into ${ref}: writing files is not available`);
  let bytes: Uint8Array;
  let kind: StoredFileKind;
  try {
    if (format === 'qvd') {
      bytes = encodeQvd({ name: table.name, fields: table.fields, columns: table.columns });
      kind = 'qvd';
    } else {
      bytes = new TextEncoder().encode(tableToText(table, ctx.delimiter));
      kind = 'text';
    }
  } catch (e) {
    if (e instanceof QvdError) throw ScriptError.at(ScriptErrorCode.Data, ctx.pos, `cannot store table "${table.name}" as QVD: ${e.message}`);
    throw e;
  }
  if (bytes.length > ctx.limits.maxFileChars) {
    throw ScriptError.at(ScriptErrorCode.Limit, ctx.pos, `storing "${table.name}" into ${ref} exceeds the limit maxFileChars (${ctx.limits.maxFileChars} bytes)`);
  }
  try {
    await ctx.sink.write(target.connection, target.path, bytes, kind);
  } catch (e) {
    throw ScriptError.at(ScriptErrorCode.File, ctx.pos, `cannot store into ${ref}: ${e instanceof Error ? e.message : 'write failed'}`);
  }
  return { bytes: bytes.length, rows: table.columns[0]?.length ?? 0 };
}
