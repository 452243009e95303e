import { encodedColumns, type Cell, type EncodedColumn } from '@trustzone/data-model';
import { DelimitedTextError, parseDelimited, type SourceRows } from './delimited-text';
import type { FileFormat } from './file-format';
import { parseFixedRecords } from './fixed-record';
import { parseJsonRows } from './json-rows';
import { ScriptError, ScriptErrorCode, type SourcePosition } from './load-script.error';
import { qvdRows } from './qvd-rows';
import type { LoadSource } from './script-ast';
import type { FileContent, OpenedFile, ScriptFileSource } from './script-file-source';
import type { ScriptLimits } from './script-limits';
import { parseSpreadsheet, SpreadsheetError } from './spreadsheet-rows';
import { decodeFileText, skipLines, TextDecodingError } from './text-decoding';
import { decodeFilePieces, singlePiece, skipPieceLines } from './text-pieces';
import { rowCount, type TableSet } from './work-table';

/** Uniform read access to whatever a LOAD reads from (columnar, like the tables). */
export interface RowSource {
  fields: readonly string[];
  /** Fixed when the LOAD starts: a LOAD that concatenates onto its own source must not re-read its output. */
  rowCount: number;
  columns: readonly (readonly Cell[])[];
  /** The column arrays were made for this LOAD (files, inline): a target may adopt them instead of copying. */
  owned: boolean;
  /** A QVD's fields as symbols + row indexes, while nothing has read `columns` (see EncodedColumn). */
  readonly encoded?: readonly EncodedColumn[] | undefined;
}

export interface SourceContext {
  tables: TableSet;
  files: ScriptFileSource | undefined;
  limits: ScriptLimits;
}

function fromRows(data: SourceRows): RowSource {
  const encoded = encodedColumns(data);
  if (encoded) {
    // The source itself: its `columns` stay lazy, and so does `encoded` (dropped once they are read).
    const source = data as SourceRows & RowSource;
    source.rowCount = encoded[0]?.indexes.length ?? 0;
    source.owned = true;
    return source;
  }
  return { fields: data.fields, rowCount: data.columns[0]?.length ?? 0, columns: data.columns, owned: true };
}

/**
 * The rows a LOAD reads. `referenced` are the field names the LOAD mentions: fixed-record files
 * take their column positions from names like `@1:5` (see `referencedFieldNames`).
 */
export async function readLoadSource(source: LoadSource, ctx: SourceContext, referenced: readonly string[] = []): Promise<RowSource> {
  switch (source.kind) {
    case 'inline':
      return fromRows(parseInline(source, ctx.limits));
    case 'resident': {
      const table = ctx.tables.get(source.table);
      if (!table) throw ScriptError.at(ScriptErrorCode.Data, source.pos, `RESIDENT table "${source.table}" does not exist`);
      return { fields: [...table.fields], rowCount: rowCount(table), columns: [...table.columns], owned: false };
    }
    case 'file':
      return fromRows(await readFile(source, ctx, referenced));
  }
}

/**
 * Every field name an AST node mentions (`{ kind: 'field', name }` anywhere inside it). Generic on
 * purpose: it walks plain objects and arrays, so new expression kinds need no change here.
 */
export function referencedFieldNames(node: unknown, out: Set<string> = new Set(), depth = 0): string[] {
  if (depth > 200 || node === null || typeof node !== 'object') return [...out];
  if (Array.isArray(node)) {
    for (const n of node) referencedFieldNames(n, out, depth + 1);
    return [...out];
  }
  const o = node as Record<string, unknown>;
  if (o['kind'] === 'field' && typeof o['name'] === 'string') out.add(o['name']);
  for (const v of Object.values(o)) if (v !== null && typeof v === 'object') referencedFieldNames(v, out, depth + 1);
  return [...out];
}

function parseInline(source: Extract<LoadSource, { kind: 'inline' }>, limits: ScriptLimits): SourceRows {
  try {
    return parseDelimited(source.content, { delimiter: source.delimiter, quoting: 'standard', maxRows: limits.maxRowsPerTable });
  } catch (e) {
    if (!(e instanceof DelimitedTextError)) throw e;
    // Inline data sits in the script, so the error points at the exact character there.
    const line = source.contentPos.line + e.lineIndex;
    const column = e.lineIndex === 0 ? source.contentPos.column + e.column - 1 : e.column;
    throw new ScriptError(e.isLimit ? ScriptErrorCode.Limit : ScriptErrorCode.Data, line, column, `inline data: ${e.message}`);
  }
}

