import type { SourcePosition } from '../load-script.error';
import type { StoreFormat } from '../file-format';
import type { Expression, FieldSpec, LoadSource } from '../script-ast';

/** `*` in a LOAD field list (alone or among other fields: `LOAD *, A & B AS C`). */
export type FieldItem = FieldSpec | { kind: 'star'; pos: SourcePosition };

export interface NamedRef {
  name: string;
  pos: SourcePosition;
}

/** One LOAD of a chain: a preceding load is a stage reading from the LOAD below it. */
export interface LoadStage {
  distinct: boolean;
  fields: FieldItem[];
  where: Expression | null;
  /** `WHILE cond`: repeats each record while true; IterNo() counts the repetitions. */
  while: Expression | null;
  groupBy: NamedRef[] | null;
  orderBy: { name: string; descending: boolean; pos: SourcePosition }[] | null;
  pos: SourcePosition;
}

export type LoadInput =
  | LoadSource
  | { kind: 'autogenerate'; count: Expression; pos: SourcePosition }
  /** No source: reads the output of the next LOAD (preceding load). */
  | { kind: 'preceding'; pos: SourcePosition };

export type LoadPrefix =
  | { kind: 'none' }
  | { kind: 'concatenate'; table: NamedRef | null }
  | { kind: 'noconcatenate' }
  | { kind: 'join'; how: 'outer' | 'left' | 'right' | 'inner'; table: NamedRef | null }
  | { kind: 'keep'; how: 'left' | 'right' | 'inner'; table: NamedRef | null }
  | { kind: 'mapping' };

export interface LoadStatement {
  kind: 'load';
  label: string | null;
  prefix: LoadPrefix;
  stage: LoadStage;
  input: LoadInput;
  pos: SourcePosition;
}


/** Pairs of `old TO new` (RENAME) or `name AS alias` (ALIAS). */
export interface RenamePair {
  from: string;
  to: string;
  pos: SourcePosition;
}

export type Statement =
  | { kind: 'set'; name: string; value: string; pos: SourcePosition }
  | { kind: 'let'; name: string; expr: Expression | null; pos: SourcePosition }
  | { kind: 'section'; section: 'access' | 'application'; pos: SourcePosition }
  | LoadStatement
  | { kind: 'drop-tables'; tables: NamedRef[]; pos: SourcePosition }
  | { kind: 'drop-fields'; fields: NamedRef[]; tables: NamedRef[] | null; pos: SourcePosition }
  | { kind: 'rename-tables'; pairs: RenamePair[]; pos: SourcePosition }
  | { kind: 'rename-fields'; pairs: RenamePair[]; pos: SourcePosition }
  | { kind: 'rename-fields-using'; map: NamedRef; pos: SourcePosition }
  /** QUALIFY (`on`) / UNQUALIFY: field names or `*` / `?` patterns. */
  | { kind: 'qualify'; on: boolean; patterns: string[]; pos: SourcePosition }
  | { kind: 'alias'; pairs: RenamePair[]; pos: SourcePosition }
  | { kind: 'map-using'; fields: string[]; map: NamedRef; pos: SourcePosition }
  | { kind: 'unmap'; fields: string[] | '*'; pos: SourcePosition }
  | { kind: 'store'; fields: FieldSpec[] | '*'; table: NamedRef; connection: string; path: string; format: StoreFormat; delimiter: string; pos: SourcePosition }
  | { kind: 'trace'; text: string; pos: SourcePosition }
  | { kind: 'sleep'; ms: Expression; pos: SourcePosition };
