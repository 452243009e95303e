import type { SourcePosition } from '../load-script.error';

/** Maps an offset in some text to the 1-based line/column an author sees (UTF-16 columns). */
export type Locate = (offset: number) => SourcePosition;

/** Line starts of a text, for offset → line/column lookups by binary search. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): SourcePosition {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

/** Positions in a slice of a larger text: offsets in the slice shifted by where it starts. */
export function sliceLocate(lines: LineIndex, base: number): Locate {
  return (offset) => lines.position(base + offset);
}
