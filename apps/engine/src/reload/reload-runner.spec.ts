import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScriptErrorCode } from '@trustzone/load-script';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReloadErrorCode } from './reload.error';
import type { StatementProgress } from './reload-protocol';
import { runReload, type ReloadOutcome, type RunReloadOptions } from './reload-runner';

/**
 * Real reloads through the bundled worker (dist/apps/engine/reload-worker.cjs, built by vitest's
 * global setup) in the real sandbox.
 */
const workerPath = fileURLToPath(new URL('../../../../dist/apps/engine/reload-worker.cjs', import.meta.url));
let root: string;
let data: string;

const salesRows = Array.from({ length: 57 }, (_, i) => [i + 1, `C${i % 3}`, (i * 7) % 100]);
const customers = [{ CustId: 'C0', Name: 'Acme' }, { CustId: 'C1', Name: 'Bolt' }, { CustId: 'C2', Name: 'Core' }];

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'tz-reload-')));
  data = join(root, 'data');
  mkdirSync(data);
  writeFileSync(join(data, 'sales.csv'), ['OrderId,CustId,Amount', ...salesRows.map((r) => r.join(','))].join('\n'));
  writeFileSync(join(data, 'customers.json'), JSON.stringify(customers));
  writeFileSync(join(root, 'secret.csv'), 'Secret\nTOP-SECRET-VALUE\n');
  symlinkSync(join(root, 'secret.csv'), join(data, 'escape.csv'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function reload(script: string, extra: Partial<RunReloadOptions> = {}): Promise<ReloadOutcome> {
  return runReload({ workerPath, script, connections: [{ name: 'data', dir: data }], timeoutMs: 15_000, maxOldSpaceMb: 128, ...extra });
}

function failed(outcome: ReloadOutcome) {
  if (outcome.ok) throw new Error('expected the reload to fail');
  return outcome.error;
}

describe('runReload', () => {
  it('loads CSV and JSON through lib:// and streams progress', async () => {
    const progress: { table: string; rows: number }[] = [];
    const outcome = await reload(`Sales: LOAD * FROM [lib://data/sales.csv] (txt, utf8, embedded labels, delimiter is ',');
      Customers: LOAD * FROM [lib://data/customers.json] (json);`, { limits: { progressEvery: 20 }, onProgress: (p) => progress.push(p) });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
    expect(outcome.tables).toEqual([{ name: 'Sales', rows: salesRows.length }, { name: 'Customers', rows: customers.length }]);
    const sales = outcome.result.tables[0]!;
    expect(sales.columns).toEqual([0, 1, 2].map((c) => salesRows.map((r) => r[c])));
    expect(outcome.result.tables[1]!.columns).toEqual([customers.map((c) => c.CustId), customers.map((c) => c.Name)]);
    const expectedSales = [...Array.from({ length: Math.floor(salesRows.length / 20) }, (_, k) => (k + 1) * 20), salesRows.length];
    expect(progress).toEqual([...expectedSales.map((rows) => ({ table: 'Sales', rows })), { table: 'Customers', rows: customers.length }]);
    expect(outcome.durationMs).toBeGreaterThan(0);
  });

  it('refuses lib://data/../../etc/passwd, absolute paths and a symlink escape', async () => {
    for (const path of ['lib://data/../../etc/passwd', 'lib://data//etc/passwd']) {
      const script = `T: LOAD * FROM [${path}] (txt, embedded labels);`;
      const e = failed(await reload(script));
      expect(e).toMatchObject({ code: ScriptErrorCode.File, line: 1, column: script.indexOf('[') + 1 });
    }
    const esc = failed(await reload('T: LOAD * FROM [lib://data/escape.csv] (txt, embedded labels);'));
    expect(esc.code).toBe(ScriptErrorCode.File);
    expect(esc.message).toMatch(/symbolic link/);
    expect(JSON.stringify(esc)).not.toContain('TOP-SECRET-VALUE');
    const ungranted = failed(await reload('T: LOAD * FROM [lib://other/sales.csv] (txt, embedded labels);'));
    expect(ungranted.message).toMatch(/not granted/);
  });

  it('reports script errors with line and column', async () => {
    const e = failed(await reload('SET a = 1;\nT: LOAD Nope INLINE [A\n1];'));
    expect(e).toMatchObject({ code: ScriptErrorCode.Data, line: 2, column: 9, statement: 'T: LOAD Nope INLINE [A 1]' });
  });

  it('streams a line per statement as it starts and each TRACE message', async () => {
    const statements: StatementProgress[] = [];
    const outcome = await reload('TRACE starting;\nFOR i = 1 TO 2\n  T: LOAD $(i) AS N AUTOGENERATE 1;\nNEXT', { onStatement: (e) => statements.push(e) });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
    expect(statements).toEqual([
      { kind: 'statement', line: 1, column: 1, text: 'TRACE starting' },
      { kind: 'trace', line: 1, column: 1, text: 'starting' },
      { kind: 'statement', line: 3, column: 3, text: 'T: LOAD 1 AS N AUTOGENERATE 1' },
      { kind: 'statement', line: 3, column: 3, text: 'T: LOAD 2 AS N AUTOGENERATE 1' },
    ]);
    expect(outcome.result.tables[0]!.columns).toEqual([[1, 2]]);
  });

  it('dates come back from the worker as dual cells', async () => {
    const outcome = await reload("SET DateFormat='YYYY-MM-DD';\nT: LOAD Date(45305 + RecNo()) AS D, Month(45306) AS M AUTOGENERATE 2;");
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
    expect(outcome.result.tables[0]!.columns).toEqual([
      [{ num: 45306, text: '2024-01-15' }, { num: 45307, text: '2024-01-16' }],
      [{ num: 1, text: 'Jan' }, { num: 1, text: 'Jan' }],
    ]);
    expect(Object.isFrozen(outcome.result.tables[0]!.columns[0]![0])).toBe(true);
  });

  it('bounds SLEEP per reload, and loops by the time limit', async () => {
    expect(failed(await reload('SLEEP 100000;'))).toMatchObject({ code: ScriptErrorCode.Limit, line: 1, column: 1 });
    const endless = { maxStatements: 2_000_000_000, maxLoadIterations: 2_000_000_000 };
    for (const script of ['DO WHILE 1 = 1\n  LET x = 1;\nLOOP', 'T: LOAD 1 AS A AUTOGENERATE 1 WHILE 1 = 1 WHERE 1 = 0;']) {
      const t0 = Date.now();
      const e = failed(await reload(script, { timeoutMs: 700, limits: endless }));
      expect(e).toMatchObject({ code: ReloadErrorCode.TimeLimit });
      expect(Date.now() - t0).toBeLessThan(5_000);
    }
  });

  // Each LOAD doubles T (a RESIDENT LOAD with T's own fields concatenates onto T), so this
  // script needs seconds and gigabytes: whichever limit is lower stops it.
  const doubling = `T: LOAD * INLINE [A\n1];\n${'LOAD A RESIDENT T;\n'.repeat(30)}`;
  const unbounded = { maxRowsPerTable: 2_000_000_000, maxTotalCells: 2_000_000_000 };

  it('kills a reload at the time limit', async () => {
    const t0 = Date.now();
    // 2 s, not less: on a busy machine the worker's start alone can take most of a second, and the
    // error must name the statement that was running.
    // A LOAD that loops on its one row without keeping any: on a fast machine the doubling script
    // reached 4 GB inside 2 s and the memory limit fired first (CI failed on that).
    const spinning = 'T: LOAD * INLINE [A\n1];\nLOAD A RESIDENT T WHILE 1 = 1 WHERE 1 = 0;';
    const endless = { ...unbounded, maxStatements: 2_000_000_000, maxLoadIterations: 2_000_000_000 };
    const e = failed(await reload(spinning, { timeoutMs: 2_000, maxOldSpaceMb: 4096, limits: endless }));
    expect(e).toMatchObject({ code: ReloadErrorCode.TimeLimit, message: 'time limit exceeded (2000 ms)' });
    expect(e.statement).toMatch(/^LOAD A RESIDENT T\b/);
    expect(e.line).toBeGreaterThan(1);
    expect(Date.now() - t0).toBeLessThan(8_000);
  });

  it('kills a reload at the memory limit', async () => {
    const e = failed(await reload(doubling, { timeoutMs: 20_000, maxOldSpaceMb: 32, limits: unbounded }));
    expect(e).toMatchObject({ code: ReloadErrorCode.MemoryLimit, message: 'memory limit exceeded (32 MB)' });
  });

  it('stops on abort', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const e = failed(await reload(doubling, { signal: ac.signal, limits: unbounded, maxOldSpaceMb: 4096 }));
    expect(e.code).toBe(ReloadErrorCode.Aborted);
  });

  it('refuses bad requests before starting anything', async () => {
    expect(failed(await reload('', { workerPath: 'relative.cjs' })).code).toBe(ReloadErrorCode.BadRequest);
    expect(failed(await reload('', { workerPath: join(root, 'missing.cjs') })).code).toBe(ReloadErrorCode.BadRequest);
    expect(failed(await reload('', { connections: [{ name: 'data', dir: 'data' }] })).code).toBe(ReloadErrorCode.BadRequest);
    expect(failed(await reload('', { connections: [{ name: 'a/b', dir: data }] })).code).toBe(ReloadErrorCode.BadRequest);
  });

  it('a granted folder that is missing or a file fails only the LOAD reading it, naming the connection at its line', async () => {
    const connections = [{ name: 'data', dir: data }, { name: 'gone', dir: join(root, 'nope') }, { name: 'file', dir: join(root, 'secret.csv') }];
    const fine = await reload("T: LOAD * FROM [lib://data/sales.csv] (txt, utf8, embedded labels, delimiter is ',');", { connections });
    expect(fine.ok).toBe(true);
    for (const name of ['gone', 'file', 'outside']) {
      const script = `T: LOAD * INLINE [A\n1];\nU: LOAD * FROM [lib://${name}/x.csv] (txt, utf8, embedded labels, delimiter is ',');`;
      const e = failed(await reload(script, { connections, unavailable: ['outside'] }));
      expect(e, name).toMatchObject({ code: ScriptErrorCode.File, line: 3, message: expect.stringContaining(`data connection "${name}" is not available`) });
      expect(e.message).not.toContain(root);
    }
  });

  it('treats a malformed result from the worker as a protocol error, not data', async () => {
    const bogus = fileURLToPath(new URL('./fixtures/bogus-worker.cjs', import.meta.url));
    const e = failed(await reload('LOAD * INLINE [A\n1];', { workerPath: bogus }));
    expect(e).toMatchObject({ code: ReloadErrorCode.Protocol, message: 'reload worker sent an invalid message' });
  });
});
