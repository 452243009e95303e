import { Bitset, buildDataModel, type ComputedHyperCube, computeHyperCube, computeState, fullView, hypercube, hyperCubePages, SelectionState } from '@trustzone/data-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUBE_CACHE, CubeCache, cubeKey, MAX_CACHED_BYTES, selectionKey } from './cube-cache';
import { dataPagesJson, toDataPages } from './cube-layout';
import { resultFrame } from './rpc-frames';
import { CHART_SCALARS } from './chart-functions';
import { enigmaSession, type EnigmaDoc, type EnigmaField, type EnigmaSession, type QixCellT } from './testing/enigma-client';
import { type QixTestServer, startQixTestServer } from './testing/qix-test-server';
import { CUSTOMERS, visibleRows } from './testing/sales-fixture';

const fakeCube = (approxBytes: number, tag = ''): ComputedHyperCube => ({
  size: { cx: 1, cy: 1 },
  dimensionInfo: [],
  measureInfo: [{ qFallbackTitle: tag, qMin: 'NaN', qMax: 'NaN', qSortIndicator: 'N' }],
  approxBytes,
  cell: () => ({ qText: tag, qNum: 'NaN', qElemNumber: 0, qState: 'L' }),
  row: () => [],
});

describe('CubeCache', () => {
  it('answers a key from the owner that computed it only, and only on the same basis', () => {
    const cache = new CubeCache(1_000_000);
    const a = {};
    const b = {};
    const model = {};
    let computed = 0;
    const compute = (tag: string) => () => {
      computed++;
      return fakeCube(100, tag);
    };
    expect(cache.get(a, 'k', [model], compute('a1')).measureInfo[0]!.qFallbackTitle).toBe('a1');
    expect(cache.get(a, 'k', [model], compute('a2')).measureInfo[0]!.qFallbackTitle).toBe('a1');
    // Another owner (another session's doc) never sees a's entry, even under the same key.
    expect(cache.get(b, 'k', [model], compute('b1')).measureInfo[0]!.qFallbackTitle).toBe('b1');
    // Another model behind the same owner and key: computed again, and that one kept.
    expect(cache.get(a, 'k', [{}], compute('a3')).measureInfo[0]!.qFallbackTitle).toBe('a3');
    expect(cache.get(a, 'k', [model], compute('a4')).measureInfo[0]!.qFallbackTitle).toBe('a4');
    expect(computed).toBe(4);
    expect(cache.size).toBe(200);
    // No key: computed every time, nothing kept.
    cache.get(a, null, [model], compute('x'));
    cache.get(a, null, [model], compute('x'));
    expect(computed).toBe(6);
    expect(cache.size).toBe(200);
  });

  it('keeps at most its budget, dropping the least recently used first; refuses a cube too large', () => {
    // Cubes of budget/16 bytes (the largest kept): 16 fit; one byte more is never kept.
    const cache = new CubeCache(16_000);
    const owner = {};
    let computed = 0;
    const get = (key: string, bytes = 1000) => cache.get(owner, key, [], () => {
      computed++;
      return fakeCube(bytes, key);
    });
    for (let k = 1; k <= 16; k++) get(String(k));
    get('1'); // 1 is now the most recent: 2 goes first
    get('17');
    expect(cache.size).toBeLessThanOrEqual(16_000);
    expect(computed).toBe(17);
    get('1');
    get('3');
    expect(computed).toBe(17);
    get('2');
    expect(computed).toBe(18);
    get('big', 1001);
    get('big', 1001);
    expect(computed).toBe(20);
    expect(cache.size).toBeLessThanOrEqual(16_000);
  });
});

