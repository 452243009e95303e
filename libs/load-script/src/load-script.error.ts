/**
 * Every failure of a reload script is a ScriptError with a 1-based line and column, so the author
 * can find it (load-script.md: "reports the error with line/column"), and — once it ran — the
 * statement it happened in. The code lets the engine map failures without parsing messages.
 */
export enum ScriptErrorCode {
  /** The text is not part of the supported subset or is malformed. */
  Syntax = 'SCRIPT_SYNTAX',
  /** A configured bound (statements, rows, cells, inline size, expression depth, …) was exceeded. */
  Limit = 'SCRIPT_LIMIT',
  /** A file could not be read, or a `lib://` path is malformed or refused. */
  File = 'SCRIPT_FILE',
  /** Data that does not fit: CSV/JSON shape, unknown field, bad table reference. */
  Data = 'SCRIPT_DATA',
  /** The resulting model is refused (composite key, bad security table). */
  Model = 'SCRIPT_MODEL',
}

export interface SourcePosition {
  line: number;
  column: number;
}

export class ScriptError extends Error {
  override readonly name = 'ScriptError';
  /** The statement that failed, as a one-line summary (set by the executor). */
  statement: string | undefined;

  constructor(
    readonly code: ScriptErrorCode,
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message);
  }

  static at(code: ScriptErrorCode, pos: SourcePosition, message: string): ScriptError {
    return new ScriptError(code, pos.line, pos.column, message);
  }

  /** Plain-object form for IPC and JSON transport. */
  toJSON(): { code: ScriptErrorCode; line: number; column: number; message: string; statement?: string } {
    return { code: this.code, line: this.line, column: this.column, message: this.message, ...(this.statement ? { statement: this.statement } : {}) };
  }
}
