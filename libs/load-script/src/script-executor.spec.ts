import type { LoadResult, LoadedTable } from '@trustzone/data-model';
import { describe, expect, it } from 'vitest';
import { ScriptErrorCode } from './load-script.error';
import type { ScriptFileSource } from './script-file-source';
import { runScript, type ExecuteOptions } from './script-executor';
import { positionOf } from './testing/position-of';
import { scriptErrorOf } from './testing/script-failure';

const failure = (script: string, options: ExecuteOptions = {}) => scriptErrorOf(() => runScript(script, options));

function table(result: LoadResult, name: string): LoadedTable {
  const t = result.tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}; have ${result.tables.map((x) => x.name).join(', ')}`);
  return t;
}

/** Rows of a columnar table as objects, for order-independent comparisons. */
function rows(t: LoadedTable): Record<string, unknown>[] {
  const n = t.columns[0]?.length ?? 0;
  return Array.from({ length: n }, (_, r) => Object.fromEntries(t.fields.map((f, i) => [f, t.columns[i]?.[r]])));
}

/** The documented storage rule: empty text is a missing value and -0 is 0. */
const stored = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === '' ? null : typeof v === 'number' ? v + 0 : v]));

const inline = (header: string[], data: (string | number)[][]) => `[\n${[header, ...data].map((r) => r.join(', ')).join('\n')}\n]`;

describe('runScript: tables', () => {
  it('concatenates LOADs with the same field set (in any order) and names unlabeled tables', async () => {
    const a = [[1, 'x'], [2, 'y']];
    const b = [['z', 3]];
    const r = await runScript(`LOAD * INLINE ${inline(['K', 'V'], a)};\nT2: LOAD * INLINE ${inline(['V', 'K'], b)};\nLOAD * INLINE [Other\n1];`);
    expect(r.tables.map((t) => t.name)).toEqual(['Table1', 'Table2']);
    const expected = [...a.map(([k, v]) => ({ K: k, V: v })), ...b.map(([v, k]) => ({ K: k, V: v }))];
    expect(rows(table(r, 'Table1'))).toEqual(expected);
  });

  it('RESIDENT with WHERE filters and computes, RecNo counts source records, RowNo output rows', async () => {
    const data = Array.from({ length: 30 }, (_, i) => [i, `n${i}`]);
    const script = `Src: LOAD * INLINE ${inline(['N', 'Name'], data)};
      Odd: LOAD N * 2 AS Double, Upper(Name) AS Big, RecNo() AS Rec, RowNo() AS Row RESIDENT Src WHERE N > 10 and Right(N, 1) <> '4';`;
    const r = await runScript(script);
    const kept = data.filter(([n]) => (n as number) > 10 && !String(n).endsWith('4'));
    expect(rows(table(r, 'Odd'))).toEqual(kept.map(([n, name], i) => ({ Double: (n as number) * 2, Big: String(name).toUpperCase(), Rec: (n as number) + 1, Row: i + 1 })));
  });

  it('a RESIDENT LOAD with its source\'s own field set concatenates onto it once (Qlik semantics), never looping', async () => {
    const r = await runScript('T: LOAD * INLINE [A\n1\n2];\nLOAD A RESIDENT T;');
    expect(table(r, 'T').columns).toEqual([[1, 2, 1, 2]]);
  });

  it('DROP TABLE and DROP FIELD [FROM]; a table left without fields disappears', async () => {
    const r = await runScript(`A: LOAD * INLINE [K, X, Y\n1, 2, 3];
      B: LOAD * INLINE [K, Z\n1, 4];
      C: LOAD * INLINE [Q\n9];
      DROP FIELD X;
      DROP FIELD Z FROM B;
      DROP TABLE C;`);
    expect(r.tables.map((t) => [t.name, t.fields])).toEqual([['A', ['K', 'Y']], ['B', ['K']]]);
    expect(table(r, 'A').columns).toEqual([[1], [3]]);
    const r2 = await runScript('A: LOAD * INLINE [K\n1];\nB: LOAD * INLINE [K2, Z\n1, 2];\nDROP FIELD K;');
    expect(r2.tables.map((t) => t.name)).toEqual(['B']);
  });

  it('DROP of unknown tables or fields is an error at the statement', async () => {
    const s1 = 'A: LOAD * INLINE [K\n1];\n  DROP TABLE Nope;';
    expect(await failure(s1)).toMatchObject({ code: ScriptErrorCode.Data, ...positionOf(s1, 'DROP') });
    const s2 = 'A: LOAD * INLINE [K\n1];\nDROP FIELD Nope FROM A;';
    expect(await failure(s2)).toMatchObject(positionOf(s2, 'DROP'));
  });

  it('an unknown field reference fails at the reference, even with zero rows', async () => {
    const s = 'LOAD A,\n   Upper(Missing) AS M INLINE [A\n];';
    expect(await failure(s)).toMatchObject({ code: ScriptErrorCode.Data, ...positionOf(s, 'Missing') });
  });

  it('RESIDENT of an unknown table and a reused label with other fields are errors', async () => {
    expect((await failure('LOAD * RESIDENT Nope;')).message).toContain('Nope');
    expect((await failure('T: LOAD * INLINE [A\n1];\nT: LOAD * INLINE [B\n1];')).code).toBe(ScriptErrorCode.Model);
  });

  it('inline data errors point into the script', async () => {
    const s = 'T: LOAD * INLINE [A, B\n1, 2\n3, 4, 5\n];';
    expect(await failure(s)).toMatchObject({ line: 3, column: 1 });
  });
});

describe('runScript: expressions', () => {
  const values = [-7, 0, 3, 12.5, 100];
  it('arithmetic and comparisons agree with a direct computation', async () => {
    const pairs = values.flatMap((a) => values.map((b) => [a, b]));
    const r = await runScript(`T: LOAD A + B AS S, A - B AS D, A * B AS P, A / B AS Q, A = B AS E, A <> B AS NE, A < B AS LT, A >= B AS GE, -A AS Neg
      INLINE ${inline(['A', 'B'], pairs)};`);
    const bool = (x: boolean) => (x ? -1 : 0);
    expect(rows(table(r, 'T'))).toEqual(pairs.map(([a, b]) => stored({
      S: a! + b!, D: a! - b!, P: a! * b!, Q: b === 0 ? null : a! / b!,
      E: bool(a === b), NE: bool(a !== b), LT: bool(a! < b!), GE: bool(a! >= b!), Neg: -a!,
    })));
  });

  it('string functions agree with their JavaScript counterparts', async () => {
    const words = ['alpha', 'Beta Gamma', 'x', 'MiXeD'];
    const r = await runScript(`T: LOAD Upper(W) AS U, Lower(W) AS L, Trim('  ' & W & ' ') AS T, Len(W) AS N, Left(W, 2) AS LE,
        Right(W, 3) AS RI, Mid(W, 2, 3) AS MI, Mid(W, 3) AS MR, W & '-' & Len(W) AS C, If(Len(W) > 4, 'long', 'short') AS I,
        Text(Len(W)) AS TX, Num('12') + 1 AS NU
      INLINE ${inline(['W'], words.map((w) => [w]))};`);
    expect(rows(table(r, 'T'))).toEqual(words.map((w) => stored({
      U: w.toUpperCase(), L: w.toLowerCase(), T: w, N: w.length, LE: w.slice(0, 2), RI: w.slice(-3), MI: w.slice(1, 4),
      MR: w.slice(2), C: `${w}-${w.length}`, I: w.length > 4 ? 'long' : 'short', TX: w.length, NU: 13,
    })));
  });

  it('null handling: missing values propagate through arithmetic and compare false', async () => {
    const r = await runScript('T: LOAD A + 1 AS P, A & \'x\' AS C, A = A AS E, If(A, 1, 2) AS I, Len(A) AS N INLINE [A, B\n, 1];');
    expect(rows(table(r, 'T'))).toEqual([{ P: null, C: 'x', E: 0, I: 2, N: 0 }]);
  });

  it('text comparisons ignore case', async () => {
    const r = await runScript("T: LOAD * INLINE [A\nabc\nABC\nabd] WHERE A = 'Abc';");
    expect(table(r, 'T').columns).toEqual([['abc', 'ABC']]);
  });

  it('LET evaluates; SET keeps text; LET may not read fields', async () => {
    const r = await runScript("SET HidePrefix = '%';\nLET n = 6 * 7;\nLET s = Upper('ab') & (1 + 1);");
    expect(r.variables).toEqual({ HidePrefix: '%', n: String(6 * 7), s: 'AB2' });
    expect((await failure('LET x = Field1;')).code).toBe(ScriptErrorCode.Data);
  });
});

describe('runScript: section access', () => {
  const example = `Section Access;
