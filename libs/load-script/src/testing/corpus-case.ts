import type { Cell } from '@trustzone/data-model';

/** A cell as corpus files write it: duals as {num, text}. */
export type JsonCell = string | number | null | { num: number; text: string };

export interface ExpectedTable {
  fields: string[];
  rows: JsonCell[][];
  /** Compare rows in order (ORDER BY, RowNo, Peek); otherwise as a multiset. */
  ordered?: boolean;
}

export interface AccessExpectation {
  /** DIRECTORY\USERID */
  user: string;
  groups?: string[];
  denied?: boolean;
  omitted?: string[];
  /** Visible rows per table, as the texts QIX shows (omitted fields left out). */
  visible?: Record<string, string[][]>;
}

/** expected.json of a corpus case: computed by hand, or by the DuckDB queries in oracle.sql. */
export interface CorpusExpectation {
  about: string;
  options?: { now?: string; seed?: number; limits?: Record<string, number>; timeZone?: string };
  tableNames?: string[];
  tables?: Record<string, ExpectedTable>;
  sectionAccess?: ExpectedTable | null;
  variables?: Record<string, string>;
  trace?: string[];
  /** Files STORE wrote, as `<connection>/<path>` (their content is checked by loading them back). */
  stored?: string[];
  access?: AccessExpectation[];
  error?: { code: string; line: number; column: number; messageContains: string[]; statementContains?: string };
}

export interface CorpusCase {
  name: string;
  dir: string;
  script: string;
  expected: CorpusExpectation;
  /** Input files as `<connection>/<path>` → bytes. */
  files: Map<string, Buffer>;
  oracle: string | null;
}

export function toJsonCell(c: Cell | undefined): JsonCell {
  if (c === undefined || c === null) return null;
  if (typeof c === 'object') return { num: c.num, text: c.text };
  return c;
}
