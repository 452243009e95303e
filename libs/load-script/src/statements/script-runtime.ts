import { randomInt } from 'node:crypto';
import { compileGlob, type Cell } from '@trustzone/data-model';
import { toNumber, toText } from '../cell-value';
import { RowContext, type ScriptServices } from '../eval-context';
import { compileExpression } from '../expression-compiler';
import { readFormatSettings, type FormatSettings } from '../format/format-settings';
import { ScriptError, ScriptErrorCode, type SourcePosition } from '../load-script.error';
import type { Expression } from '../script-ast';
import type { ScriptFileSink, ScriptFileSource } from '../script-file-source';
import type { ScriptLimits } from '../script-limits';
import type { ExpansionHost } from '../script/dollar-expansion';
import type { Block } from '../script/script-blocks';
import type { Script } from '../script-parser';
import { TableSet, type Section, type WorkTable } from '../work-table';
import { distinctCount, ExistsIndex } from './exists-index';
import { parseExpressionText } from './expression-text';

/** One line of reload progress: a statement about to run, or a TRACE message. */
export interface StatementEvent {
  kind: 'statement' | 'trace';
  line: number;
  column: number;
  text: string;
}

export interface ExecuteOptions {
  /** Needed only for `FROM [lib://…]`, `$(Include=…)` and FileList(); without it they fail with SCRIPT_FILE. */
  files?: ScriptFileSource;
  /** Needed only for STORE; without it a STORE fails with SCRIPT_FILE. */
  sink?: ScriptFileSink;
  limits?: Partial<ScriptLimits>;
  /** Rows loaded so far into `table`: every `progressEvery` rows and at the end of each LOAD. */
  progress?: (table: string, rows: number) => void;
  /** Each statement as it starts, and each TRACE. */
  onStatement?: (event: StatementEvent) => void;
  /** Epoch milliseconds for Today()/Now() (default: the system clock). */
  clock?: () => number;
  /** Seed of Rand() (default: a fresh random seed per reload). */
  randomSeed?: number;
}

export interface SubRoutine {
  name: string;
  params: string[];
  body: Block[];
  /** The script or included file the SUB was written in (its body's offsets point there). */
  script: Script;
}

/** A small, fast generator (mulberry32): Rand() must be seeded per reload, not shared or global. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The state of one reload: tables, variables, mappings, subroutines and the name rules. */
export class ScriptRuntime {
  readonly tables = new TableSet();
  readonly variables = new Map<string, Cell>();
  readonly mappings = new Map<string, Map<string | number, Cell>>();
  readonly subs = new Map<string, SubRoutine>();
  readonly exists = new ExistsIndex(this.tables);
  readonly cells = { total: 0 };
  readonly reloadStart: number;
  readonly clock: () => number;
  readonly random: () => number;
  section: Section = 'application';
  /** QUALIFY/UNQUALIFY rules in order; the last one matching a field decides. */
  readonly qualifyRules: { matches: (field: string) => boolean; on: boolean }[] = [];
  /** ALIAS a AS b: output fields named `a` are named `b`. */
  readonly aliases = new Map<string, string>();
  /** MAP field USING map ('*' for every field). */
  readonly mapUsing = new Map<string, string>();
  statements = 0;
  sleptMs = 0;
  includeDepth = 0;
  private variablesVersion = 0;
  private formatCache: { version: number; settings: FormatSettings } | null = null;

  constructor(
    readonly limits: ScriptLimits,
    readonly options: ExecuteOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    this.reloadStart = this.clock();
    this.random = seededRandom(options.randomSeed ?? randomInt(2 ** 32));
  }

  setVariable(name: string, value: Cell, at: SourcePosition): void {
    if (value !== null && toText(value).length > this.limits.maxVariableChars) {
      throw ScriptError.at(ScriptErrorCode.Limit, at, `variable ${name} is longer than the limit maxVariableChars (${this.limits.maxVariableChars})`);
    }
    // LET x = ; (or a null result) removes the variable, as in Qlik.
    if (value === null) this.variables.delete(name);
    else this.variables.set(name, value);
    this.variablesVersion++;
  }

  formats(): FormatSettings {
    if (this.formatCache?.version !== this.variablesVersion) {
      this.formatCache = { version: this.variablesVersion, settings: readFormatSettings((n) => this.variables.get(n)) };
    }
    return this.formatCache.settings;
  }

  /** Counts one executed statement or control clause against maxStatements. */
  count(at: SourcePosition): void {
    if (++this.statements > this.limits.maxStatements) {
      throw ScriptError.at(ScriptErrorCode.Limit, at, `more statements than the limit maxStatements (${this.limits.maxStatements}); loops count every pass`);
    }
  }

  qualified(field: string, table: string): string {
    let on = false;
    for (const rule of this.qualifyRules) if (rule.matches(field)) on = rule.on;
    return on ? `${table}.${field}` : field;
  }

  addQualifyRules(patterns: readonly string[], on: boolean): void {
    for (const p of patterns) this.qualifyRules.push({ matches: compileGlob(p), on });
  }

  services(context: { fileName?: string | null; currentTable?: WorkTable | null } = {}): ScriptServices {
    const { tables, mappings, exists, variables } = this;
    const current = context.currentTable ?? null;
    return {
      formats: this.formats(),
      random: this.random,
      now: this.clock,
      reloadStart: this.reloadStart,
      table: (name) => tables.get(name),
      currentTable: () => current ?? tables.lastLoaded,
      mapping: (name) => mappings.get(name),
      exists: (field, value) => exists.has(field, value),
      watchField: (field) => void exists.ensure(field),
      fieldValueCount: (field) => distinctCount(tables, field),
      variable: (name) => variables.get(name),
      fileName: context.fileName ?? null,
    };
  }

  /** An expression with no current record (LET, IF, FOR, `$(=…)`). */
  evaluate(expr: Expression): Cell {
    const f = compileExpression(expr, { services: this.services() });
    return f(NO_ROW);
  }

  expansionHost(): ExpansionHost {
    return {
      variableText: (name) => {
        const v = this.variables.get(name);
        return v === undefined ? undefined : toText(v);
      },
      variableNumber: (name) => {
        const v = this.variables.get(name);
        const n = v === undefined ? null : toNumber(v);
        return n === null ? undefined : String(n);
      },
      evaluate: (text, locate) => toText(this.evaluate(parseExpressionText(text, locate, this.limits.maxExpressionDepth))),
    };
  }
}

const NO_ROW = new RowContext();
