import { ScriptError, ScriptErrorCode, type SourcePosition } from '../load-script.error';
import { tokenize } from '../script-lexer';
import { TokenStream } from '../token-stream';
import { sliceLocate } from './source-text';
import type { ControlKind, RawStatement, SourceUnit } from './statement-splitter';

/** The control structure of a script; statements and clauses stay raw until they run. */
export type Block =
  | { kind: 'statement'; raw: RawStatement }
  | { kind: 'if'; branches: { clause: RawStatement; body: Block[] }[]; otherwise: Block[] | null }
  | { kind: 'for' | 'for-each'; clause: RawStatement; body: Block[]; next: RawStatement }
  | { kind: 'do'; clause: RawStatement; body: Block[]; loop: RawStatement }
  | { kind: 'sub'; name: string; params: string[]; body: Block[]; clause: RawStatement }
  | { kind: 'call' | 'exit' | 'include'; clause: RawStatement };

interface Frame {
  opener: RawStatement;
  blocks: Block[];
  /** IF only: the branches so far and whether ELSE was seen. */
  ifBlock?: Extract<Block, { kind: 'if' }>;
}

const CLOSERS: Partial<Record<ControlKind, ControlKind[]>> = {
  'end-if': ['if'],
  next: ['for', 'for-each'],
  loop: ['do'],
  'end-sub': ['sub'],
};

const NAMES: Record<ControlKind, string> = {
  if: 'IF', elseif: 'ELSEIF', else: 'ELSE', 'end-if': 'END IF', for: 'FOR', 'for-each': 'FOR EACH', next: 'NEXT',
  do: 'DO', loop: 'LOOP', sub: 'SUB', 'end-sub': 'END SUB', call: 'CALL', exit: 'EXIT', include: '$(Include=…)',
};

/**
 * Nests IF/ELSEIF/ELSE/END IF, FOR/NEXT, FOR EACH/NEXT, DO/LOOP and SUB/END SUB. An unbalanced
 * structure is a syntax error at the clause that does not fit (or at the opener left unclosed).
 */
export function buildBlocks(unit: SourceUnit): Block[] {
  const root: Frame = { opener: { control: null, start: 0, end: 0 }, blocks: [] };
  const stack: Frame[] = [root];
  const at = (raw: RawStatement): SourcePosition => unit.lines.position(raw.start);
  const fail = (raw: RawStatement, message: string): never => {
    throw ScriptError.at(ScriptErrorCode.Syntax, at(raw), message);
  };
  for (const raw of unit.statements) {
    const top = stack[stack.length - 1]!;
    const kind = raw.control;
    if (kind === null) {
      top.blocks.push({ kind: 'statement', raw });
      continue;
    }
    switch (kind) {
      case 'if': {
        const block: Extract<Block, { kind: 'if' }> = { kind: 'if', branches: [{ clause: raw, body: [] }], otherwise: null };
        top.blocks.push(block);
        stack.push({ opener: raw, blocks: block.branches[0]!.body, ifBlock: block });
        break;
      }
      case 'elseif':
      case 'else': {
        const ifBlock = top.ifBlock;
        if (!ifBlock) return fail(raw, `${NAMES[kind]} without IF`);
        if (ifBlock.otherwise !== null) return fail(raw, `${NAMES[kind]} after ELSE`);
        const body: Block[] = [];
        if (kind === 'else') ifBlock.otherwise = body;
        else ifBlock.branches.push({ clause: raw, body });
        top.blocks = body;
        break;
      }
      case 'for':
      case 'for-each':
      case 'do':
      case 'sub': {
        const body: Block[] = [];
        stack.push({ opener: raw, blocks: body });
        break;
      }
      case 'end-if':
      case 'next':
      case 'loop':
      case 'end-sub': {
        const opener = top.opener.control;
        if (stack.length === 1 || opener === null || !CLOSERS[kind]!.includes(opener)) {
          return fail(raw, `${NAMES[kind]} without ${CLOSERS[kind]!.map((k) => NAMES[k]).join(' or ')}` +
            (opener ? ` (the open ${NAMES[opener]} at line ${at(top.opener).line} is not closed)` : ''));
        }
        stack.pop();
        const parent = stack[stack.length - 1]!;
        if (kind === 'end-if') break; // the IF block was pushed when it opened
        parent.blocks.push(closeBlock(unit, top, raw));
        break;
      }
      case 'call':
      case 'exit':
      case 'include':
        top.blocks.push({ kind, clause: raw });
        break;
    }
  }
  if (stack.length > 1) {
    const open = stack[stack.length - 1]!.opener;
    return fail(open, `${NAMES[open.control!]} is never closed`);
  }
  return root.blocks;
}

function closeBlock(unit: SourceUnit, frame: Frame, closer: RawStatement): Block {
  const opener = frame.opener;
  // The IF frame's `blocks` may point at its last branch; every other frame owns one body.
  const body = frame.blocks;
  switch (opener.control) {
    case 'for':
    case 'for-each':
      return { kind: opener.control, clause: opener, body, next: closer };
    case 'do':
      return { kind: 'do', clause: opener, body, loop: closer };
    default: {
      const { name, params } = subHeader(unit, opener);
      return { kind: 'sub', name, params, body, clause: opener };
    }
  }
}

/** `SUB name [(p1, p2, …)]`: read when the script is parsed (no `$(…)` in a SUB header). */
function subHeader(unit: SourceUnit, raw: RawStatement): { name: string; params: string[] } {
  const ts = new TokenStream(tokenize(unit.code.slice(raw.start, raw.end), sliceLocate(unit.lines, raw.start)), unit.code.slice(raw.start, raw.end));
  ts.expectKeyword('SUB', 'to start a subroutine');
  const name = ts.expectName('subroutine name').name;
  const params: string[] = [];
  if (ts.acceptOp('(')) {
    if (!ts.isOp(')')) {
      do params.push(ts.expectName('parameter name').name);
      while (ts.acceptOp(','));
    }
    ts.expectOp(')', 'to close the parameter list');
  }
  if (ts.peek().kind !== 'eof') ts.fail(ts.peek(), 'unexpected text after the SUB header');
  return { name, params };
}