describe('CubeCache budget (TZ_ENGINE_CUBE_CACHE_MB)', () => {
  const counting = (cache: CubeCache, owner: object) => {
    let computed = 0;
    const get = (key: string, bytes = 100) => cache.get(owner, key, [], () => {
      computed++;
      return fakeCube(bytes, key);
    });
    return { get, computed: () => computed };
  };

  it('0 disables it: every call computes, nothing is kept', () => {
    const cache = new CubeCache(0);
    const c = counting(cache, {});
    for (let i = 0; i < 5; i++) c.get('same');
    expect(c.computed()).toBe(5);
    expect(cache.size).toBe(0);
  });

  it('resizing to 0 drops what was kept and recomputes from then on; a new budget keeps again', () => {
    const cache = new CubeCache(1_000_000);
    const c = counting(cache, {});
    c.get('a');
    c.get('a');
    expect(c.computed()).toBe(1);
    cache.resize(0);
    expect(cache.size).toBe(0);
    c.get('a');
    c.get('a');
    expect(c.computed()).toBe(3);
    cache.resize(1_000_000);
    c.get('a');
    c.get('a');
    expect(c.computed()).toBe(4);
  });

  it('the cap is honoured at every step, shrinking drops the least recently used first', () => {
    const budget = 10 * 1024;
    const cache = new CubeCache(budget);
    const c = counting(cache, {});
    // 40 distinct cubes of budget/16 bytes each (the largest kept): never more than 16 at once.
    const bytes = budget / 16;
    for (let i = 0; i < 40; i++) {
      c.get(`k${i}`, bytes);
      expect(cache.size).toBeLessThanOrEqual(budget);
    }
    expect(cache.size).toBe(16 * bytes);
    // The last 16 are kept, the ones before are not.
    const before = c.computed();
    for (let i = 24; i < 40; i++) c.get(`k${i}`, bytes);
    expect(c.computed()).toBe(before);
    c.get('k23', bytes);
    expect(c.computed()).toBe(before + 1);
    // Shrink to 4 cubes: the 4 most recently used stay (k23 and k37–k39).
    cache.resize(4 * bytes);
    expect(cache.size).toBe(4 * bytes);
    const n = c.computed();
    for (const k of ['k23', 'k37', 'k38', 'k39']) c.get(k, bytes);
    expect(c.computed()).toBe(n);
    c.get('k36', bytes);
    expect(c.computed()).toBe(n + 1);
    // A cube above budget/16 is computed per request, never kept, whatever the budget.
    const small = new CubeCache(1600);
    const s = counting(small, {});
    s.get('big', 101);
    s.get('big', 101);
    expect(s.computed()).toBe(2);
    expect(small.size).toBe(0);
  });

  it('refuses a budget that is not a whole number of bytes ≥ 0', () => {
    expect(() => new CubeCache(-1)).toThrow(RangeError);
    expect(() => new CubeCache(1.5)).toThrow(RangeError);
    expect(() => new CubeCache(0).resize(Number.NaN)).toThrow(RangeError);
  });
});

describe('pages answered from kept rows', () => {
  const texts = ['plain', 'quote " and \\ backslash', 'ünïcødé ✓', '', 'new\nline', '\u0000nul'];
  const model = buildDataModel({
    tables: [{ name: 'T', fields: ['K', 'NAME', 'AMOUNT'], columns: [texts.map((_, i) => i + 1), texts, texts.map((_, i) => (i % 2 === 0 ? i * 1.25 : null))] }],
    sectionAccess: null,
    variables: {},
  });
  const view = fullView(model);
  const state = computeState(model, view, SelectionState.empty());
  // A text measure too (Cell column, not numbers): the engine's function library.
  const def = { dimensions: ['NAME', 'K'], measures: ['Sum(AMOUNT)', "Only(NAME) & '\"x'"], scalars: CHART_SCALARS };

  it('GetHyperCubeData JSON equals JSON.stringify of the pages, whole rows, partial rows, kept or made again', () => {
    const kept = computeHyperCube(model, view, state, def);
    const areas = [
      [{ top: 0, left: 0, height: 50, width: 4 }],
      [{ top: 1, left: 1, height: 2, width: 2 }, { top: 0, left: 3, height: 9, width: 1 }],
      [{ top: 10, left: 0, height: 5, width: 4 }],
      [],
    ];
    for (const pages of areas) {
      for (let k = 0; k < 2; k++) {
        const fromKept = hyperCubePages(kept, pages);
        expect(dataPagesJson(fromKept).text).toBe(JSON.stringify(toDataPages(fromKept)));
        const fresh = hypercube(model, view, state, { ...def, pages });
        expect(dataPagesJson(fresh).text).toBe(JSON.stringify(toDataPages(fresh)));
        expect(fromKept).toEqual(fresh);
      }
    }
  });

  it('a frame with spliced pages is the frame JSON.stringify makes, change and close included', () => {
    const result = hyperCubePages(computeHyperCube(model, view, state, def), [{ top: 0, left: 0, height: 50, width: 4 }]);
    for (const [id, extras] of [[7, {}], ['a"b', { change: [1, 2] }], [0, { change: [], close: [5] }]] as const) {
      const spliced = resultFrame(id, { qDataPages: dataPagesJson(result) }, extras);
      expect(spliced).toBe(resultFrame(id, { qDataPages: toDataPages(result) }, extras));
      expect(JSON.parse(spliced)).toMatchObject({ jsonrpc: '2.0', id, result: { qDataPages: [{ qArea: { qWidth: 4 } }] } });
    }
  });

  it('kept cells are frozen: a caller cannot change what later answers read', () => {
    const kept = computeHyperCube(model, view, state, def);
    const row = kept.row(0, 0, 4);
    expect(Object.isFrozen(row) && Object.isFrozen(row[0])).toBe(true);
    expect(() => {
      (row[0] as { qText: string }).qText = 'changed';
    }).toThrow(TypeError);
  });
});

