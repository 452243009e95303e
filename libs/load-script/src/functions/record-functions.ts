import { cellKey, fromBoolean, toNumber } from '../cell-value';
import { rowCount } from '../work-table';
import { type FunctionDef, nameArg, special } from './function-types';

/** Last path segment of a `lib://` reference, and its parts. */
function fileParts(ref: string | null): { name: string; base: string; ext: string } | null {
  if (ref === null) return null;
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return { name, base: dot > 0 ? name.slice(0, dot) : name, ext: dot > 0 ? name.slice(dot + 1) : '' };
}

const rowOnly = (what: string, get: (c: { recNo: number; rowNo: number; iterNo: number }) => number): FunctionDef =>
  special(0, 0, (site) => {
    if (!site.hasRow) return site.fail(`${what}() needs a LOAD (there is no current record here)`);
    return (c) => get(c);
  });

export const RECORD_FUNCTIONS: Record<string, FunctionDef> = {
  RECNO: rowOnly('RecNo', (c) => c.recNo),
  ROWNO: rowOnly('RowNo', (c) => c.rowNo),
  ITERNO: rowOnly('IterNo', (c) => c.iterNo),
  /** Previous(expr): expr on the last source record that passed WHERE; null on the first. */
  PREVIOUS: special(1, 1, (site) => {
    if (!site.hasRow) return site.fail('Previous() needs a LOAD (there is no previous record here)');
    const inner = site.arg(0);
    return (c) => {
      if (c.prevRow < 0) return null;
      const here = c.row;
      c.row = c.prevRow;
      try {
        return inner(c);
      } finally {
        c.row = here;
      }
    };
  }),
  /**
   * Peek(field[, row[, table]]): a value already loaded. row counts from 0, negative from the end
   * (-1, the default, is the last row); the table defaults to the one the LOAD is filling.
   */
  PEEK: special(1, 3, (site) => {
    const field = nameArg(site, 0);
    const row = site.node.args.length > 1 ? site.arg(1) : () => -1;
    const table = site.node.args.length > 2 ? nameArg(site, 2) : null;
    const services = site.services;
    return (c) => {
      const t = table ? services.table(table(c)) : services.currentTable();
      if (!t) return null;
      const col = t.columns[t.fields.indexOf(field(c))];
      const r = toNumber(row(c));
      if (!col || r === null || !Number.isInteger(r)) return null;
      const n = rowCount(t);
      return col[r < 0 ? n + r : r] ?? null;
    };
  }),
  /** Exists(field[, value]): whether the value (default: the field's value in this record) was loaded into field. */
  EXISTS: special(1, 2, (site) => {
    const field = nameArg(site, 0);
    const value = site.node.args.length > 1 ? site.arg(1) : site.arg(0);
    const services = site.services;
    const first = site.node.args[0];
    if (first?.kind === 'field' || first?.kind === 'string') services.watchField(first.kind === 'field' ? first.name : first.value);
    return (c) => fromBoolean(services.exists(field(c), value(c)));
  }),
  /** ApplyMap('map', expr[, default]): the mapped value; without a match the default, else expr itself. */
  APPLYMAP: special(2, 3, (site) => {
    const name = nameArg(site, 0);
    const value = site.arg(1);
    const fallback = site.node.args.length > 2 ? site.arg(2) : null;
    const services = site.services;
    const first = site.node.args[0];
    if (first?.kind === 'string' && !services.mapping(first.value)) return site.fail(`ApplyMap: no mapping table named "${first.value}" (load it with MAPPING LOAD first)`, first.pos);
    return (c) => {
      const map = services.mapping(name(c));
      const v = value(c);
      if (!map) return null;
      const key = cellKey(v);
      const hit = key === null ? undefined : map.get(key);
      if (hit !== undefined) return hit;
      return fallback ? fallback(c) : v;
    };
  }),
  NOOFROWS: special(1, 1, (site) => {
    const name = nameArg(site, 0);
    const services = site.services;
    return (c) => {
      const t = services.table(name(c));
      return t ? rowCount(t) : null;
    };
  }),
  FIELDVALUECOUNT: special(1, 1, (site) => {
    const name = nameArg(site, 0);
    const services = site.services;
    return (c) => services.fieldValueCount(name(c));
  }),
  FILENAME: special(0, 0, (site) => {
    const parts = fileParts(site.services.fileName);
    return () => parts?.name ?? null;
  }),
  FILEBASENAME: special(0, 0, (site) => {
    const parts = fileParts(site.services.fileName);
    return () => parts?.base ?? null;
  }),
  FILEEXTENSION: special(0, 0, (site) => {
    const parts = fileParts(site.services.fileName);
    return () => parts?.ext ?? null;
  }),
  FILEPATH: special(0, 0, (site) => {
    const path = site.services.fileName;
    return () => path;
  }),
};
