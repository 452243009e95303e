import { ByteReader, corrupt } from './byte-reader';
import { ByteWriter } from './byte-writer';
import { DataModelError, DataModelErrorCode } from './data-model.error';
import { dualCell } from './dual-cell';
import type { Cell, LoadedTable } from './loaded-table';
import { assembleModel, type FieldPart, type TablePart } from './model-assembler';
import { MAX_TABLE_ROWS } from './model-builder';
import type { DataModel } from './model-types';
import { SymbolTable } from './symbol-table';

/**
 * Binary app payload (the app-store lib encrypts and checksums these bytes):
 *   "TZDM" u32 version
 *   u32 nVars { str name, str value }
 *   u8 hasSecurity [ table of tagged cells: 0 null, 1 f64, 2 str, 3 dual (f64 + str; version 2) ]
 *   u32 nFields { str name, u32 nSymbols, u32 utf8Bytes, u32 utf16Length, utf8 chars,
 *                 u32[nSymbols+1] offsets, f64[nSymbols] nums }
 *   u32 nTables { str name, u32 rows, u32 nCols { u32 fieldId, i32[rows] symbols } }
 * Little-endian, typed arrays raw. Decoding validates every length, offset and symbol index,
 * and any inconsistency surfaces as CORRUPT_PAYLOAD — never as a read out of bounds.
 */
const MAGIC = 0x4d445a54; // "TZDM" read as little-endian u32
export const DATA_MODEL_FORMAT_VERSION = 2;
/** Version 1 payloads (before dual cells in the security table) still decode: app files outlive releases. */
const OLDEST_READABLE_VERSION = 1;

export function encodeDataModel(model: DataModel): Uint8Array {
  const w = new ByteWriter();
  w.u32(MAGIC);
  w.u32(DATA_MODEL_FORMAT_VERSION);
  const vars = Object.entries(model.variables);
  w.u32(vars.length);
  for (const [k, v] of vars) {
    w.string(k);
    w.string(v);
  }
  w.u8(model.securityTable === null ? 0 : 1);
  if (model.securityTable !== null) writeLoadedTable(w, model.securityTable);
  w.u32(model.fields.length);
  const encoder = new TextEncoder();
  for (const f of model.fields) {
    const { chars, offsets, nums } = f.symbols.parts();
    const utf8 = encoder.encode(chars);
    w.string(f.name);
    w.u32(nums.length);
    w.u32(utf8.length);
    w.u32(chars.length);
    w.bytes(utf8);
    w.typed(offsets);
    w.typed(nums);
  }
  w.u32(model.tables.length);
  for (const t of model.tables) {
    w.string(t.name);
    w.u32(t.rowCount);
    w.u32(t.fieldIds.length);
    t.fieldIds.forEach((fid, i) => {
      w.u32(fid);
      w.typed(t.columns[i]!);
    });
  }
  return w.finish();
}

export function decodeDataModel(bytes: Uint8Array): DataModel {
  if (!(bytes instanceof Uint8Array)) throw corrupt('not a byte array');
  try {
    return decode(new ByteReader(bytes));
  } catch (err) {
    if (err instanceof DataModelError && err.code === DataModelErrorCode.CORRUPT_PAYLOAD) throw err;
    // Structural errors of an assembled model, a bad UTF-8 sequence, an allocation failure:
    // all mean the bytes are not a payload we wrote.
    const detail = err instanceof DataModelError ? err.message : 'malformed content';
    throw corrupt(detail);
  }
}

function decode(r: ByteReader): DataModel {
  if (r.u32() !== MAGIC) throw corrupt('bad magic');
  const version = r.u32();
  if (version < OLDEST_READABLE_VERSION || version > DATA_MODEL_FORMAT_VERSION) throw corrupt(`unsupported format version ${version}`);
  const entries: [string, string][] = [];
  const nVars = r.count(8);
  for (let i = 0; i < nVars; i++) entries.push([r.string(), r.string()]);
  // fromEntries defines own properties, so a variable named "__proto__" stays a plain key.
  const variables: Record<string, string> = Object.fromEntries(entries);
  const hasSecurity = r.u8();
  if (hasSecurity > 1) throw corrupt('bad security flag');
  const securityTable = hasSecurity === 1 ? readLoadedTable(r, version) : null;
  const nFields = r.count(20);
  const fields: FieldPart[] = [];
  for (let i = 0; i < nFields; i++) fields.push(readField(r));
  const nTables = r.count(12);
  const tables: TablePart[] = [];
  for (let i = 0; i < nTables; i++) tables.push(readTable(r, fields));
  r.expectEnd();
  return assembleModel(fields, tables, variables, securityTable);
}

