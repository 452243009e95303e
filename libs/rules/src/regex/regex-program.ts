import { RulesError, RulesErrorCode } from '../rules.error';
import type { CharClass, RegexNode } from './regex-ast';

export const enum Op {
  Char = 0,
  Any = 1,
  Class = 2,
  Split = 3,
  Jmp = 4,
  Bol = 5,
  Eol = 6,
  Match = 7,
}

/** Thompson-construction program; `a`/`b` are operands (code point, class index, jump targets). */
export interface RegexProgram {
  readonly op: Uint8Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly classes: readonly CharClass[];
}

/** Bounded `{m,n}` expansion and alternations can multiply size; past this the pattern is refused. */
export const MAX_PROGRAM_SIZE = 4_000;

export function compileProgram(root: RegexNode): RegexProgram {
  const builder = new ProgramBuilder();
  builder.emitNode(root);
  builder.emit(Op.Match, 0, 0);
  return builder.finish();
}

class ProgramBuilder {
  private readonly ops: number[] = [];
  private readonly as: number[] = [];
  private readonly bs: number[] = [];
  private readonly classes: CharClass[] = [];

  emit(op: Op, a: number, b: number): number {
    if (this.ops.length >= MAX_PROGRAM_SIZE) {
      throw new RulesError(RulesErrorCode.UNSUPPORTED_REGEX, `pattern expands to more than ${MAX_PROGRAM_SIZE} instructions`);
    }
    this.ops.push(op);
    this.as.push(a);
    this.bs.push(b);
    return this.ops.length - 1;
  }

  private patch(at: number, a: number, b: number): void {
    this.as[at] = a;
    this.bs[at] = b;
  }

  private get next(): number {
    return this.ops.length;
  }

  emitNode(node: RegexNode): void {
    switch (node.t) {
      case 'char':
        this.emit(Op.Char, node.cp, 0);
        return;
      case 'any':
        this.emit(Op.Any, 0, 0);
        return;
      case 'class':
        this.classes.push(node.cls);
        this.emit(Op.Class, this.classes.length - 1, 0);
        return;
      case 'bol':
        this.emit(Op.Bol, 0, 0);
        return;
      case 'eol':
        this.emit(Op.Eol, 0, 0);
        return;
      case 'seq':
        for (const item of node.items) this.emitNode(item);
        return;
      case 'alt':
        this.emitAlt(node.options);
        return;
      case 'repeat':
        this.emitRepeat(node.node, node.min, node.max);
        return;
    }
  }

  private emitAlt(options: readonly RegexNode[]): void {
    const jumps: number[] = [];
    options.forEach((option, index) => {
      if (index < options.length - 1) {
        const split = this.emit(Op.Split, 0, 0);
        this.emitNode(option);
        jumps.push(this.emit(Op.Jmp, 0, 0));
        this.patch(split, split + 1, this.next);
      } else {
        this.emitNode(option);
      }
    });
    for (const jump of jumps) this.patch(jump, this.next, 0);
  }

  private emitRepeat(body: RegexNode, min: number, max: number): void {
    for (let k = 0; k < min; k++) this.emitNode(body);
    if (max === Infinity) {
      const split = this.emit(Op.Split, 0, 0);
      this.emitNode(body);
      this.emit(Op.Jmp, split, 0);
      this.patch(split, split + 1, this.next);
      return;
    }
    // Optional copies all skip to the common end: e?e?e? ≡ (e(e(e)?)?)? for a full match.
    const skips: number[] = [];
    for (let k = min; k < max; k++) {
      skips.push(this.emit(Op.Split, 0, 0));
      this.emitNode(body);
    }
    for (const split of skips) this.patch(split, split + 1, this.next);
  }

  finish(): RegexProgram {
    return {
      op: Uint8Array.from(this.ops),
      a: Int32Array.from(this.as),
      b: Int32Array.from(this.bs),
      classes: this.classes,
    };
  }
}