describe('keys', () => {
  it('equal selections have equal keys however they were made; different ones differ', () => {
    const s1 = SelectionState.empty().with(3, Bitset.of(40, [1, 5])).with(1, Bitset.of(10, [2]));
    const s2 = SelectionState.empty().with(1, Bitset.of(10, [2])).with(3, Bitset.of(40, [5, 1]));
    const s3 = SelectionState.empty().with(1, Bitset.of(10, [2])).with(3, Bitset.of(40, [5]));
    expect(selectionKey(s1)).toBe(selectionKey(s2));
    expect(selectionKey(s1)).not.toBe(selectionKey(s3));
    expect(selectionKey(SelectionState.empty())).not.toBe(selectionKey(s3));
    // Large selections are hashed, still equal for equal sets.
    const many = (n: number) => Bitset.of(100_000, Array.from({ length: n }, (_, i) => i * 7));
    expect(selectionKey(SelectionState.empty().with(2, many(5000)))).toBe(selectionKey(SelectionState.empty().with(2, many(5000))));
    expect(selectionKey(SelectionState.empty().with(2, many(5000)))).not.toBe(selectionKey(SelectionState.empty().with(2, many(4999))));
  });

  it('cubes calling a clock or a random function are never kept', () => {
    expect(cubeKey({ dimensions: ['REGION'], measures: [{ expression: 'Sum(AMOUNT)' }] })).not.toBeNull();
    expect(cubeKey({ dimensions: ['REGION'], measures: [{ expression: 'Sum(AMOUNT) * Rand()' }] })).toBeNull();
    expect(cubeKey({ dimensions: ['REGION'], measures: [{ expression: 'Only(Now ())' }] })).toBeNull();
    expect(cubeKey({ dimensions: ['=Year(today())'], measures: [] })).toBeNull();
    expect(cubeKey({ dimensions: ['A'], measures: [{ expression: 'Sum(X)' }] })).not.toBe(cubeKey({ dimensions: ['A'], measures: [{ expression: 'Sum(Y)' }] }));
    expect(cubeKey({ dimensions: ['A'], measures: [{ expression: 'Sum(X)' }], sort: [{ column: 1, descending: true }] })).not.toBe(cubeKey({ dimensions: ['A'], measures: [{ expression: 'Sum(X)' }] }));
  });
});

/**
 * Through enigma.js: sessions of three users (ROOT, ALICE reduced to EAST, BOB to WEST+NORTH) flip
 * between selection states and read the same cube again and again (the cached path); every answer
 * equals the oracle over the rows that user may see in that state, computed here from the raw rows.
 */
