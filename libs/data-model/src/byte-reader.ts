import { DataModelError, DataModelErrorCode } from './data-model.error';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Bounds-checked little-endian reader over an untrusted payload. Every read checks the remaining
 * length first, and every count is checked against the bytes left before anything is allocated,
 * so a corrupt count can neither read out of bounds nor make us allocate gigabytes.
 */
export class ByteReader {
  private pos = 0;
  private readonly view: DataView;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  u8(): number {
    this.need(1);
    return this.view.getUint8(this.pos++);
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A count of items that each take at least `minBytes` bytes of what is left. */
  count(minBytes: number, limit = Number.MAX_SAFE_INTEGER): number {
    const n = this.u32();
    if (n > limit || n * minBytes > this.remaining) throw corrupt('count exceeds the payload');
    return n;
  }

  string(): string {
    return this.utf8(this.u32());
  }

  utf8(byteLength: number): string {
    this.need(byteLength);
    const s = this.decoder.decode(this.buf.subarray(this.pos, this.pos + byteLength));
    this.pos += byteLength;
    return s;
  }

  int32s(n: number): Int32Array {
    return this.typed(new Int32Array(this.checked(n, 4)), (v, i) => v.getInt32(i, true));
  }

  uint32s(n: number): Uint32Array {
    return this.typed(new Uint32Array(this.checked(n, 4)), (v, i) => v.getUint32(i, true));
  }

  float64s(n: number): Float64Array {
    return this.typed(new Float64Array(this.checked(n, 8)), (v, i) => v.getFloat64(i, true));
  }

  expectEnd(): void {
    if (this.pos !== this.buf.length) throw corrupt('trailing bytes after the payload');
  }

  private checked(n: number, width: number): number {
    this.need(n * width);
    return n;
  }

  private typed<T extends Int32Array | Uint32Array | Float64Array>(out: T, read: (v: DataView, at: number) => number): T {
    const bytes = out.byteLength;
    if (LITTLE_ENDIAN) {
      new Uint8Array(out.buffer).set(this.buf.subarray(this.pos, this.pos + bytes));
    } else {
      const w = out.BYTES_PER_ELEMENT;
      for (let i = 0; i < out.length; i++) out[i] = read(this.view, this.pos + i * w);
    }
    this.pos += bytes;
    return out;
  }

  private need(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.remaining) throw corrupt('truncated payload');
  }
}

export function corrupt(detail: string): DataModelError {
  return new DataModelError(DataModelErrorCode.CORRUPT_PAYLOAD, `corrupt data model payload: ${detail}`);
}