async function readFile(source: Extract<LoadSource, { kind: 'file' }>, ctx: SourceContext, referenced: readonly string[]): Promise<SourceRows> {
  const ref = `lib://${source.connection}/${source.path}`;
  const fail = (code: ScriptErrorCode, message: string): never => {
    throw ScriptError.at(code, source.pos, `${ref}: ${message}`);
  };
  if (!ctx.files) return fail(ScriptErrorCode.File, 'cannot read: file access is not available');
  let content: FileContent | OpenedFile;
  try {
    content = ctx.files.open && readInBlocks(source.format) ? await ctx.files.open(source.connection, source.path) : await ctx.files.read(source.connection, source.path);
  } catch (e) {
    return fail(ScriptErrorCode.File, `cannot read: ${e instanceof Error ? e.message : 'read failed'}`);
  }
  const isOpened = (c: unknown): c is OpenedFile => typeof c === 'object' && c !== null && typeof (c as OpenedFile).readAt === 'function';
  if (typeof content !== 'string' && !(content instanceof Uint8Array) && !isOpened(content)) return fail(ScriptErrorCode.File, 'cannot read: the file source returned nothing');
  const opened = isOpened(content) ? (content = readsReported(content)) : null;
  try {
    const size = opened ? opened.size : (content as FileContent).length;
    if (size > ctx.limits.maxFileChars) return fail(ScriptErrorCode.Limit, `exceeds the limit maxFileChars (${ctx.limits.maxFileChars})`);
    return parseContent(content, source.format, ctx.limits, referenced);
  } catch (e) {
    if (e instanceof DelimitedTextError) {
      return fail(e.isLimit ? ScriptErrorCode.Limit : ScriptErrorCode.Data, `line ${e.lineIndex + 1}, column ${e.column}: ${e.message}`);
    }
    if (e instanceof SpreadsheetError) return fail(e.isLimit ? ScriptErrorCode.Limit : ScriptErrorCode.Data, e.message);
    if (e instanceof TextDecodingError) return fail(ScriptErrorCode.Data, e.message);
    if (e instanceof FileReadFailure) return fail(ScriptErrorCode.File, `cannot read: ${e.message}`);
    throw e;
  } finally {
    await opened?.close();
  }
}

/** A read that failed after the file was opened (while it was parsed): reported like a failed open. */
class FileReadFailure extends Error {}

function readsReported(f: OpenedFile): OpenedFile {
  return {
    size: f.size,
    readAt(into, position) {
      try {
        return f.readAt(into, position);
      } catch (e) {
        throw new FileReadFailure(e instanceof Error ? e.message : 'read failed');
      }
    },
    close: () => f.close(),
  };
}

/** Delimited text without multi-line values is read in blocks (text-pieces.ts); the rest whole. */
function readInBlocks(format: FileFormat): boolean {
  return format.type === 'txt' && format.quoting !== 'msq';
}

function binary(content: FileContent | OpenedFile, what: string): Uint8Array {
  if (typeof content === 'string') throw new TextDecodingError(`${what} files are binary, but the file source returned text`);
  return whole(content);
}

/** The content of a file the formats below read whole (an OpenedFile only reaches them from a source that opens every file). */
function whole(content: Uint8Array | OpenedFile): Uint8Array;
function whole(content: FileContent | OpenedFile): FileContent;
function whole(content: FileContent | OpenedFile): FileContent {
  if (typeof content === 'string' || content instanceof Uint8Array) return content;
  const bytes = new Uint8Array(content.size);
  for (let at = 0; at < bytes.length; ) {
    const n = content.readAt(bytes.subarray(at), at);
    if (n <= 0) return bytes.subarray(0, at);
    at += n;
  }
  return bytes;
}

function parseContent(content: FileContent | OpenedFile, format: FileFormat, limits: ScriptLimits, referenced: readonly string[]): SourceRows {
  const maxRows = limits.maxRowsPerTable;
  switch (format.type) {
    case 'txt': {
      // A multi-line quoted value (msq) may cross the pieces' line breaks: that text stays one string.
      const text = readInBlocks(format) ? decodeFilePieces(content, format.codepage, format.header.bytes) : singlePiece(decodeFileText(whole(content), format.codepage, format.header.bytes));
      const { pieces, skipped } = skipPieceLines(text, format.header.lines);
      const labels = format.labels === 'none' ? 'none' : 'embedded';
      try {
        return parseDelimited(pieces, { delimiter: format.delimiter, quoting: format.quoting, labels, comment: format.comment, maxRows, encode: true });
      } catch (e) {
        if (e instanceof DelimitedTextError) throw new DelimitedTextError(e.lineIndex + skipped, e.column, e.message, e.isLimit);
        throw e;
      }
    }
    case 'fix': {
      const { rest } = skipLines(decodeFileText(whole(content), format.codepage, format.header.bytes), format.header.lines);
      return parseFixedRecords(rest, { labels: format.labels, recordLines: format.recordLines, referenced, maxRows });
    }
    case 'json': {
      const parsed = parseJsonRows(decodeFileText(whole(content), format.codepage), maxRows);
      if ('error' in parsed) throw parsed.isLimit ? new DelimitedTextError(0, 1, parsed.error, true) : new TextDecodingError(parsed.error);
      return parsed;
    }
    case 'ooxml':
      return parseSpreadsheet(binary(content, 'xlsx'), format, maxRows);
    case 'qvd': {
      const rows = qvdRows(binary(content, 'qvd'), maxRows);
      if ('error' in rows) throw rows.isLimit ? new DelimitedTextError(0, 1, rows.error, true) : new TextDecodingError(rows.error);
      return rows;
    }
  }
}

export type { SourcePosition };
