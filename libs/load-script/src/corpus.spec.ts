import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildDataModel, tableData, type LoadResult } from '@trustzone/data-model';
import { reduce } from '@trustzone/section-access';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptError } from './load-script.error';
import { runScript, type StatementEvent } from './script-executor';
import { memoryFiles } from './testing/memory-files';
import { toJsonCell, type CorpusCase, type CorpusExpectation, type ExpectedTable, type JsonCell } from './testing/corpus-case';

function walk(dir: string, root: string, out: Map<string, Buffer>): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, root, out);
    else out.set(relative(root, path).split('\\').join('/'), readFileSync(path));
  }
}

export function loadCorpus(root: string): CorpusCase[] {
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = join(root, name);
      const files = new Map<string, Buffer>();
      if (existsSync(join(dir, 'files'))) walk(join(dir, 'files'), join(dir, 'files'), files);
      const oracle = join(dir, 'oracle.sql');
      return {
        name,
        dir,
        script: readFileSync(join(dir, 'script.qvs'), 'utf8'),
        expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as CorpusExpectation,
        files,
        oracle: existsSync(oracle) ? readFileSync(oracle, 'utf8') : null,
      };
    });
}

/**
 * The load-script corpus (libs/load-script/corpus): every case's script runs through the real
 * parser and executor; what it must produce was written by hand in expected.json or is computed
 * here from the same input files by DuckDB (oracle.sql) — never by trustzone itself.
 */
const cases = loadCorpus(new URL('../corpus/', import.meta.url).pathname);

let duck: Awaited<ReturnType<DuckDBInstance['connect']>> | null = null;
beforeAll(async () => {
  if (cases.some((c) => c.oracle)) duck = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => duck?.closeSync());

/** Local wall-clock time (the reload's clock) from an ISO text without a zone. */
function localEpoch(iso: string): number {
  const [d, t = '00:00:00'] = iso.split('T');
  const [y, m, day] = d!.split('-').map(Number);
  const [hh, mm, ss] = t.split(':').map(Number);
  return new Date(y!, m! - 1, day!, hh!, mm!, ss ?? 0).getTime();
}

async function run(c: CorpusCase, events: StatementEvent[], stored: Set<string>): Promise<LoadResult> {
  const o = c.expected.options ?? {};
  const files = memoryFiles(Object.fromEntries(c.files));
  const result = await runScript(c.script, {
    files,
    sink: files,
    onStatement: (e) => events.push(e),
    ...(o.now ? { clock: () => localEpoch(o.now!) } : {}),
    randomSeed: o.seed ?? 1,
    ...(o.limits ? { limits: o.limits } : {}),
  });
  for (const w of files.writes) stored.add(w.key);
  return result;
}

function sameCell(a: JsonCell, b: JsonCell): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  if (a && b && typeof a === 'object' && typeof b === 'object') return a.text === b.text && sameCell(a.num, b.num);
  return a === b;
}

const rowKey = (r: JsonCell[]) => JSON.stringify(r.map((v) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v)));

function expectTable(actual: { fields: string[]; columns: unknown[][] } | undefined, expected: ExpectedTable, label: string): void {
  expect(actual, `${label} exists`).toBeDefined();
  expect(actual!.fields, `${label} fields`).toEqual(expected.fields);
  const n = actual!.columns[0]?.length ?? 0;
  let rows: JsonCell[][] = Array.from({ length: n }, (_, r) => actual!.columns.map((col) => toJsonCell(col[r] as never)));
  let want = expected.rows;
  if (!expected.ordered) {
    rows = [...rows].sort((a, b) => rowKey(a).localeCompare(rowKey(b)));
    want = [...want].sort((a, b) => rowKey(a).localeCompare(rowKey(b)));
  }
  expect(rows.length, `${label} row count`).toBe(want.length);
  rows.forEach((row, i) => {
    const ok = row.length === want[i]!.length && row.every((v, k) => sameCell(v, want[i]![k]!));
    if (!ok) expect(row, `${label} row ${i + 1}`).toEqual(want[i]);
  });
}

