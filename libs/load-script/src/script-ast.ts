import type { FileFormat } from './file-format';
import type { SourcePosition } from './load-script.error';

export type { FileFormat } from './file-format';

/** The parsed form of a load script. Every node keeps its position for error reporting. */
export type BinaryOperator = '&' | '+' | '-' | '*' | '/' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'and' | 'or' | 'xor' | 'like';
export type UnaryOperator = '-' | 'not';

export type Expression =
  | { kind: 'field'; name: string; pos: SourcePosition }
  | { kind: 'string'; value: string; pos: SourcePosition }
  | { kind: 'number'; value: number; pos: SourcePosition }
  | { kind: 'unary'; op: UnaryOperator; operand: Expression; pos: SourcePosition }
  | { kind: 'binary'; op: BinaryOperator; left: Expression; right: Expression; pos: SourcePosition }
  /**
   * `name` is the canonical upper-case function name (function names are case-insensitive);
   * `distinct` marks `Count(DISTINCT x)` and `Concat(DISTINCT …)`.
   */
  | { kind: 'call'; name: string; args: Expression[]; distinct: boolean; pos: SourcePosition };

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

export type { Statement, LoadStatement, LoadStage, LoadInput, LoadPrefix, FieldItem } from './statements/statement-ast';
export type { StoreFormat } from './file-format';
