import { decodeQvdCells, QvdError, QvdErrorCode } from '@trustzone/qvd';
import type { SourceRows } from './delimited-text';
import { toModelCell } from './file-cells';

/** A QVD as load rows; the cell conversion runs once per distinct value, not once per row. */
export function qvdRows(bytes: Uint8Array, maxRows: number): SourceRows | { error: string; isLimit: boolean } {
  try {
    return decodeQvdCells(bytes, toModelCell, { maxRows });
  } catch (e) {
    if (!(e instanceof QvdError)) throw e;
    return { error: e.message, isLimit: e.code === QvdErrorCode.Limit };
  }
}
