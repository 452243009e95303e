import { columnCells, decodeQvd, QvdError, QvdErrorCode } from '@trustzone/qvd';
import type { SourceRows } from './delimited-text';
import { toModelCell } from './file-cells';

/** A QVD as load rows; the cell conversion runs once per distinct value, not once per row. */
export function qvdRows(bytes: Uint8Array, maxRows: number): SourceRows | { error: string; isLimit: boolean } {
  try {
    const table = decodeQvd(bytes, { maxRows });
    return {
      fields: table.columns.map((c) => c.name),
      columns: table.columns.map((c) => columnCells({ symbols: c.symbols.some((v) => v !== null && typeof v === 'object') ? c.symbols.map(toModelCell) : c.symbols, indexes: c.indexes })) as SourceRows['columns'],
    };
  } catch (e) {
    if (!(e instanceof QvdError)) throw e;
    return { error: e.message, isLimit: e.code === QvdErrorCode.Limit };
  }
}
