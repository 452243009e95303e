import type { Cell, EncodedColumn } from '@trustzone/data-model';

/** Distinct numbers / texts the value-keyed maps look up before they stop (later values are appended). */
const MAX_NUMBER_KEYS = 4096;
const MAX_TEXT_KEYS = 1 << 18;
/**
 * Distinct raw texts the table holds before it gives up. A large table misses the CPU's caches on
 * most lookups, which is why short keys are held packed in their slot (one miss per hit, not two);
 * measured on the 1,000,000-row bench, looking up its 100,000-customer column that way costs no
 * more CPU than a string per row, and the load holds about 150 MB less.
 */
const MAX_RAW_KEYS = 1 << 20;
/**
 * A column with this many distinct raw keys, most of them numbers, stops looking them up sooner:
 * typing and appending a number (an unboxed double, no garbage) costs less than a lookup once the
 * table outgrows the first-level caches. Texts are looked up up to MAX_RAW_KEYS: a string per row
 * is garbage the collector pays for, and memory the model pays for.
 */
const NUMBER_KEYS = 4096;

/** At this many raw keys, a column whose values are nearly all distinct (names, e-mails: a string per row anyway) stops looking them up. */
const DISTINCT_CHECK = 1 << 16;
const NEARLY_ALL_DISTINCT = 0.9;
/** Longer raw texts are not looked up (a slot holds the length in 10 bits). */
const MAX_KEY_LENGTH = 1023;
const LEN_SHIFT = 21;
const LEN_MASK = 1023;
const ID_MASK = (1 << LEN_SHIFT) - 1;
const PACKED = 1 << 31;

/** Where the scanner leaves a number it has read, for appendParsed (no boxed double in between). */
export const PARSED = new Float64Array(1);

/** Returned by lookup() when the raw text is not in the table. */
export const MISS = -2;


/**
 * One column of delimited text being encoded while it is read (see EncodedColumn): each row keeps
 * the index of its value in `symbols`, -1 for null.
 *
 * Unquoted values are looked up by their raw characters (`table`: hash, key start, length, symbol
 * per slot, open addressing; the keys' characters packed in `chars`), so a value seen before costs
 * a hash (computed by the scanner while it looks for the delimiter) and a compare: no string, no
 * number parsing, no Map. A cell is a function of its raw characters alone (delimited-text's
 * cellAt), so equal raw texts are equal cells. The keys are copied rather than pointing into the
 * text: comparing against the first occurrence far back in a large file was a cache miss per cell.
 *
 * A column with many distinct values (ids, amounts, names) stops looking up (see MAX_RAW_KEYS,
 * NUMBER_KEYS): each value is then typed and appended (numbers stay unboxed doubles in `symbols`
 * while the column holds nothing else). Symbols need not be distinct: the model builder and every
 * reader go by value.
 */
export class ColumnEncoder {
  readonly indexes: Int32Array;
  private symbols: Cell[] = [];
  private symbolCount = 0;
  /**
   * 4 ints per slot: a packed key's three words, or a longer key's hash, start in `chars` and 0;
   * then meta (0 = empty slot, else PACKED | length << LEN_SHIFT | symbol index + 2). Null once
   * given up.
   */
  table: Int32Array | null = new Int32Array(4 * 1024);
  /** pack()'s result. */
  private w0 = 0;
  private w1 = 0;
  private w2 = 0;
  private keys = 0;
  private numberKeys = 0;
  private chars = new Uint16Array(4096);
  private charsUsed = 0;
  /** Cells that arrive as values (quoted texts, the first record of a file without labels). */
  private numbers: Map<number, number> | null = new Map();
  private texts: Map<string, number> | null = new Map();

  constructor(capacity: number) {
    this.indexes = new Int32Array(capacity);
  }

