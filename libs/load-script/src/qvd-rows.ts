import { decodeQvdCells, QvdError, QvdErrorCode } from '@trustzone/qvd';
import type { SourceRows } from './delimited-text';

/** A QVD as load rows: numbers, texts and duals as the file holds them (dates stay dates). */
export function qvdRows(bytes: Uint8Array, maxRows: number): SourceRows | { error: string; isLimit: boolean } {
  try {
    return decodeQvdCells(bytes, { maxRows });
  } catch (e) {
    if (!(e instanceof QvdError)) throw e;
    return { error: e.message, isLimit: e.code === QvdErrorCode.Limit };
  }
}
