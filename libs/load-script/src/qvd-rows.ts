import { makeEncoded, type EncodedColumn } from '@trustzone/data-model';
import { decodeQvd, QvdError, QvdErrorCode } from '@trustzone/qvd';
import type { SourceRows } from './delimited-text';

/** SourceRows whose columns stay in the QVD's own form until a per-row operation reads them. */
export type EncodedSourceRows = SourceRows & { encoded: readonly EncodedColumn[] | undefined };

/**
 * A QVD as load rows: numbers, texts and duals as the file holds them (dates stay dates). Each
 * field keeps its symbol table and its row indexes (Qlik's optimized load): `columns` is built
 * only if a WHERE, an expression, a join or another per-row step reads it.
 */
export function qvdRows(bytes: Uint8Array, maxRows: number): EncodedSourceRows | { error: string; isLimit: boolean } {
  try {
    const t = decodeQvd(bytes, { maxRows });
    const fields = t.columns.map((c) => c.name);
    return makeEncoded({ fields }, t.columns.map((c): EncodedColumn => ({ symbols: c.symbols, indexes: c.indexes })));
  } catch (e) {
    if (!(e instanceof QvdError)) throw e;
    return { error: e.message, isLimit: e.code === QvdErrorCode.Limit };
  }
}
