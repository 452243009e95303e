import type { Cell } from '@trustzone/data-model';
import { isTrue, toNumber, toText } from '../cell-value';
import { parseLibPath } from '../lib-path';
import { ScriptError, ScriptErrorCode, type SourcePosition } from '../load-script.error';
import { parseUnit, type Script } from '../script-parser';
import { parseControlClause, type Condition, type ControlClause, type ForEachItem } from '../script/control-parser';
import { expandDollars, type ExpandedText } from '../script/dollar-expansion';
import type { Block } from '../script/script-blocks';
import { sliceLocate } from '../script/source-text';
import type { RawStatement } from '../script/statement-splitter';
import { distinctValues } from './field-values';
import { executeLoadChain } from './load-executor';
import type { ScriptRuntime } from './script-runtime';
import type { LoadStatement, Statement } from './statement-ast';
import { executeStatement } from './statement-executor';
import { parseStatements } from './statement-parser';

/** How a block ended: normally, or by EXIT (which the enclosing loop, sub or script consumes). */
export type Flow = 'next' | 'exit-script' | 'exit-for' | 'exit-do' | 'exit-sub';

const SUMMARY_CHARS = 160;

/** One line for progress and errors: the statement's text with whitespace collapsed, shortened. */
export function summarize(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > SUMMARY_CHARS ? `${one.slice(0, SUMMARY_CHARS - 1)}…` : one;
}

/**
 * Executes the blocks of one script or included file. Each statement is expanded (`$(…)`) and
 * parsed when it runs — once up front when it holds no `$(` — so loops see each pass's variables.
 */
export class BlockRunner {
  private loops = 0;
  private subs = 0;

  constructor(
    private readonly rt: ScriptRuntime,
    private readonly script: Script,
  ) {}

  private position(raw: RawStatement): SourcePosition {
    return this.script.unit.lines.position(raw.start);
  }

  private expand(raw: RawStatement): ExpandedText {
    const unit = this.script.unit;
    return expandDollars(unit.code.slice(raw.start, raw.end), sliceLocate(unit.lines, raw.start), this.rt.expansionHost(), this.rt.limits.maxVariableChars);
  }

  private clause(raw: RawStatement): ControlClause {
    const x = this.expand(raw);
    return parseControlClause(x.text, x.locate, this.rt.limits.maxExpressionDepth);
  }

  /** Counts, expands, parses and announces a statement; returns what it holds. */
  private statementsOf(raw: RawStatement): { statements: Statement[]; summary: string } {
    this.rt.count(this.position(raw));
    const cached = this.script.parsed.get(raw);
    const unit = this.script.unit;
    let text: string;
    let statements: Statement[];
    if (cached) {
      text = unit.code.slice(raw.start, raw.end);
      statements = cached;
    } else {
      const x = this.expand(raw);
      text = x.text;
      statements = parseStatements(x.text, this.rt.limits, x.locate);
    }
    const summary = summarize(text);
    if (statements.length > 0) {
      const at = this.position(raw);
      this.rt.options.onStatement?.({ kind: 'statement', line: at.line, column: at.column, text: summary });
    }
    return { statements, summary };
  }