  /**
   * The symbol of the raw text `s[start, start + len)`, or MISS. A short key (at most 12
   * characters, each below 256: codes, names, dates, amounts) is held packed in its slot as three
   * words and compared as such, so a hit costs one slot read (one cache miss in a table larger
   * than the caches, not two) and no hash over its characters; longer keys are hashed (FNV-1a)
   * and compared with their characters in `chars`.
   */
  lookup(s: string, start: number, len: number): number {
    if (len > MAX_KEY_LENGTH) return MISS;
    const packed = this.pack(s, start, len);
    const w0 = this.w0;
    const w1 = this.w1;
    const w2 = this.w2;
    const h = packed ? this.mixWords(w0, w1, w2, len) : this.hashChars(s, start, len);
    const table = this.table!;
    const mask = (table.length >> 2) - 1;
    for (let at = (h ^ (h >>> 16)) & mask; ; at = (at + 1) & mask) {
      const p = at << 2;
      const meta = table[p + 3]!;
      if (meta === 0) return MISS;
      if (((meta >>> LEN_SHIFT) & LEN_MASK) !== len) continue;
      if (packed) {
        if (meta < 0 && table[p] === w0 && table[p + 1] === w1 && table[p + 2] === w2) return (meta & ID_MASK) - 2;
      } else if (meta >= 0 && table[p] === h) {
        const chars = this.chars;
        const keyStart = table[p + 1]!;
        let i = 0;
        while (i < len && chars[keyStart + i] === s.charCodeAt(start + i)) i++;
        if (i === len) return (meta & ID_MASK) - 2;
      }
    }
  }

  /**
   * lookup() for a key the scanner packed itself while it looked for the delimiter (at most 12
   * characters, each below 256, a byte per character as pack() lays them out): the hot loop reads
   * each character once instead of once to find the delimiter and again to pack it.
   */
  lookupPacked(w0: number, w1: number, w2: number, len: number): number {
    const h = this.mixWords(w0, w1, w2, len);
    const table = this.table!;
    const mask = (table.length >> 2) - 1;
    for (let at = (h ^ (h >>> 16)) & mask; ; at = (at + 1) & mask) {
      const p = at << 2;
      const meta = table[p + 3]!;
      if (meta === 0) return MISS;
      if (meta < 0 && ((meta >>> LEN_SHIFT) & LEN_MASK) === len && table[p] === w0 && table[p + 1] === w1 && table[p + 2] === w2) return (meta & ID_MASK) - 2;
    }
  }

  /** Records `cell` as the value of the raw text `s[start, start + len)` after a MISS. */
  addRaw(s: string, start: number, len: number, cell: Cell, row: number): number {
    const id = cell === null ? -1 : this.push(cell);
    if (len > MAX_KEY_LENGTH) return id;
    let table = this.table!;
    const keys = ++this.keys;
    if (typeof cell === 'number') this.numberKeys++;
    if (
      keys >= MAX_RAW_KEYS ||
      (keys === NUMBER_KEYS && this.numberKeys * 2 > keys) ||
      (keys === DISTINCT_CHECK && keys > NEARLY_ALL_DISTINCT * (row + 1))
    ) {
      this.giveUp();
      return id;
    }
    if (id + 2 > ID_MASK) {
      // Quoted values (set) add symbols too: an index beyond the slot's bits ends the lookups.
      this.giveUp();
      return id;
    }
    const packed = this.pack(s, start, len);
    let k0 = this.w0;
    let k1 = this.w1;
    let k2 = this.w2;
    let h: number;
    if (packed) h = this.mixWords(k0, k1, k2, len);
    else {
      h = this.hashChars(s, start, len);
      k0 = h;
      k1 = this.charsUsed;
      k2 = 0;
      if (k1 + len > this.chars.length) {
        const grown = new Uint16Array(Math.max(this.chars.length * 2, k1 + len));
        grown.set(this.chars);
        this.chars = grown;
      }
      const chars = this.chars;
      for (let i = 0; i < len; i++) chars[k1 + i] = s.charCodeAt(start + i);
      this.charsUsed = k1 + len;
    }
    if (keys * 4 > (table.length >> 2) * 3) table = this.grow();
    const mask = (table.length >> 2) - 1;
    let at = (h ^ (h >>> 16)) & mask;
    while (table[(at << 2) + 3] !== 0) at = (at + 1) & mask;
    const p = at << 2;
    table[p] = k0;
    table[p + 1] = k1;
    table[p + 2] = k2;
    table[p + 3] = (packed ? PACKED : 0) | (len << LEN_SHIFT) | (id + 2);
    return id;
  }

