import { encodedColumns, makeEncoded, type Cell, type LoadedTable } from '@trustzone/data-model';
import { ScriptError, ScriptErrorCode, type SourcePosition } from './load-script.error';

export type Section = 'application' | 'access';

/** A table while the script runs: columnar, plus where it was created (for model errors). */
export interface WorkTable {
  name: string;
  fields: string[];
  columns: Cell[][];
  section: Section;
  origin: SourcePosition;
}

export function rowCount(t: WorkTable): number {
  const encoded = encodedColumns(t);
  if (encoded) return encoded[0]?.indexes.length ?? 0;
  return t.columns[0]?.length ?? 0;
}

export function sameFieldSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((f) => set.has(f));
}

/**
 * All tables of a reload in creation order. Data tables with identical field sets concatenate
 * (Qlik's automatic concatenation); so do access-section tables among themselves. Several
 * access-section tables may exist while the script runs (to be joined), but it must end with one.
 */
export class TableSet {
  private readonly tables: WorkTable[] = [];
  private autoNames = 0;
  /** The table the last LOAD created or changed: the default for JOIN, KEEP and CONCATENATE. */
  lastLoaded: WorkTable | undefined;

  all(): readonly WorkTable[] {
    return this.tables;
  }

  get(name: string): WorkTable | undefined {
    return this.tables.find((t) => t.name === name);
  }

  data(): WorkTable[] {
    return this.tables.filter((t) => t.section === 'application');
  }

  /** The (first) security table. */
  access(): WorkTable | undefined {
    return this.tables.find((t) => t.section === 'access');
  }

  accessTables(): WorkTable[] {
    return this.tables.filter((t) => t.section === 'access');
  }

  /** A table of the section with exactly these fields (in any order): where a LOAD auto-concatenates. */
  withFields(section: Section, fields: readonly string[]): WorkTable | undefined {
    return this.tables.find((t) => t.section === section && sameFieldSet(t.fields, fields));
  }

  /** The name a new unlabelled table would get. */
  peekAutoName(): string {
    for (let k = this.autoNames + 1; ; k++) if (!this.get(`Table${k}`)) return `Table${k}`;
  }

  create(section: Section, name: string | null, fields: readonly string[], pos: SourcePosition): WorkTable {
    const tableName = name ?? this.nextAutoName();
    if (this.get(tableName)) {
      throw ScriptError.at(ScriptErrorCode.Model, pos, `a table named "${tableName}" already exists with different fields; choose another label`);
    }
    const table: WorkTable = { name: tableName, fields: [...fields], columns: fields.map(() => []), section, origin: pos };
    this.tables.push(table);
    return table;
  }

  remove(table: WorkTable): void {
    const i = this.tables.indexOf(table);
    if (i >= 0) this.tables.splice(i, 1);
    if (this.lastLoaded === table) this.lastLoaded = undefined;
  }

  private nextAutoName(): string {
    for (;;) {
      const name = `Table${++this.autoNames}`;
      if (!this.get(name)) return name;
    }
  }
}

export function toLoadedTable(t: WorkTable): LoadedTable {
  // A table still in its QVD form goes to the model as such (see EncodedColumn).
  const encoded = encodedColumns(t);
  if (encoded) return makeEncoded({ name: t.name, fields: t.fields }, encoded) as LoadedTable;
  return { name: t.name, fields: t.fields, columns: t.columns };
}
