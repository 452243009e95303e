/**
 * Fixed-size bitset over 0..size-1. Row sets and symbol sets are bitsets because a 1M-row table
 * costs 125 KB per session this way (a row-index list would cost 4 MB), and membership tests in
 * the scan loops are one shift and one mask.
 */
export class Bitset {
  readonly words: Uint32Array;

  constructor(
    readonly size: number,
    words?: Uint32Array,
  ) {
    this.words = words ?? new Uint32Array((size + 31) >>> 5);
  }

  static full(size: number): Bitset {
    const set = new Bitset(size);
    set.words.fill(0xffffffff);
    const tail = size & 31;
    if (tail !== 0) set.words[set.words.length - 1] = (1 << tail) - 1;
    return set;
  }

  static of(size: number, members: Iterable<number>): Bitset {
    const set = new Bitset(size);
    for (const i of members) set.add(i);
    return set;
  }

  has(i: number): boolean {
    return i >= 0 && i < this.size && (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  add(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }

  delete(i: number): void {
    this.words[i >>> 5]! &= ~(1 << (i & 31));
  }

  clone(): Bitset {
    return new Bitset(this.size, this.words.slice());
  }

  count(): number {
    let n = 0;
    const w = this.words;
    for (let i = 0; i < w.length; i++) n += popcount(w[i]!);
    return n;
  }

  isEmpty(): boolean {
    const w = this.words;
    for (let i = 0; i < w.length; i++) if (w[i] !== 0) return false;
    return true;
  }

  equals(other: Bitset): boolean {
    if (other.size !== this.size) return false;
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** In-place intersection; returns this. */
  intersect(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) a[i]! &= b[i] ?? 0;
    return this;
  }

  /** In-place union; returns this. */
  union(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) a[i]! |= b[i] ?? 0;
    return this;
  }

  /** In-place symmetric difference (selection toggle); returns this. */
  xor(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) a[i]! ^= b[i] ?? 0;
    return this;
  }

  forEach(fn: (i: number) => void): void {
    const w = this.words;
    for (let k = 0; k < w.length; k++) {
      let word = w[k]!;
      while (word !== 0) {
        const low = word & -word;
        fn((k << 5) + (31 - Math.clz32(low)));
        word ^= low;
      }
    }
  }

  toArray(): number[] {
    const out: number[] = [];
    this.forEach((i) => out.push(i));
    return out;
  }

  /**
   * Index of the n-th member (0-based), or -1. Skips whole words by popcount so paging into a
   * large view does not visit every row before the offset.
   */
  nth(n: number): number {
    if (n < 0) return -1;
    const w = this.words;
    let left = n;
    for (let k = 0; k < w.length; k++) {
      const c = popcount(w[k]!);
      if (left < c) {
        let word = w[k]!;
        for (;;) {
          const low = word & -word;
          if (left === 0) return (k << 5) + (31 - Math.clz32(low));
          word ^= low;
          left--;
        }
      }
      left -= c;
    }
    return -1;
  }

  /** Bytes held by this set (for the per-session memory figures). */
  byteLength(): number {
    return this.words.byteLength;
  }
}

export function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