  /** Packs a short key into w0..w2 (a byte per character, four per word); false when it does not fit. */
  private pack(s: string, start: number, len: number): boolean {
    if (len > 12) return false;
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(start + i);
      if (c > 255) return false;
      if (i < 4) w0 |= c << (i << 3);
      else if (i < 8) w1 |= c << ((i - 4) << 3);
      else w2 |= c << ((i - 8) << 3);
    }
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    return true;
  }

  /** The hash of a packed key (murmur3's finalizer over its words): it must spread into the low bits. */
  protected mixWords(w0: number, w1: number, w2: number, len: number): number {
    let h = Math.imul(w0, 0xcc9e2d51) ^ Math.imul(w1, 0x1b873593) ^ Math.imul(w2 ^ len, 0x9e3779b1);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return h ^ (h >>> 16);
  }

  /** FNV-1a over a longer key's characters. */
  protected hashChars(s: string, start: number, len: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < start + len; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h;
  }

  /** A cell kept without any lookup (the table has given up). */
  append(cell: Cell): number {
    return cell === null ? -1 : this.push(cell);
  }

  /** The number in PARSED[0], kept without any lookup. */
  appendParsed(): number {
    const i = this.symbolCount++;
    if (i < this.symbols.length) this.symbols[i] = PARSED[0]!;
    else this.symbols.push(PARSED[0]!);
    return i;
  }

  /** A cell that arrived as a value: looked up by value while the maps are small. */
  set(row: number, v: Cell): void {
    this.indexes[row] = this.symbolOf(v);
  }

  finish(rows: number): EncodedColumn {
    this.table = null;
    this.chars = new Uint16Array(0);
    this.symbols.length = this.symbolCount;
    this.numbers = null;
    this.texts = null;
    // A copy of exactly `rows`: a view would carry the whole buffer across the reload IPC.
    return { symbols: this.symbols, indexes: rows === this.indexes.length ? this.indexes : this.indexes.slice(0, rows) };
  }

  private push(cell: Cell): number {
    const i = this.symbolCount++;
    if (i < this.symbols.length) this.symbols[i] = cell;
    else this.symbols.push(cell);
    return i;
  }

  /**
   * From here on about one symbol per row: `symbols` is sized once for every row (each row adds at
   * most one), since growing a million-element array by pushes copied it over and over.
   */
  private giveUp(): void {
    this.table = null;
    this.chars = new Uint16Array(0);
    const n = Math.max(this.indexes.length, this.symbolCount);
    // A column that gives up on numbers gets an array of doubles from the start: one made of
    // holes takes small integers first and is copied whole when its first fraction arrives.
    const symbols = this.numberKeys * 2 > this.keys ? new Array<Cell>(n).fill(0.5) : new Array<Cell>(n);
    for (let i = 0; i < this.symbolCount; i++) symbols[i] = this.symbols[i]!;
    this.symbols = symbols;
  }

  private symbolOf(v: Cell): number {
    if (v === null) return -1;
    if (typeof v === 'number') {
      const numbers = this.numbers;
      if (numbers === null) return this.push(v);
      let i = numbers.get(v);
      if (i === undefined) {
        i = this.push(v);
        if (numbers.size < MAX_NUMBER_KEYS) numbers.set(v, i);
        else this.numbers = null;
      }
      return i;
    }
    if (typeof v === 'string') {
      const texts = this.texts;
      if (texts === null) return this.push(v);
      let i = texts.get(v);
      if (i === undefined) {
        i = this.push(v);
        if (texts.size < MAX_TEXT_KEYS) texts.set(v, i);
        else this.texts = null;
      }
      return i;
    }
    return this.push(v);
  }

  private grow(): Int32Array {
    const old = this.table!;
    const table = new Int32Array(old.length * 2);
    const mask = (table.length >> 2) - 1;
    for (let p = 0; p < old.length; p += 4) {
      const meta = old[p + 3]!;
      if (meta === 0) continue;
      const h = meta < 0 ? this.mixWords(old[p]!, old[p + 1]!, old[p + 2]!, (meta >>> LEN_SHIFT) & LEN_MASK) : old[p]!;
      let at = (h ^ (h >>> 16)) & mask;
      while (table[(at << 2) + 3] !== 0) at = (at + 1) & mask;
      const q = at << 2;
      table[q] = old[p]!;
      table[q + 1] = old[p + 1]!;
      table[q + 2] = old[p + 2]!;
      table[q + 3] = meta;
    }
    this.table = table;
    return table;
  }

}
