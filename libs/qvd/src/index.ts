export { QvdError, QvdErrorCode } from './qvd.error';
export { dualCell, isDualCell, type DualCell, type QvdCell } from './qvd-cell';
export { decodeQvd, decodeQvdCells, columnCells, DEFAULT_MAX_HEADER_BYTES, type QvdCellTable, type QvdColumn, type QvdReadOptions, type QvdTable } from './qvd-decoder';
export { encodeQvd, type QvdWriteOptions, type QvdWriteTable } from './qvd-encoder';
export type { QvdFieldHeader, QvdHeader, QvdNumberFormat } from './qvd-header';