LOAD * INLINE [
access, userid,                 Region, omit
admin,  internal\\sa_scheduler,  ,
ADMIN,  CORP\\ROOT,              ,
USER,   corp\\alice,             east,
USER,   CORP\\BOB,               WEST,   margin
USER,   CORP\\Bob,               North,
];
Section Application;
Sales:   LOAD * INLINE [ ORDERID, CUSTID, AMOUNT, MARGIN
                         1, C1, 100, 10
                         2, C2, 200, 20
                         3, C3, 300, 30 ];
Customers: LOAD * INLINE [ CUSTID, NAME, REGION
                         C1, Acme, EAST
                         C2, Bolt, WEST
                         C3, Core, NORTH ];`;

  it('upper-cases every column name and value and keeps the table out of the data model', async () => {
    const r = await runScript(example);
    const raw = [
      ['admin', 'internal\\sa_scheduler', '', ''], ['ADMIN', 'CORP\\ROOT', '', ''], ['USER', 'corp\\alice', 'east', ''],
      ['USER', 'CORP\\BOB', 'WEST', 'margin'], ['USER', 'CORP\\Bob', 'North', ''],
    ];
    const header = ['access', 'userid', 'Region', 'omit'];
    expect(r.sectionAccess?.fields).toEqual(header.map((h) => h.toUpperCase()));
    expect(r.sectionAccess?.columns).toEqual(header.map((_, c) => raw.map((row) => (row[c] === '' ? null : row[c]!.toUpperCase()))));
    expect(r.tables.map((t) => t.name)).toEqual(['Sales', 'Customers']);
    expect(table(r, 'Customers').columns[2]).toEqual(['EAST', 'WEST', 'NORTH']);
  });

  it('a reduction column that names no data-model field is a load error at the access LOAD', async () => {
    const s = example.replace('Customers: LOAD * INLINE [ CUSTID, NAME, REGION', 'Customers: LOAD * INLINE [ CUSTID, NAME, Region');
    const e = await failure(s);
    expect(e).toMatchObject({ code: ScriptErrorCode.Model, ...positionOf(s, 'LOAD') });
    expect(e.message).toContain('REGION');
  });

  it('an OMIT value naming no field is a load error naming it; one naming a field in another case is fine', async () => {
    const s = example.replace('WEST,   margin', 'WEST,   bonus');
    const e = await failure(s);
    expect(e).toMatchObject({ code: ScriptErrorCode.Model, ...positionOf(s, 'LOAD') });
    expect(e.message).toContain('OMIT names "BONUS"');
    const mixed = example.replace('ORDERID, CUSTID, AMOUNT, MARGIN', 'ORDERID, CUSTID, AMOUNT, Margin');
    expect((await runScript(mixed)).sectionAccess?.columns[3]).toContain('MARGIN');
  });

  it('a reduction column differing from a data field only in case says how to fix it', async () => {
    const s = example.replace('Customers: LOAD * INLINE [ CUSTID, NAME, REGION', 'Customers: LOAD * INLINE [ CUSTID, NAME, Region');
    expect((await failure(s)).message).toContain('"Region"');
  });

  it('refuses a missing ACCESS column, bad ACCESS values and a second access LOAD with other fields', async () => {
    expect((await failure('Section Access;\nLOAD * INLINE [USERID\nA];')).message).toContain('ACCESS');
    expect((await failure('Section Access;\nLOAD * INLINE [ACCESS, USERID\nROOT, A];')).message).toContain('ADMIN or USER');
    const two = 'Section Access;\nLOAD * INLINE [ACCESS, USERID\nADMIN, A];\nLOAD * INLINE [ACCESS, GROUP\nUSER, G];';
    expect(await failure(two)).toMatchObject({ code: ScriptErrorCode.Model, ...positionOf(two, 'LOAD', 2) });
  });

  it('access LOADs with the same fields concatenate', async () => {
    const r = await runScript('Section Access;\nLOAD * INLINE [ACCESS, USERID\nADMIN, a];\nLOAD UserId, Access INLINE [Access, UserId\nuser, b];');
    expect(r.sectionAccess?.columns).toEqual([['ADMIN', 'USER'], ['A', 'B']]);
  });
});

describe('runScript: composite keys', () => {
  it('two tables sharing two fields fail at the LOAD of the later table', async () => {
    const s = 'A: LOAD * INLINE [K1, K2, X\n1, 2, 3];\n\n  B: LOAD * INLINE [K1, K2, Y\n1, 2, 4];';
    const e = await failure(s);
    expect(e).toMatchObject({ code: ScriptErrorCode.Model, ...positionOf(s, 'B:') });
    expect(e.message).toContain('composite key');
  });

  it('a temporary table dropped before the end does not count, and one shared field is fine', async () => {
    const r = await runScript('Tmp: LOAD * INLINE [K1, K2\n1, 2];\nB: LOAD K1 & \'|\' & K2 AS K, K1 RESIDENT Tmp;\nDROP TABLE Tmp;\nC: LOAD * INLINE [K, Z\n1|2, 5];');
    expect(r.tables.map((t) => t.name)).toEqual(['B', 'C']);
  });
});

describe('runScript: files', () => {
  const files: Record<string, string> = {
    'data/sales.csv': 'Id;Name;Amount\n1;"Acme; Inc";10.5\n2;Bolt;7\n',
    'data/customers.json': JSON.stringify([{ Id: 1, Country: 'SE' }, { Id: 2, Country: 'FR', Vip: true }]),
  };
  const source: ScriptFileSource = {
    read(connection, path) {
      const text = files[`${connection}/${path}`];
      if (text === undefined) throw new Error('file not found');
      return text;
    },
  };

  it('loads CSV and JSON through the injected source', async () => {
    const r = await runScript(`S: LOAD * FROM [lib://data/sales.csv] (txt, utf8, embedded labels, delimiter is ';');
      C: LOAD * FROM [lib://data/customers.json] (json);`, { files: source });
    expect(rows(table(r, 'S'))).toEqual([{ Id: 1, Name: 'Acme; Inc', Amount: 10.5 }, { Id: 2, Name: 'Bolt', Amount: 7 }]);
    expect(rows(table(r, 'C'))).toEqual([{ Id: 1, Country: 'SE', Vip: null }, { Id: 2, Country: 'FR', Vip: 'true' }]);
  });

  it('read failures and missing file access are SCRIPT_FILE errors at the FROM', async () => {
    const s = 'X: LOAD * \n  FROM [lib://data/nope.csv] (txt, embedded labels);';
    expect(await failure(s, { files: source })).toMatchObject({ code: ScriptErrorCode.File, ...positionOf(s, 'FROM') });
    expect((await failure(s)).code).toBe(ScriptErrorCode.File);
    const big = await failure('LOAD * FROM [lib://data/sales.csv] (txt, embedded labels);', { files: source, limits: { maxFileChars: 10 } });
    expect(big.message).toContain('maxFileChars');
  });
});

