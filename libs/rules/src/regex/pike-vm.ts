import { RulesError, RulesErrorCode } from '../rules.error';
import { LINE_TERMINATORS, foldCase, inRanges, upperCase } from './regex-ast';
import type { RegexProgram } from './regex-program';
import { Op } from './regex-program';

/** Longest value `matches` accepts; longer values are an evaluation error (fail closed). */
export const MAX_MATCH_INPUT = 8_192;

/**
 * Thompson/Pike NFA simulation: every instruction is visited at most once per input position, so
 * the cost is O(input × program) whatever the pattern — `(a+)+$` cannot backtrack because nothing
 * does. Only "does the whole input match" is computed, hence no capture bookkeeping.
 */
export class PikeVm {
  private readonly size: number;
  private current: Int32Array;
  private next: Int32Array;
  private readonly marks: Int32Array;
  private readonly stack: Int32Array;
  private generation = 0;

  constructor(private readonly program: RegexProgram) {
    this.size = program.op.length;
    this.current = new Int32Array(this.size);
    this.next = new Int32Array(this.size);
    this.marks = new Int32Array(this.size);
    this.stack = new Int32Array(this.size * 2 + 2);
  }

  /** Whole-input, case-insensitive match. Not reentrant (no caller can recurse into it). */
  fullMatch(input: string): boolean {
    if (input.length > MAX_MATCH_INPUT) {
      throw new RulesError(RulesErrorCode.INPUT_TOO_LARGE, `value longer than ${MAX_MATCH_INPUT} characters for 'matches'`);
    }
    const { op, a, classes } = this.program;
    this.bump();
    let count = this.addThreads(this.current, 0, 0, true, input.length === 0);
    let pos = 0;
    while (pos < input.length && count > 0) {
      const cp = input.codePointAt(pos) as number;
      const width = cp > 0xffff ? 2 : 1;
      const folded = foldCase(cp);
      const upper = upperCase(cp);
      const after = pos + width;
      const atEnd = after === input.length;
      this.bump();
      let nextCount = 0;
      for (let t = 0; t < count; t++) {
        const pc = this.current[t] as number;
        let ok: boolean;
        switch (op[pc]) {
          case Op.Char:
            ok = folded === a[pc] || cp === a[pc];
            break;
          case Op.Any:
            ok = !inRanges(LINE_TERMINATORS, cp);
            break;
          case Op.Class: {
            const cls = classes[a[pc] as number];
            const hit = cls !== undefined && (inRanges(cls.ranges, cp) || inRanges(cls.ranges, folded) || inRanges(cls.ranges, upper));
            ok = cls !== undefined && hit !== cls.negated;
            break;
          }
          default:
            ok = false;
        }
        if (ok) nextCount = this.addThreads(this.next, nextCount, pc + 1, false, atEnd);
      }
      [this.current, this.next] = [this.next, this.current];
      count = nextCount;
      pos = after;
    }
    if (pos < input.length) return false;
    for (let t = 0; t < count; t++) if (op[this.current[t] as number] === Op.Match) return true;
    return false;
  }

  /** A new generation invalidates every mark at once; wrap before the Int32Array would overflow. */
  private bump(): void {
    if (this.generation >= 0x3fffffff) {
      this.marks.fill(0);
      this.generation = 0;
    }
    this.generation++;
  }

  /** Follows jumps, splits and anchors from `start`, appending consuming/Match pcs to `list`. */
  private addThreads(list: Int32Array, count: number, start: number, atStart: boolean, atEnd: boolean): number {
    const { op, a, b } = this.program;
    const gen = this.generation;
    let sp = 0;
    this.stack[sp++] = start;
    while (sp > 0) {
      const pc = this.stack[--sp] as number;
      if (this.marks[pc] === gen) continue;
      this.marks[pc] = gen;
      switch (op[pc]) {
        case Op.Jmp:
          this.stack[sp++] = a[pc] as number;
          break;
        case Op.Split:
          this.stack[sp++] = b[pc] as number;
          this.stack[sp++] = a[pc] as number;
          break;
        case Op.Bol:
          if (atStart) this.stack[sp++] = pc + 1;
          break;
        case Op.Eol:
          if (atEnd) this.stack[sp++] = pc + 1;
          break;
        default:
          list[count++] = pc;
      }
    }
    return count;
  }
}
