const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/**
 * Finds a symbol by number: open addressing over typed arrays, keyed by the double's bits. A Map
 * keyed by numbers hashes and boxes every lookup, which made a column of 700,000 distinct amounts
 * the slowest part of a QVD STORE. Keys are finite and -0 is stored as 0 (the caller normalizes).
 */
export class NumberIndex {
  private keys = new Float64Array(1024);
  private values = new Int32Array(1024).fill(-1);
  private mask = 1023;
  private size = 0;

  private slot(n: number): number {
    f64[0] = n;
    const h = Math.imul(u32[0]! ^ Math.imul(u32[1]!, 0x9e3779b1), 0x85ebca6b);
    return (h ^ (h >>> 15)) & this.mask;
  }

  get(n: number): number {
    for (let i = this.slot(n); ; i = (i + 1) & this.mask) {
      const v = this.values[i]!;
      if (v < 0 || this.keys[i] === n) return v;
    }
  }

  set(n: number, value: number): void {
    if ((this.size + 1) * 2 > this.mask) this.grow();
    let i = this.slot(n);
    while (this.values[i]! >= 0) i = (i + 1) & this.mask;
    this.keys[i] = n;
    this.values[i] = value;
    this.size++;
  }

  private grow(): void {
    const { keys, values } = this;
    const capacity = keys.length * 2;
    this.keys = new Float64Array(capacity);
    this.values = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (values[i]! >= 0) this.set(keys[i]!, values[i]!);
  }
}
