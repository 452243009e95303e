import type { Cell } from '@trustzone/data-model';
import { DelimitedTextError, parseDelimited, type SourceRows } from './delimited-text';
import { parseJsonRows } from './json-rows';
import { ScriptError, ScriptErrorCode } from './load-script.error';
import type { LoadSource } from './script-ast';
import type { ScriptFileSource } from './script-file-source';
import type { ScriptLimits } from './script-limits';
import { rowCount, type TableSet } from './work-table';

/** Uniform read access to whatever a LOAD reads from (columnar, like the tables). */
export interface RowSource {
  fields: readonly string[];
  /** Fixed when the LOAD starts: a LOAD that concatenates onto its own source must not re-read its output. */
  rowCount: number;
  columns: readonly (readonly Cell[])[];
}

export interface SourceContext {
  tables: TableSet;
  files: ScriptFileSource | undefined;
  limits: ScriptLimits;
}

function fromRows(data: SourceRows): RowSource {
  return { fields: data.fields, rowCount: data.columns[0]?.length ?? 0, columns: data.columns };
}

export async function readLoadSource(source: LoadSource, ctx: SourceContext): Promise<RowSource> {
  switch (source.kind) {
    case 'inline':
      return fromRows(parseInline(source, ctx.limits));
    case 'resident': {
      const table = ctx.tables.get(source.table);
      if (!table) throw ScriptError.at(ScriptErrorCode.Data, source.pos, `RESIDENT table "${source.table}" does not exist`);
      return { fields: [...table.fields], rowCount: rowCount(table), columns: [...table.columns] };
    }
    case 'file':
      return fromRows(await readFile(source, ctx));
  }
}

function parseInline(source: Extract<LoadSource, { kind: 'inline' }>, limits: ScriptLimits): SourceRows {
  try {
    return parseDelimited(source.content, { delimiter: source.delimiter, multiLineQuotes: false, maxRows: limits.maxRowsPerTable });
  } catch (e) {
    if (!(e instanceof DelimitedTextError)) throw e;
    // Inline data sits in the script, so the error points at the exact character there.
    const line = source.contentPos.line + e.lineIndex;
    const column = e.lineIndex === 0 ? source.contentPos.column + e.column - 1 : e.column;
    throw new ScriptError(e.isLimit ? ScriptErrorCode.Limit : ScriptErrorCode.Data, line, column, `inline data: ${e.message}`);
  }
}

async function readFile(source: Extract<LoadSource, { kind: 'file' }>, ctx: SourceContext): Promise<SourceRows> {
  const ref = `lib://${source.connection}/${source.path}`;
  if (!ctx.files) throw ScriptError.at(ScriptErrorCode.File, source.pos, `cannot read ${ref}: file access is not available`);
  let text: string;
  try {
    text = await ctx.files.read(source.connection, source.path);
  } catch (e) {
    throw ScriptError.at(ScriptErrorCode.File, source.pos, `cannot read ${ref}: ${e instanceof Error ? e.message : 'read failed'}`);
  }
  if (typeof text !== 'string') throw ScriptError.at(ScriptErrorCode.File, source.pos, `cannot read ${ref}: file source returned no text`);
  if (text.length > ctx.limits.maxFileChars) {
    throw ScriptError.at(ScriptErrorCode.Limit, source.pos, `${ref} exceeds the limit maxFileChars (${ctx.limits.maxFileChars})`);
  }
  if (source.format.type === 'json') {
    const parsed = parseJsonRows(text, ctx.limits.maxRowsPerTable);
    if ('error' in parsed) throw ScriptError.at(parsed.isLimit ? ScriptErrorCode.Limit : ScriptErrorCode.Data, source.pos, `${ref}: ${parsed.error}`);
    return parsed;
  }
  try {
    const opts = { delimiter: source.format.delimiter, multiLineQuotes: source.format.msq, maxRows: ctx.limits.maxRowsPerTable };
    return parseDelimited(text.replace(/^\uFEFF/, ''), opts);
  } catch (e) {
    if (!(e instanceof DelimitedTextError)) throw e;
    const code = e.isLimit ? ScriptErrorCode.Limit : ScriptErrorCode.Data;
    throw ScriptError.at(code, source.pos, `${ref} line ${e.lineIndex + 1}, column ${e.column}: ${e.message}`);
  }
}