function readField(r: ByteReader): FieldPart {
  const name = r.string();
  const n = r.count(12);
  const utf8Bytes = r.u32();
  const utf16Length = r.u32();
  const chars = r.utf8(utf8Bytes);
  if (chars.length !== utf16Length) throw corrupt(`field "${name}": text length mismatch`);
  const offsets = r.uint32s(n + 1);
  const nums = r.float64s(n);
  if (offsets[0] !== 0 || offsets[n] !== chars.length) throw corrupt(`field "${name}": bad text offsets`);
  for (let i = 0; i < n; i++) if (offsets[i]! > offsets[i + 1]!) throw corrupt(`field "${name}": bad text offsets`);
  return { name, symbols: new SymbolTable(chars, offsets, nums) };
}

function readTable(r: ByteReader, fields: readonly FieldPart[]): TablePart {
  const name = r.string();
  const rowCount = r.u32();
  if (rowCount > MAX_TABLE_ROWS) throw corrupt(`table "${name}": row count out of range`);
  const nCols = r.count(4 + rowCount * 4);
  if (nCols === 0 && rowCount > 0) throw corrupt(`table "${name}": rows without columns`);
  const part: TablePart = { name, rowCount, fieldIds: [], columns: [] };
  for (let c = 0; c < nCols; c++) {
    const fid = r.u32();
    const field = fields[fid];
    if (field === undefined) throw corrupt(`table "${name}": unknown field id`);
    const column = r.int32s(rowCount);
    const max = field.symbols.size;
    for (let i = 0; i < rowCount; i++) {
      const s = column[i]!;
      if (s < -1 || s >= max) throw corrupt(`table "${name}": symbol index out of range`);
    }
    part.fieldIds.push(fid);
    part.columns.push(column);
  }
  return part;
}

function writeLoadedTable(w: ByteWriter, t: LoadedTable): void {
  w.string(t.name);
  w.u32(t.fields.length);
  for (const f of t.fields) w.string(f);
  const rows = t.columns[0]?.length ?? 0;
  w.u32(rows);
  for (const column of t.columns) {
    for (const cell of column) {
      if (cell === null) w.u8(0);
      else if (typeof cell === 'number') {
        w.u8(1);
        w.f64(cell);
      } else if (typeof cell === 'string') {
        w.u8(2);
        w.string(cell);
      } else {
        w.u8(3);
        w.f64(cell.num);
        w.string(cell.text);
      }
    }
  }
}

function readLoadedTable(r: ByteReader, version: number): LoadedTable {
  const name = r.string();
  const nFields = r.count(4);
  const fields: string[] = [];
  for (let i = 0; i < nFields; i++) fields.push(r.string());
  const rows = r.count(0);
  if (nFields * rows > r.remaining) throw corrupt('security table larger than the payload');
  const columns: Cell[][] = [];
  for (let c = 0; c < nFields; c++) {
    const column: Cell[] = [];
    for (let i = 0; i < rows; i++) {
      const tag = r.u8();
      if (tag === 0) column.push(null);
      else if (tag === 1) column.push(finite(r.f64()));
      else if (tag === 2) column.push(r.string());
      else if (tag === 3 && version >= 2) column.push(dualCell(finite(r.f64()), r.string()));
      else throw corrupt('bad cell tag in the security table');
    }
    columns.push(column);
  }
  return { name, fields, columns };
}

function finite(n: number): number {
  if (!Number.isFinite(n)) throw corrupt('non-finite number in the security table');
  return n;
}
