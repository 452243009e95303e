/**
 * Every refusal of the QVD codec. Messages name what is wrong in the file (a field, an offset, a
 * count) and never contain cell values, so they can be shown to the script author as they are.
 */
export enum QvdErrorCode {
  /** Not a QVD at all, or the XML header is malformed or unterminated. */
  Header = 'QVD_HEADER',
  /** The header is well-formed but describes something impossible (offsets, widths, counts). */
  Layout = 'QVD_LAYOUT',
  /** A symbol table or the index table does not match what the header promises. */
  Data = 'QVD_DATA',
  /** A feature this codec deliberately does not read (compression). */
  Unsupported = 'QVD_UNSUPPORTED',
  /** A bound given by the caller (rows, header size) was exceeded. */
  Limit = 'QVD_LIMIT',
  /** A table that cannot be written (field names, cell types). */
  Encode = 'QVD_ENCODE',
}

export class QvdError extends Error {
  override readonly name = 'QvdError';

  constructor(
    readonly code: QvdErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function fail(code: QvdErrorCode, message: string): never {
  throw new QvdError(code, message);
}