  async run(blocks: readonly Block[]): Promise<Flow> {
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i]!;
      let flow: Flow = 'next';
      switch (block.kind) {
        case 'statement':
          i = await this.statement(blocks, i);
          break;
        case 'if':
          flow = await this.ifBlock(block);
          break;
        case 'for':
          flow = await this.forBlock(block);
          break;
        case 'for-each':
          flow = await this.forEachBlock(block);
          break;
        case 'do':
          flow = await this.doBlock(block);
          break;
        case 'sub':
          this.rt.count(this.position(block.clause));
          this.rt.subs.set(block.name.toUpperCase(), { name: block.name, params: block.params, body: block.body, script: this.script });
          break;
        case 'call':
          flow = await this.call(block.clause);
          break;
        case 'exit':
          flow = this.exit(block.clause);
          break;
        case 'include':
          flow = await this.include(block.clause);
          break;
      }
      if (flow !== 'next') return flow;
    }
    return 'next';
  }

  /** Runs the statement at `blocks[i]`; a preceding LOAD takes the following statements with it. Returns the last index used. */
  private async statement(blocks: readonly Block[], start: number): Promise<number> {
    let i = start;
    let current = this.statementsOf((blocks[i] as Extract<Block, { kind: 'statement' }>).raw);
    try {
      let k = 0;
      while (k < current.statements.length) {
        const stmt = current.statements[k++]!;
        if (stmt.kind !== 'load' || stmt.input.kind !== 'preceding') {
          await executeStatement(stmt, this.rt);
          continue;
        }
        const chain: LoadStatement[] = [stmt];
        while (chain[chain.length - 1]!.input.kind === 'preceding') {
          if (k >= current.statements.length) {
            const next = blocks[i + 1];
            if (next?.kind !== 'statement') {
              throw ScriptError.at(ScriptErrorCode.Syntax, chain[chain.length - 1]!.pos, 'this LOAD has no source (FROM, INLINE, RESIDENT or AUTOGENERATE) and no LOAD follows it to read from');
            }
            i++;
            const summary = current.summary;
            current = this.statementsOf(next.raw);
            current.summary = summary;
            k = 0;
          }
          const below = current.statements[k++]!;
          if (below.kind !== 'load') throw ScriptError.at(ScriptErrorCode.Syntax, below.pos, 'a preceding LOAD must be followed by the LOAD it reads from');
          chain.push(below);
        }
        await executeLoadChain(chain, this.rt);
      }
    } catch (e) {
      if (e instanceof ScriptError && e.statement === undefined) e.statement = current.summary;
      throw e;
    }
    return i;
  }

  private test(cond: Condition): boolean {
    if (cond === null) return true;
    const v = isTrue(this.rt.evaluate(cond.expr));
    return cond.negate ? !v : v;
  }

  private async guarded<T>(raw: RawStatement, f: () => Promise<T> | T): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (e instanceof ScriptError && e.statement === undefined) e.statement = summarize(this.script.unit.code.slice(raw.start, raw.end));
      throw e;
    }
  }

  private async ifBlock(block: Extract<Block, { kind: 'if' }>): Promise<Flow> {
    for (const branch of block.branches) {
      const taken = await this.guarded(branch.clause, () => {
        this.rt.count(this.position(branch.clause));
        const c = this.clause(branch.clause);
        return c.kind === 'if' && isTrue(this.rt.evaluate(c.cond));
      });
      if (taken) return this.run(branch.body);
    }
    return block.otherwise ? this.run(block.otherwise) : 'next';
  }

  private async loop(body: readonly Block[]): Promise<Flow> {
    this.loops++;
    try {
      return await this.run(body);
    } finally {
      this.loops--;
    }
  }

  private async forBlock(block: Extract<Block, { kind: 'for' | 'for-each' }>): Promise<Flow> {
    const { c, from, to, step } = await this.guarded(block.clause, () => {
      this.rt.count(this.position(block.clause));
      const c = this.clause(block.clause);
      if (c.kind !== 'for') throw new Error('FOR clause expected');
      const num = (e: typeof c.from, what: string) => {
        const n = toNumber(this.rt.evaluate(e));
        if (n === null) throw ScriptError.at(ScriptErrorCode.Data, e.pos, `FOR … ${what} must be a number`);
        return n;
      };
      const from = num(c.from, 'start');
      const to = num(c.to, 'TO');
      const step = c.step ? num(c.step, 'STEP') : 1;
      if (step === 0) throw ScriptError.at(ScriptErrorCode.Data, c.step!.pos, 'FOR … STEP 0 would never end');
      return { c, from, to, step };
    });
    const at = this.position(block.clause);
    for (let v = from; step > 0 ? v <= to : v >= to; v = Number((v + step).toPrecision(15))) {
      this.rt.setVariable(c.variable, v, at);
      const flow = await this.loop(block.body);
      if (flow === 'exit-for') break;
      if (flow !== 'next') return flow;
      this.rt.count(this.position(block.next));
    }
    return 'next';
  }

  private async forEachBlock(block: Extract<Block, { kind: 'for' | 'for-each' }>): Promise<Flow> {
    if (block.kind === 'for') return this.forBlock(block);
    const { variable, values } = await this.guarded(block.clause, async () => {
      this.rt.count(this.position(block.clause));
      const c = this.clause(block.clause);
      if (c.kind !== 'for-each') throw new Error('FOR EACH clause expected');
      const values: Cell[] = [];
      for (const item of c.items) values.push(...(await this.items(item)));
      return { variable: c.variable, values };
    });
    const at = this.position(block.clause);
    for (const v of values) {
      this.rt.setVariable(variable, v, at);
      const flow = await this.loop(block.body);
      if (flow === 'exit-for') break;
      if (flow !== 'next') return flow;
      this.rt.count(this.position(block.next));
    }
    return 'next';
  }

  private async items(item: ForEachItem): Promise<Cell[]> {
    switch (item.kind) {
      case 'value':
        return [this.rt.evaluate(item.expr)];
      case 'field-value-list':
        return distinctValues(this.rt.tables, toText(this.rt.evaluate(item.field)));
      case 'file-list': {
        const pattern = toText(this.rt.evaluate(item.pattern));
        const lib = parseLibPath(pattern);
        if ('error' in lib) throw ScriptError.at(ScriptErrorCode.File, item.pos, `FileList: ${lib.error}`);
        const files = this.rt.options.files;
        if (!files?.list) throw ScriptError.at(ScriptErrorCode.File, item.pos, `FileList(${pattern}): listing files is not available in this reload`);
        let paths: string[];
        try {
          paths = await files.list(lib.connection, lib.path);
        } catch (e) {
          throw ScriptError.at(ScriptErrorCode.File, item.pos, `FileList(${pattern}): ${e instanceof Error ? e.message : 'listing failed'}`);
        }
        return paths.map((p) => `lib://${lib.connection}/${p}`);
      }
    }
  }

  private async doBlock(block: Extract<Block, { kind: 'do' }>): Promise<Flow> {
    const head = (): boolean => {
      this.rt.count(this.position(block.clause));
      const c = this.clause(block.clause);
      return c.kind === 'do' && this.test(c.test);
    };
    const tail = (): boolean => {
      this.rt.count(this.position(block.loop));
      const c = this.clause(block.loop);
      return c.kind === 'loop' && this.test(c.test);
    };
    for (;;) {
      if (!(await this.guarded(block.clause, head))) return 'next';
      const flow = await this.loop(block.body);
      if (flow === 'exit-do') return 'next';
      if (flow !== 'next') return flow;
      if (!(await this.guarded(block.loop, tail))) return 'next';
    }
  }

  private async call(raw: RawStatement): Promise<Flow> {
    const { sub, args } = await this.guarded(raw, () => {
      this.rt.count(this.position(raw));
      const c = this.clause(raw);
      if (c.kind !== 'call') throw new Error('CALL clause expected');
      const sub = this.rt.subs.get(c.name.toUpperCase());
      if (!sub) throw ScriptError.at(ScriptErrorCode.Data, this.position(raw), `CALL ${c.name}: no SUB ${c.name} has been defined before this point`);
      if (c.args.length > sub.params.length) throw ScriptError.at(ScriptErrorCode.Data, this.position(raw), `CALL ${c.name}: ${c.args.length} arguments for ${sub.params.length} parameters`);
      return { sub, args: c.args.map((a) => this.rt.evaluate(a)) };
    });
    // Parameters are variables for the duration of the call; what they held before comes back after.
    const at = this.position(raw);
    const saved = sub.params.map((p) => this.rt.variables.get(p));
    sub.params.forEach((p, k) => this.rt.setVariable(p, args[k] ?? null, at));
    try {
      const runner = sub.script === this.script ? this : new BlockRunner(this.rt, sub.script);
      const flow = await runner.runSub(sub.body);
      return flow === 'exit-script' ? flow : 'next';
    } finally {
      sub.params.forEach((p, k) => this.rt.setVariable(p, saved[k] ?? null, at));
    }
  }

  /** A SUB body: EXIT SUB is allowed, the caller's loops are not this body's loops. */
  private async runSub(body: readonly Block[]): Promise<Flow> {
    this.subs++;
    const loops = this.loops;
    this.loops = 0;
    try {
      return await this.run(body);
    } finally {
      this.subs--;
      this.loops = loops;
    }
  }

  private exit(raw: RawStatement): Flow {
    this.rt.count(this.position(raw));
    const c = this.clause(raw);
    if (c.kind !== 'exit' || !this.test(c.test)) return 'next';
    const at = this.position(raw);
    if ((c.what === 'for' || c.what === 'do') && this.loops === 0) throw ScriptError.at(ScriptErrorCode.Syntax, at, `EXIT ${c.what.toUpperCase()} outside a loop`);
    if (c.what === 'sub' && this.subs === 0) throw ScriptError.at(ScriptErrorCode.Syntax, at, 'EXIT SUB outside a SUB');
    return `exit-${c.what}`;
  }

  /** `$(Include=lib://…)` / `$(Must_Include=…)`: runs the file's statements here. */
  private async include(raw: RawStatement): Promise<Flow> {
    const at = this.position(raw);
    this.rt.count(at);
    const text = this.script.unit.code.slice(raw.start, raw.end);
    const must = /^\$\(\s*must_include/i.test(text);
    const eq = text.indexOf('=');
    const pathCode = text.slice(eq + 1, text.lastIndexOf(')'));
    const x = expandDollars(pathCode, sliceLocate(this.script.unit.lines, raw.start + eq + 1), this.rt.expansionHost(), this.rt.limits.maxVariableChars);
    const ref = x.text.trim().replace(/^\[(.*)\]$/, '$1');
    const lib = parseLibPath(ref);
    if ('error' in lib) throw ScriptError.at(ScriptErrorCode.File, at, `Include: ${lib.error}`);
    if (this.rt.includeDepth >= this.rt.limits.maxIncludeDepth) {
      throw ScriptError.at(ScriptErrorCode.Limit, at, `includes nest deeper than the limit maxIncludeDepth (${this.rt.limits.maxIncludeDepth})`);
    }
    let content: string;
    try {
      const files = this.rt.options.files;
      if (!files) throw new Error('file access is not available');
      const data = await files.read(lib.connection, lib.path);
      content = typeof data === 'string' ? data : new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch (e) {
      if (!must) return 'next'; // Include fails silently when the file is missing (Qlik); Must_Include does not.
      throw ScriptError.at(ScriptErrorCode.File, at, `Must_Include cannot read ${ref}: ${e instanceof Error ? e.message : 'read failed'}`);
    }
    if (content.length > this.rt.limits.maxScriptChars) throw ScriptError.at(ScriptErrorCode.Limit, at, `${ref} is longer than the limit maxScriptChars (${this.rt.limits.maxScriptChars})`);
    this.rt.includeDepth++;
    try {
      const included = parseUnit(content.replace(/^\uFEFF/, ''), this.rt.limits);
      const flow = await new BlockRunner(this.rt, included).run(included.blocks);
      return flow === 'exit-script' ? flow : 'next';
    } catch (e) {
      if (!(e instanceof ScriptError)) throw e;
      // Positions inside the included file are reported at the Include, naming the file and place.
      const wrapped = ScriptError.at(e.code, at, `in ${ref}, line ${e.line}, column ${e.column}: ${e.message}`);
      wrapped.statement = e.statement;
      throw wrapped;
    } finally {
      this.rt.includeDepth--;
    }
  }
}