describe('runScript: bounds and progress', () => {
  const many = inline(['N'], Array.from({ length: 25 }, (_, i) => [i]));

  it('names the limit that was exceeded', async () => {
    expect((await failure('LET a = 1;\nLET b = 2;\nLET c = 3;', { limits: { maxStatements: 2 } })).message).toContain('maxStatements');
    expect((await failure(`LOAD * INLINE ${many};`, { limits: { maxRowsPerTable: 10 } })).message).toContain('maxRowsPerTable');
    expect((await failure(`T: LOAD * INLINE ${many};\nLOAD N RESIDENT T;`, { limits: { maxRowsPerTable: 40 } })).message).toContain('maxRowsPerTable');
    const cells = await failure(`A: LOAD * INLINE ${many};\nB: LOAD N AS M RESIDENT A;`, { limits: { maxTotalCells: 30 } });
    expect([cells.code, cells.message.includes('maxTotalCells')]).toEqual([ScriptErrorCode.Limit, true]);
  });

  it('reports progress every N rows and at the end of each LOAD', async () => {
    const seen: [string, number][] = [];
    await runScript(`A: LOAD * INLINE ${many};\nLOAD N RESIDENT A WHERE N < 12;\nB: LOAD * INLINE [X\n1];`, {
      limits: { progressEvery: 10 },
      progress: (t, n) => seen.push([t, n]),
    });
    expect(seen).toEqual([['A', 10], ['A', 20], ['A', 25], ['A', 35], ['A', 37], ['B', 1]]);
  });
});