/** oracle.sql: `-- table: Name [ordered]` then one query; FILES/ is the case's files directory. Columns `X__num`/`X__text` make a dual X. */
async function oracleTables(c: CorpusCase): Promise<Record<string, ExpectedTable>> {
  const out: Record<string, ExpectedTable> = {};
  const sql = c.oracle!.replaceAll('FILES/', `${c.dir}/files/`);
  for (const block of sql.split(/^-- table: /m).slice(1)) {
    const header = block.slice(0, block.indexOf('\n')).trim().split(/\s+/);
    const query = block.slice(block.indexOf('\n') + 1);
    const reader = await duck!.runAndReadAll(query);
    const names = reader.columnNames();
    const fields: string[] = [];
    const picks: ((row: unknown[]) => JsonCell)[] = [];
    const plain = (v: unknown): JsonCell => (v === null || v === undefined ? null : typeof v === 'bigint' ? Number(v) : typeof v === 'number' || typeof v === 'string' ? v : String(v));
    names.forEach((name, i) => {
      if (name.endsWith('__text')) return;
      if (name.endsWith('__num')) {
        const base = name.slice(0, -5);
        const t = names.indexOf(`${base}__text`);
        fields.push(base);
        picks.push((row) => (row[i] === null ? null : { num: plain(row[i]) as number, text: plain(row[t]) as string }));
      } else {
        fields.push(name);
        picks.push((row) => plain(row[i]));
      }
    });
    out[header[0]!] = { fields, rows: reader.getRows().map((row) => picks.map((p) => p(row as unknown[]))), ordered: header.includes('ordered') };
  }
  return out;
}

describe('load-script corpus', () => {
  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const exp = c.expected;
    const events: StatementEvent[] = [];
    const stored = new Set<string>();
    if (exp.error) {
      let error: unknown;
      try {
        await run(c, events, stored);
      } catch (e) {
        error = e;
      }
      expect(error, 'the script fails').toBeInstanceOf(ScriptError);
      const e = error as ScriptError;
      expect({ code: e.code, line: e.line, column: e.column }).toEqual({ code: exp.error.code, line: exp.error.line, column: exp.error.column });
      for (const part of exp.error.messageContains) expect(e.message).toContain(part);
      if (exp.error.statementContains) expect(e.statement).toContain(exp.error.statementContains);
      return;
    }
    const result = await run(c, events, stored);
    if (exp.tableNames) expect(result.tables.map((t) => t.name)).toEqual(exp.tableNames);
    const tables = { ...(exp.tables ?? {}), ...(c.oracle ? await oracleTables(c) : {}) };
    for (const [name, table] of Object.entries(tables)) expectTable(result.tables.find((t) => t.name === name), table, name);
    if (exp.sectionAccess !== undefined) {
      if (exp.sectionAccess === null) expect(result.sectionAccess).toBeNull();
      else expectTable(result.sectionAccess ?? undefined, exp.sectionAccess, 'section access');
    }
    if (exp.variables) expect(Object.fromEntries(Object.keys(exp.variables).map((k) => [k, result.variables[k]]))).toEqual(exp.variables);
    if (exp.trace) expect(events.filter((e) => e.kind === 'trace').map((e) => e.text)).toEqual(exp.trace);
    if (exp.stored) expect([...stored.keys()].sort()).toEqual([...exp.stored].sort());
    if (exp.access) {
      const model = buildDataModel(result);
      for (const a of exp.access) {
        const [directory, userId] = a.user.split('\\') as [string, string];
        const r = reduce(model, result.sectionAccess!, { directory, userId, groups: a.groups ?? [] });
        expect(r.kind, `${a.user} denied?`).toBe(a.denied ? 'denied' : 'granted');
        if (r.kind !== 'granted') continue;
        if (a.omitted) expect([...r.omitted].sort(), `${a.user} omitted`).toEqual([...a.omitted].sort());
        for (const [table, rows] of Object.entries(a.visible ?? {})) {
          const data = tableData(model, r.view, table, 0, 1000);
          const seen = data.rows.map((row) => row.map((v) => v.qText));
          expect(seen.sort(), `${a.user} sees ${table}`).toEqual([...rows].sort());
        }
      }
    }
  });
});
