import type { LoadResult } from '@trustzone/data-model';
import { describe, expect, it } from 'vitest';
import { ScriptErrorCode } from '../load-script.error';
import { runScript, type ExecuteOptions } from '../script-executor';
import { positionOf } from '../testing/position-of';
import { scriptErrorOf } from '../testing/script-failure';

const failure = (script: string, options: ExecuteOptions = {}) => scriptErrorOf(() => runScript(script, options));

const column = (r: LoadResult, table: string, field: string) => {
  const t = r.tables.find((x) => x.name === table)!;
  return t.columns[t.fields.indexOf(field)];
};

describe('limits hold for the new statements', () => {
  it('a WHILE that never ends stops at maxLoadIterations', async () => {
    const e = await failure('T: LOAD 1 AS A AUTOGENERATE 1 WHILE 1 = 1 WHERE 1 = 0;', { limits: { maxLoadIterations: 1000 } });
    expect([e.code, e.message.includes('maxLoadIterations')]).toEqual([ScriptErrorCode.Limit, true]);
  });

  it('AUTOGENERATE, joins and SubField pieces count against maxRowsPerTable', async () => {
    expect((await failure('T: LOAD 1 AS A AUTOGENERATE 50;', { limits: { maxRowsPerTable: 10 } })).message).toContain('maxRowsPerTable');
    const cross = 'A: LOAD RecNo() AS X AUTOGENERATE 5;\nJOIN (A) LOAD RecNo() AS Y AUTOGENERATE 5;';
    expect(await failure(cross, { limits: { maxRowsPerTable: 20 } })).toMatchObject({ code: ScriptErrorCode.Limit, ...positionOf(cross, 'JOIN') });
    expect((await failure("T: LOAD SubField(Repeat('x,', 30), ',') AS P AUTOGENERATE 1;", { limits: { maxRowsPerTable: 10 } })).message).toContain('maxRowsPerTable');
  });

  it('SLEEP waits at most maxSleepMs per reload in total', async () => {
    const e = await failure('SLEEP 30;\nSLEEP 30;', { limits: { maxSleepMs: 50 } });
    expect(e).toMatchObject({ code: ScriptErrorCode.Limit, line: 2, column: 1 });
  });

  it('an include that includes itself stops at maxIncludeDepth', async () => {
    const files = { read: () => '$(Include=lib://c/self.qvs);' };
    const e = await failure('$(Include=lib://c/self.qvs);', { files, limits: { maxIncludeDepth: 4 } });
    expect([e.code, e.message.includes('maxIncludeDepth')]).toEqual([ScriptErrorCode.Limit, true]);
  });

  it('a variable may not grow past maxVariableChars', async () => {
    const e = await failure("LET v = 'x';\nFOR i = 1 TO 20\n  LET v = v & v;\nNEXT", { limits: { maxVariableChars: 1000 } });
    expect([e.code, e.line, e.message.includes('maxVariableChars')]).toEqual([ScriptErrorCode.Limit, 3, true]);
  });
});

describe('errors carry the statement', () => {
  it('after expansion, as it ran', async () => {
    const e = await failure("SET t = Nope;\nT: LOAD * RESIDENT $(t);");
    expect(e).toMatchObject({ code: ScriptErrorCode.Data, statement: 'T: LOAD * RESIDENT Nope' });
    expect(e.toJSON()).toMatchObject({ statement: 'T: LOAD * RESIDENT Nope' });
  });

  it('control clauses and unknown SUBs too', async () => {
    const e = await failure('CALL Missing(1)');
    expect(e).toMatchObject({ line: 1, column: 1, statement: 'CALL Missing(1)' });
    const x = await failure('EXIT FOR');
    expect(x.code).toBe(ScriptErrorCode.Syntax);
  });
});

describe('Rand() is seeded per reload', () => {
  const script = 'T: LOAD Rand() AS R AUTOGENERATE 200;';
  it('the same seed repeats, another differs, values are in [0, 1)', async () => {
    const a = column(await runScript(script, { randomSeed: 7 }), 'T', 'R') as number[];
    const b = column(await runScript(script, { randomSeed: 7 }), 'T', 'R') as number[];
    const c = column(await runScript(script, { randomSeed: 8 }), 'T', 'R') as number[];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(a).size).toBeGreaterThan(190);
  });
});

describe('operators and small semantics', () => {
  it('LIKE, XOR, Count(*), Exists with one argument, Num without a format', async () => {
    const r = await runScript(`T: LOAD * INLINE [
A
apple
Apricot
berry
];
U: LOAD A AS B, A LIKE 'ap*' AS L, (A = 'apple') XOR (A LIKE 'a*') AS X RESIDENT T;
C: LOAD Count(*) AS N, Count(DISTINCT Left(A, 1)) AS D RESIDENT T;
E: LOAD A AS Seen RESIDENT T WHERE Exists(A);`);
    expect(column(r, 'U', 'L')).toEqual([-1, -1, 0]);
    expect(column(r, 'U', 'X')).toEqual([0, -1, 0]);
    expect([column(r, 'C', 'N'), column(r, 'C', 'D')]).toEqual([[3], [3]]);
    expect(column(r, 'E', 'Seen')).toEqual(['apple', 'Apricot', 'berry']);
  });

  it('LIKE and WildMatch with a backtracking pattern stay fast (no regular expressions)', async () => {
    const t0 = performance.now();
    const r = await runScript(`T: LOAD Repeat('a', 5000) LIKE '${'*a'.repeat(20)}*b' AS L, WildMatch(Repeat('a', 5000), '${'*a'.repeat(20)}*b') AS W AUTOGENERATE 1;`);
    expect([column(r, 'T', 'L'), column(r, 'T', 'W')]).toEqual([[0], [0]]);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('a field outside GROUP BY and outside an aggregation is an error at the field', async () => {
    const s = 'T: LOAD * INLINE [K, V\n1, 2];\nG: LOAD K, V, Sum(V) AS S RESIDENT T GROUP BY K;';
    expect(await failure(s)).toMatchObject({ code: ScriptErrorCode.Data, ...positionOf(s, 'V, Sum') });
  });

  it('an access section may end with one table only', async () => {
    const s = 'Section Access;\nA: LOAD * INLINE [ACCESS, USERID\nADMIN, X\\Y];\nB: LOAD * INLINE [ACCESS, GROUP\nUSER, G];';
    expect(await failure(s)).toMatchObject({ code: ScriptErrorCode.Model, ...positionOf(s, 'B:') });
  });
});

describe('whole-column loads', () => {
  it('hand over the arrays of a source made for them, and copy a resident table (no two tables share a column)', async () => {
    const r = await runScript([
      'A: LOAD * INLINE [x, y\n1, a\n2, b];',
      'QUALIFY *;',
      'B: NoConcatenate LOAD * RESIDENT A;',
      'UNQUALIFY *;',
      'Concatenate (A) LOAD * INLINE [x, y\n3, c];',
      'Concatenate (B) LOAD * INLINE [B.x, B.y\n4, d];',
      'C: LOAD x AS cx, x AS cx2 INLINE [x\n5\n6];',
      'Concatenate (C) LOAD 7 AS cx, 8 AS cx2 AUTOGENERATE 1;',
    ].join('\n'));
    expect(column(r, 'A', 'x')).toEqual([1, 2, 3]);
    expect(column(r, 'B', 'B.x')).toEqual([1, 2, 4]);
    expect([column(r, 'C', 'cx'), column(r, 'C', 'cx2')]).toEqual([[5, 6, 7], [5, 6, 8]]);
  });
});
