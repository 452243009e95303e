import type { Cell, LoadedTable } from '@trustzone/data-model';
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
  return t.columns[0]?.length ?? 0;
}

function sameFieldSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((f) => set.has(f));
}

/**
 * All tables of a reload in creation order. Data tables with identical field sets concatenate
 * (Qlik's automatic concatenation); the access section holds at most one table, and a LOAD there
 * with a different field set is an error (data-model's LoadResult contract).
 */
export class TableSet {
  private readonly tables: WorkTable[] = [];
  private autoNames = 0;

  all(): readonly WorkTable[] {
    return this.tables;
  }

  get(name: string): WorkTable | undefined {
    return this.tables.find((t) => t.name === name);
  }

  data(): WorkTable[] {
    return this.tables.filter((t) => t.section === 'application');
  }

  access(): WorkTable | undefined {
    return this.tables.find((t) => t.section === 'access');
  }

  /** The table a LOAD with these output fields appends to, created when needed. */
  target(section: Section, fields: string[], label: string | null, pos: SourcePosition): WorkTable {
    if (section === 'access') {
      const existing = this.access();
      if (existing) {
        if (sameFieldSet(existing.fields, fields)) return existing;
        throw ScriptError.at(ScriptErrorCode.Model, pos,
          `Section Access LOADs must all have the same fields: table "${existing.name}" has ${existing.fields.join(', ')}; this LOAD has ${fields.join(', ')}`);
      }
    } else {
      const match = this.data().find((t) => sameFieldSet(t.fields, fields));
      if (match) return match;
    }
    const name = label ?? this.nextAutoName();
    if (this.get(name)) {
      throw ScriptError.at(ScriptErrorCode.Model, pos, `a table named "${name}" already exists with different fields; choose another label`);
    }
    const table: WorkTable = { name, fields: [...fields], columns: fields.map(() => []), section, origin: pos };
    this.tables.push(table);
    return table;
  }

  remove(table: WorkTable): void {
    const i = this.tables.indexOf(table);
    if (i >= 0) this.tables.splice(i, 1);
  }

  private nextAutoName(): string {
    for (;;) {
      const name = `Table${++this.autoNames}`;
      if (!this.get(name)) return name;
    }
  }
}

export function toLoadedTable(t: WorkTable): LoadedTable {
  return { name: t.name, fields: t.fields, columns: t.columns };
}
