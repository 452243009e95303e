import type { FileFormat } from './file-format';
import type { SourcePosition } from './load-script.error';

export type { FileFormat } from './file-format';

/** The parsed form of a load script. Every node keeps its position for error reporting. */
export type BinaryOperator = '&' | '+' | '-' | '*' | '/' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'and' | 'or';
export type UnaryOperator = '-' | 'not';

export type Expression =
  | { kind: 'field'; name: string; pos: SourcePosition }
  | { kind: 'string'; value: string; pos: SourcePosition }
  | { kind: 'number'; value: number; pos: SourcePosition }
  | { kind: 'unary'; op: UnaryOperator; operand: Expression; pos: SourcePosition }
  | { kind: 'binary'; op: BinaryOperator; left: Expression; right: Expression; pos: SourcePosition }
  /** `name` is the canonical upper-case function name (function names are case-insensitive). */
  | { kind: 'call'; name: string; args: Expression[]; pos: SourcePosition };

export interface FieldSpec {
  expr: Expression;
  /** Output name: the alias, else the referenced field's name, else the expression's source text. */
  name: string;
  pos: SourcePosition;
}

export type LoadSource =
  | { kind: 'inline'; content: string; contentPos: SourcePosition; delimiter: string; pos: SourcePosition }
  | { kind: 'file'; connection: string; path: string; format: FileFormat; pos: SourcePosition }
  | { kind: 'resident'; table: string; pos: SourcePosition };

export type Statement =
  | { kind: 'set'; name: string; value: string; pos: SourcePosition }
  | { kind: 'let'; name: string; expr: Expression; pos: SourcePosition }
  | { kind: 'section'; section: 'access' | 'application'; pos: SourcePosition }
  | { kind: 'load'; label: string | null; fields: FieldSpec[] | '*'; source: LoadSource; where: Expression | null; pos: SourcePosition }
  | { kind: 'drop-table'; table: string; pos: SourcePosition }
  | { kind: 'drop-field'; field: string; table: string | null; pos: SourcePosition };

export interface Script {
  statements: Statement[];
}
