import { Bitset } from './bitset';
import { SymbolIndex } from './symbol-index';

/** Fields smaller than this are always read whole: a pass over them costs less than a build. */
const INDEX_MIN_SYMBOLS = 256;
/** Looked up when each value asked for stands against this many symbols of the field or more. */
const INDEX_SHARE = 8;

/**
 * The distinct values of one field across all tables. Texts live in one concatenated string with
 * UTF-16 offsets (1M short strings as separate JS strings would cost ~40 MB of heap and make
 * decoding allocate a million objects); numbers in a Float64Array with NaN for non-numeric values.
 */
export class SymbolTable {
  /** Built on the first find() that looks values up; never for fields only read whole. */
  private index: SymbolIndex | undefined;

  constructor(
    private readonly chars: string,
    private readonly offsets: Uint32Array,
    readonly nums: Float64Array,
  ) {}

  static fromValues(texts: readonly string[], nums: Float64Array): SymbolTable {
    const offsets = new Uint32Array(texts.length + 1);
    let at = 0;
    for (let i = 0; i < texts.length; i++) {
      offsets[i] = at;
      at += texts[i]!.length;
    }
    offsets[texts.length] = at;
    return new SymbolTable(texts.join(''), offsets, nums);
  }

  get size(): number {
    return this.nums.length;
  }

  text(i: number): string {
    return this.chars.slice(this.offsets[i]!, this.offsets[i + 1]!);
  }

  num(i: number): number {
    return this.nums[i]!;
  }

  isNumeric(i: number): boolean {
    return !Number.isNaN(this.nums[i]!);
  }

  /** Raw parts for the codec. */
  parts(): { chars: string; offsets: Uint32Array; nums: Float64Array } {
    return { chars: this.chars, offsets: this.offsets, nums: this.nums };
  }

  /** Symbols whose text equals one of `texts` or whose number equals one of `numbers`. */
  find(texts: ReadonlySet<string>, numbers: ReadonlySet<number>): Bitset {
    const out = new Bitset(this.size);
    // A few values in a large field are looked up (symbol-index.ts); many are cheaper in one pass.
    if (this.size >= INDEX_MIN_SYMBOLS && (texts.size + numbers.size) * INDEX_SHARE <= this.size) {
      const index = (this.index ??= new SymbolIndex(this.chars, this.offsets, this.nums));
      for (const t of texts) index.addText(t, out);
      for (const n of numbers) index.addNumber(n, out);
      return out;
    }
    for (let i = 0; i < this.size; i++) {
      const n = this.nums[i]!;
      if ((!Number.isNaN(n) && numbers.has(n)) || (texts.size > 0 && texts.has(this.text(i)))) out.add(i);
    }
    return out;
  }
}
