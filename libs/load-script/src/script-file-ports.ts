/**
 * TEMPORARY (branch i17-lang): the file ports issue 17 adds to `script-file-source.ts` on branch
 * i17-qvd — `ScriptFileSource.list`, `ScriptFileSink` and `storeTable` — declared here with the
 * agreed names so the language side compiles and runs on its own. When the branches merge,
 * import these from './script-file-source' and delete this file (the delimited-text writer below
 * stands in for theirs; QVD is theirs only).
 */
import type { Cell } from '@trustzone/data-model';
import { toText } from './cell-value';
import type { ScriptLimits } from './script-limits';
import type { StoreFormat } from './statements/statement-ast';
import { rowCount, type WorkTable } from './work-table';

/** `FOR EACH f IN FileList('lib://conn/dir/*.csv')`: paths relative to the connection, sorted. */
export interface ScriptFileLister {
  list(connection: string, pattern: string): Promise<string[]> | string[];
}

/** Where STORE writes; error messages must not reveal server paths (they reach the author). */
export interface ScriptFileSink {
  write(connection: string, relativePath: string, data: Uint8Array): Promise<void> | void;
}

export interface StoreContext {
  sink: ScriptFileSink | undefined;
  limits: ScriptLimits;
}

/** Quotes a delimited-text value when it needs it (delimiter, quote, line break, edge spaces). */
function quote(text: string, delimiter: string): string {
  if (text === '' || (!text.includes(delimiter) && !/["\r\n]/.test(text) && text.trim() === text)) return text;
  return `"${text.replace(/"/g, '""')}"`;
}

function cellText(v: Cell | undefined): string {
  return v === undefined || v === null ? '' : toText(v);
}

/** STORE … INTO …: writes the table through the sink (txt/csv: comma-delimited, embedded labels, UTF-8). */
export async function storeTable(table: WorkTable, target: { connection: string; path: string }, format: StoreFormat, ctx: StoreContext): Promise<void> {
  if (!ctx.sink) throw new Error('file writing is not available in this reload');
  if (format === 'qvd') throw new Error('writing QVD files is not available in this build');
  const lines = [table.fields.map((f) => quote(f, ',')).join(',')];
  const n = rowCount(table);
  for (let r = 0; r < n; r++) lines.push(table.columns.map((col) => quote(cellText(col[r]), ',')).join(','));
  const text = `${lines.join('\r\n')}\r\n`;
  await ctx.sink.write(target.connection, target.path, new TextEncoder().encode(text));
}