describe('cached cubes through enigma.js', () => {
  let server: QixTestServer;
  const sessions: { user: string; regions: string[] | null; session: EnigmaSession; doc: EnigmaDoc }[] = [];

  beforeAll(async () => {
    const { salesLoadResult } = await import('./testing/sales-fixture');
    server = await startQixTestServer([{ appId: 'sales', title: 'Sales', load: salesLoadResult() }], { variables: new Map() });
    for (const [user, regions] of [['CORP\\ROOT', null], ['CORP\\ALICE', ['EAST']], ['CORP\\BOB', ['WEST', 'NORTH']]] as const) {
      const session = enigmaSession(server.url('sales'), user);
      sessions.push({ user, regions: regions === null ? null : [...regions], session, doc: await (await session.open()).openDoc('sales') });
    }
  }, 60_000);
  afterAll(async () => {
    for (const s of sessions) await s.session.close();
    await server?.close();
  });

  const rows = (m: QixCellT[][]) => m.map((r) => [r[0]!.qText, Number(r[1]!.qNum), r[0]!.qState]);
  const oracle = (regions: string[] | null, picked: string[] | null) => {
    const v = visibleRows(regions);
    const custs = v.customers.filter((c) => picked === null || picked.includes(c.custId));
    return custs
      .map((c) => [c.custId, Number(v.sales.filter((s) => s.custId === c.custId).reduce((a, s) => a + s.amount, 0).toFixed(2)), picked === null ? 'O' : 'S'] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  };

  const customerCube = (doc: EnigmaDoc) => doc.createSessionObject({ qInfo: { qType: 'cache-test' }, qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['CUSTID'] } }], qMeasures: [{ qDef: { qDef: 'Sum(AMOUNT)' } }] } });
  /** Selects `picked` (null: clears) and answers the oracle for the state that results. */
  const pick = async (field: EnigmaField, regions: string[] | null, picked: string[] | null) => {
    if (picked === null) await field.clear();
    else await field.selectValues(picked.map((qText) => ({ qText })), false);
    // A selection of only invisible values selects nothing: the state is then "no selection".
    const effective = picked === null ? null : picked.filter((c) => visibleRows(regions).customers.some((x) => x.custId === c));
    return oracle(regions, effective !== null && effective.length === 0 ? null : effective);
  };

  it('flipping selections back and forth answers each state over the user’s reduced rows', async () => {
    const states: (string[] | null)[] = [['C1', 'C2'], ['C3'], null, ['C1', 'C2'], ['C3', 'C4', 'C5'], ['C1', 'C2'], null];
    for (const { user, regions, doc } of sessions) {
      const cube = await customerCube(doc);
      const field = await doc.getField('CUSTID');
      for (const picked of states) {
        const expected = await pick(field, regions, picked);
        for (let k = 0; k < 2; k++) {
          const [page] = await cube.getHyperCubeData('/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qHeight: 50, qWidth: 2 }]);
          expect({ user, picked, got: rows(page!.qMatrix).map(([c, n, s]) => [c, Number((n as number).toFixed(2)), s]) }).toEqual({ user, picked, got: expected });
          const layout = await cube.getLayout();
          expect(layout.qHyperCube!.qSize.qcy).toBe(expected.length);
        }
        // A page further right or down is cut from the same cached cube.
        const [right] = await cube.getHyperCubeData('/qHyperCubeDef', [{ qTop: 1, qLeft: 1, qHeight: 50, qWidth: 1 }]);
        expect(right!.qMatrix.map((r) => Number(Number(r[0]!.qNum).toFixed(2)))).toEqual(expected.slice(1).map((e) => e[1]));
      }
      await field.clear();
    }
    // The fixture reduces: the three users see different customer sets.
    expect(new Set(sessions.map((s) => visibleRows(s.regions).customers.map((c) => c.custId).join())).size).toBe(3);
    expect(CUSTOMERS.length).toBe(5);
  }, 60_000);

  it('with the cache disabled (budget 0) every answer is still the oracle and nothing is kept', async () => {
    CUBE_CACHE.resize(0);
    try {
      for (const { user, regions, doc } of sessions) {
        const cube = await customerCube(doc);
        const field = await doc.getField('CUSTID');
        for (const picked of [['C1', 'C2'], null, ['C1', 'C2']]) {
          const expected = await pick(field, regions, picked);
          for (let k = 0; k < 2; k++) {
            const [page] = await cube.getHyperCubeData('/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qHeight: 50, qWidth: 2 }]);
            expect({ user, picked, got: rows(page!.qMatrix).map(([c, n, s]) => [c, Number((n as number).toFixed(2)), s]) }).toEqual({ user, picked, got: expected });
            expect(CUBE_CACHE.size).toBe(0);
          }
        }
        await field.clear();
      }
    } finally {
      CUBE_CACHE.resize(MAX_CACHED_BYTES);
    }
  }, 60_000);

  it('a variable change is a different cube (the expansion is in the key)', async () => {
    const root = sessions[0]!;
    const vars = root.doc as unknown as { createVariableEx(p: object): Promise<{ qId: string }>; getVariableByName(n: string): Promise<{ setStringValue(v: string): Promise<void> }> };
    await vars.createVariableEx({ qName: 'vK', qDefinition: '2' });
    const cube = await root.doc.createSessionObject({ qInfo: { qType: 'cache-test' }, qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['CUSTID'] } }], qMeasures: [{ qDef: { qDef: 'Sum(AMOUNT) * $(vK)' } }] } });
    const total = async () => (await cube.getHyperCubeData('/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qHeight: 50, qWidth: 2 }]))[0]!.qMatrix.reduce((a, r) => a + Number(r[1]!.qNum), 0);
    const all = visibleRows(null).sales.reduce((a, s) => a + s.amount, 0);
    expect((await total()).toFixed(2)).toBe((all * 2).toFixed(2));
    await (await vars.getVariableByName('vK')).setStringValue('3');
    expect((await total()).toFixed(2)).toBe((all * 3).toFixed(2));
    await (await vars.getVariableByName('vK')).setStringValue('2');
    expect((await total()).toFixed(2)).toBe((all * 2).toFixed(2));
  }, 60_000);
});
