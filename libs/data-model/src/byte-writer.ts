const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Append-only little-endian writer. Typed arrays are kept as views and copied once into the final
 * buffer, so encoding a 1M-row column is one memcpy rather than a million writes.
 */
export class ByteWriter {
  private readonly chunks: Uint8Array[] = [];
  private scratch = new Uint8Array(4096);
  private view = new DataView(this.scratch.buffer);
  private used = 0;
  private total = 0;
  private readonly encoder = new TextEncoder();

  u8(v: number): void {
    this.reserve(1);
    this.view.setUint8(this.used, v);
    this.used += 1;
  }

  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.used, v, true);
    this.used += 4;
  }

  f64(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.used, v, true);
    this.used += 8;
  }

  /** Length-prefixed UTF-8 string. */
  string(s: string): void {
    const bytes = this.encoder.encode(s);
    this.u32(bytes.length);
    this.bytes(bytes);
  }

  bytes(b: Uint8Array): void {
    this.flush();
    this.chunks.push(b);
    this.total += b.length;
  }

  typed(a: Int32Array | Uint32Array | Float64Array): void {
    if (LITTLE_ENDIAN) {
      this.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      return;
    }
    const out = new DataView(new ArrayBuffer(a.byteLength));
    for (let i = 0; i < a.length; i++) {
      if (a instanceof Float64Array) out.setFloat64(i * 8, a[i]!, true);
      else if (a instanceof Int32Array) out.setInt32(i * 4, a[i]!, true);
      else out.setUint32(i * 4, a[i]!, true);
    }
    this.bytes(new Uint8Array(out.buffer));
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.total);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  private reserve(n: number): void {
    if (this.used + n > this.scratch.length) this.flush();
  }

  private flush(): void {
    if (this.used === 0) return;
    this.chunks.push(this.scratch.slice(0, this.used));
    this.total += this.used;
    this.used = 0;
    this.scratch = new Uint8Array(4096);
    this.view = new DataView(this.scratch.buffer);
  }
}
