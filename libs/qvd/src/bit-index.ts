/**
 * The index table: one record of `recordBytes` bytes per row, read as a little-endian integer;
 * a field's stored value is `(record >>> bitOffset) & mask(bitWidth)` and its symbol index is that
 * plus the field's bias (negative = null). Unpacked column by column into an Int32Array, with the
 * byte position, shift and mask computed once per field; the source is padded by 8 bytes so the
 * 4- or 5-byte reads near the end stay in bounds without a check per row.
 */
export const INDEX_PADDING = 8;

export interface PackedField {
  bitOffset: number;
  bitWidth: number;
  bias: number;
  noOfSymbols: number;
}

/**
 * Fills `out[r]` with the symbol index of row r (-1 for null). Returns -1 when every index is in
 * range, else the first row whose index points past the symbol table.
 */
export function unpackField(index: Uint8Array, rows: number, recordBytes: number, f: PackedField, out: Int32Array): number {
  const { bias, noOfSymbols: n } = f;
  if (f.bitWidth === 0) {
    const idx = bias < 0 ? -1 : bias;
    if (idx >= n && rows > 0) return 0;
    out.fill(idx);
    return -1;
  }
  const shift = f.bitOffset & 7;
  const mask = f.bitWidth === 32 ? -1 : (1 << f.bitWidth) - 1;
  let p = f.bitOffset >>> 3;
  let bad = -1;
  if (f.bitWidth < 32 && shift + f.bitWidth <= 32) return unpackNarrow(index, rows, recordBytes, p, shift, mask, bias, n, out);
  if (shift + f.bitWidth <= 32) {
    for (let r = 0; r < rows; r++, p += recordBytes) {
      const word = index[p]! | (index[p + 1]! << 8) | (index[p + 2]! << 16) | (index[p + 3]! << 24);
      const idx = ((word >>> shift) & mask) + bias;
      out[r] = idx < 0 ? -1 : idx;
      if (idx >= n && bad < 0) bad = r;
    }
  } else {
    const high = 32 - shift;
    for (let r = 0; r < rows; r++, p += recordBytes) {
      const word = index[p]! | (index[p + 1]! << 8) | (index[p + 2]! << 16) | (index[p + 3]! << 24);
      const idx = (((word >>> shift) | (index[p + 4]! << high)) & mask) + bias;
      out[r] = idx < 0 ? -1 : idx;
      if (idx >= n && bad < 0) bad = r;
    }
  }
  return bad;
}

/**
 * The common layout (the value inside the 32-bit word at its first byte, narrower than 32 bits):
 * one unaligned little-endian load per row, and separate loops for fields with and without nulls
 * (bias < 0), so the hot loop has no null branch. Same contract as unpackField.
 */
function unpackNarrow(index: Uint8Array, rows: number, recordBytes: number, start: number, shift: number, mask: number, bias: number, n: number, out: Int32Array): number {
  const view = new DataView(index.buffer, index.byteOffset, index.byteLength);
  let high = -1;
  if (bias >= 0) {
    for (let r = 0, p = start; r < rows; r++, p += recordBytes) {
      const idx = ((view.getUint32(p, true) >>> shift) & mask) + bias;
      out[r] = idx;
      if (idx > high) high = idx;
    }
  } else {
    for (let r = 0, p = start; r < rows; r++, p += recordBytes) {
      const idx = ((view.getUint32(p, true) >>> shift) & mask) + bias;
      out[r] = idx < 0 ? -1 : idx;
      if (idx > high) high = idx;
    }
  }
  if (high < n) return -1;
  for (let r = 0; r < rows; r++) if (out[r]! >= n) return r;
  return -1;
}

/**
 * unpackField fused with the gather: writes each row's symbol (null for a null index) straight
 * into `out`, for readers that want cells and not indexes. Same checks and return value.
 */
export function unpackCells<T>(index: Uint8Array, rows: number, recordBytes: number, f: PackedField, symbols: readonly T[], out: (T | null)[]): number {
  const { bias, noOfSymbols: n } = f;
  if (f.bitWidth === 0) {
    const idx = bias < 0 ? -1 : bias;
    if (idx >= n && rows > 0) return 0;
    const v = idx < 0 ? null : symbols[idx]!;
    for (let r = 0; r < rows; r++) out[r] = v;
    return -1;
  }
  const shift = f.bitOffset & 7;
  const mask = f.bitWidth === 32 ? -1 : (1 << f.bitWidth) - 1;
  const high = 32 - shift;
  const wide = shift + f.bitWidth > 32;
  let p = f.bitOffset >>> 3;
  for (let r = 0; r < rows; r++, p += recordBytes) {
    let word = (index[p]! | (index[p + 1]! << 8) | (index[p + 2]! << 16) | (index[p + 3]! << 24)) >>> shift;
    if (wide) word |= index[p + 4]! << high;
    const idx = (word & mask) + bias;
    if (idx < 0) out[r] = null;
    else if (idx < n) out[r] = symbols[idx]!;
    else return r;
  }
  return -1;
}

/**
 * ORs field `f`'s stored values (`indexes[r] - bias`, null as 0) into the zeroed records of
 * `target`. `bias` is 0 or -2 here (the writer's choice), so stored values fit `bitWidth`.
 */
export function packField(target: Uint8Array, recordBytes: number, f: PackedField, indexes: Int32Array): void {
  if (f.bitWidth === 0) return;
  const shift = f.bitOffset & 7;
  const span = (shift + f.bitWidth + 7) >>> 3;
  const high = 32 - shift;
  const bias = f.bias;
  let p = f.bitOffset >>> 3;
  for (let r = 0; r < indexes.length; r++, p += recordBytes) {
    const idx = indexes[r]!;
    const stored = idx < 0 ? 0 : idx - bias;
    const lo = stored << shift;
    // Uint8Array stores keep the low 8 bits, so each line ORs in exactly one byte of the value.
    target[p] = target[p]! | lo;
    if (span > 1) target[p + 1] = target[p + 1]! | (lo >>> 8);
    if (span > 2) target[p + 2] = target[p + 2]! | (lo >>> 16);
    if (span > 3) target[p + 3] = target[p + 3]! | (lo >>> 24);
    if (span > 4) target[p + 4] = target[p + 4]! | (stored >>> high);
  }
}

/** Smallest width whose values hold every stored value (symbols plus the two null codes with bias -2). */
export function bitWidthFor(noOfSymbols: number, hasNull: boolean): number {
  const values = noOfSymbols + (hasNull ? 2 : 0);
  if (values <= 1) return 0;
  return 32 - Math.clz32(values - 1);
}
