import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RawClient as RawClientT, RawClient } from './testing/raw-client';
import { type QixTestServer, startQixTestServer } from './testing/qix-test-server';
import { salesLoadResult, visibleRows } from './testing/sales-fixture';

/**
 * Frame-level behaviour over a real websocket: malformed frames, unknown methods and handles,
 * oversized pages and bounds all get error responses, and the same session keeps answering.
 */
const FRAME_LIMIT = 8 * 1024;
const HANDLE_LIMIT = 8;
let server: QixTestServer;
const clients: RawClientT[] = [];

beforeAll(async () => {
  server = await startQixTestServer([{ appId: 'sales', title: 'Sales', load: salesLoadResult() }], { limits: { maxFrameBytes: FRAME_LIMIT, maxHandles: HANDLE_LIMIT } });
});
afterEach(() => clients.splice(0).forEach((c) => c.close()));
afterAll(() => server.close());

async function connect(user = 'CORP\\ALICE'): Promise<RawClient> {
  const c = await RawClient.connect(server.url('sales'), user);
  clients.push(c);
  expect(await c.next()).toEqual({ jsonrpc: '2.0', method: 'OnConnected', params: { qSessionState: 'SESSION_CREATED' } });
  return c;
}

async function openDoc(c: RawClient): Promise<number> {
  const r = await c.call('OpenDoc', -1, ['sales']);
  const ref = r.result!['qReturn'] as { qType: string; qHandle: number; qGenericId: string };
  expect(ref).toEqual({ qType: 'Doc', qHandle: ref.qHandle, qGenericId: 'sales' });
  return ref.qHandle;
}

const CUBE = { qInfo: { qType: 't' }, qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['ORDERID'] } }], qMeasures: [{ qDef: { qDef: 'Sum(AMOUNT)' } }] } };

async function stillWorks(c: RawClient): Promise<void> {
  expect((await c.call('ProductVersion', -1)).result).toEqual({ qReturn: expect.stringMatching(/^12\./) });
}

describe('malformed frames', () => {
  it('each gets the JSON-RPC error it deserves and the session goes on', async () => {
    const c = await connect();
    const cases: [string | Buffer, number, number | string | null][] = [
      ['not json', -32700, null],
      ['[{"jsonrpc":"2.0","id":1,"method":"QTProduct","handle":-1}]', -32600, null],
      ['{"jsonrpc":"2.0","method":"QTProduct","handle":-1}', -32600, null],
      ['{"jsonrpc":"2.0","id":{"x":1},"method":"QTProduct","handle":-1}', -32600, null],
      ['{"jsonrpc":"2.0","id":5,"method":"QTProduct"}', -32600, 5],
      ['{"id":6,"method":"QTProduct","handle":-1}', -32600, 6],
      ['{"jsonrpc":"2.0","id":"seven","method":"QTProduct","handle":-1,"params":5}', -32600, 'seven'],
      ['{"jsonrpc":"2.0","id":8,"method":"","handle":-1}', -32600, 8],
      ['{"jsonrpc":"2.0","id":9,"method":"QTProduct","handle":1.5}', -32600, 9],
      [`{"jsonrpc":"2.0","id":10,"method":"QTProduct","handle":-1,"params":["${'x'.repeat(FRAME_LIMIT)}"]}`, -32600, null],
      [`{"jsonrpc":"2.0","id":11,"method":"QTProduct","handle":-1,"params":${'['.repeat(200)}${']'.repeat(200)}}`, -32600, null],
      [Buffer.from([0xff, 0x00, 0x01]), -32700, null],
    ];
    for (const [frame, code, id] of cases) {
      const r = await c.sendRaw(frame);
      expect({ code: r.error?.code, id: r.id }).toEqual({ code, id });
      await stillWorks(c);
    }
  });

  it('unknown methods, methods of another object type and prototype names are "method not found"', async () => {
    const c = await connect();
    const doc = await openDoc(c);
    for (const [method, handle] of [['NoSuchMethod', -1], ['GetTablesAndKeys', -1], ['GetLayout', doc], ['OpenDoc', doc], ['constructor', -1], ['__proto__', doc], ['toString', -1]] as const) {
      expect((await c.call(method, handle)).error?.code).toBe(-32601);
    }
    await stillWorks(c);
  });

  it('handles the session never issued (0 included) are refused', async () => {
    const c = await connect();
    for (const handle of [0, 1, 999, -2]) expect((await c.call('GetLayout', handle)).error?.code).toBe(-32602);
    const doc = await openDoc(c);
    expect(doc).toBeGreaterThan(0);
    await stillWorks(c);
  });
});

describe('parameters', () => {
  it('accepts named params mapped by schema name, refuses unknown names, extra and mistyped params', async () => {
    const c = await connect();
    const r = await c.call('OpenDoc', -1, { qDocName: 'sales' });
    const doc = (r.result!['qReturn'] as { qHandle: number }).qHandle;
    const named = await c.call('GetFieldDescription', doc, { qFieldName: 'REGION' });
    expect((named.result!['qReturn'] as { qCardinal: number }).qCardinal).toBe(1);
    expect((await c.call('GetFieldDescription', doc, { qFieldNme: 'REGION' })).error?.code).toBe(8);
    expect((await c.call('GetFieldDescription', doc, ['REGION', 'extra'])).error?.code).toBe(8);
    expect((await c.call('GetFieldDescription', doc, [42])).error?.code).toBe(8);
    expect((await c.call('GetTableData', doc, [-1, 5, false, 'Sales'])).error?.code).toBe(8);
    expect((await c.call('GetTableData', doc, { qTableName: 'Sales', qRows: 1 })).result!['qData']).toHaveLength(1);
  });

  it('answers delta requests with plain results', async () => {
    const c = await connect();
    const r = await c.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: 77, delta: true, method: 'EngineVersion', handle: -1, params: [] }));
    expect(r).toEqual({ jsonrpc: '2.0', id: 77, result: { qVersion: { qComponentVersion: expect.any(String) } } });
  });

  it('unknown names answer not found (2), bad paths 4, unsupported definitions 8, bad expressions 7000', async () => {
    const c = await connect();
    const doc = await openDoc(c);
    expect((await c.call('GetTableData', doc, [0, 1, false, 'NoTable'])).error?.code).toBe(2);
    expect((await c.call('GetField', doc, ['NOFIELD'])).error?.code).toBe(2);
    expect((await c.call('GetField', doc, ['REGION', 'altState'])).error?.code).toBe(2);
    expect((await c.call('CreateSessionObject', doc, [{ qHyperCubeDef: { qMode: 'K' } }])).error?.code).toBe(8);
    expect((await c.call('CreateSessionObject', doc, [{ qHyperCubeDef: { qDimensions: [{ qLibraryId: 'x' }] } }])).error?.code).toBe(2);
    expect((await c.call('Evaluate', doc, ['Sum(AMOUNT'])).error?.code).toBe(7000);
    const obj = (await c.call('CreateSessionObject', doc, [CUBE])).result!['qReturn'] as { qHandle: number };
    expect((await c.call('GetHyperCubeData', obj.qHandle, ['/qListObjectDef', []])).error?.code).toBe(4);
    expect((await c.call('SelectHyperCubeValues', obj.qHandle, ['/qHyperCubeDef', 3, [0], false])).error?.code).toBe(8);
    await stillWorks(c);
  });
});

describe('bounds', () => {
  it('a page over the cell limit is refused; a normal page right after is answered', async () => {
    const c = await connect('CORP\\ROOT');
    const doc = await openDoc(c);
    const obj = (await c.call('CreateSessionObject', doc, [CUBE])).result!['qReturn'] as { qHandle: number };
    const huge = await c.call('GetHyperCubeData', obj.qHandle, ['/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qHeight: 5001, qWidth: 2 }]]);
    expect(huge.error?.code).toBe(8);
    expect((await c.call('GetHyperCubeData', obj.qHandle, ['/qHyperCubeDef', Array(101).fill({ qTop: 0, qLeft: 0, qHeight: 1, qWidth: 1 })])).error?.code).toBe(8);
    expect((await c.call('GetTableData', doc, [0, 1_000_000, false, 'Sales'])).error?.code).toBe(8);
    const fetchHuge = { qHyperCubeDef: { ...CUBE.qHyperCubeDef, qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 100_000, qWidth: 2 }] } };
    const hugeObj = (await c.call('CreateSessionObject', doc, [fetchHuge])).result!['qReturn'] as { qHandle: number };
    expect((await c.call('GetLayout', hugeObj.qHandle)).error?.code).toBe(8);
    const ok = await c.call('GetHyperCubeData', obj.qHandle, ['/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qHeight: 100, qWidth: 2 }]]);
    const pages = ok.result!['qDataPages'] as { qMatrix: unknown[] }[];
    expect(pages[0]!.qMatrix).toHaveLength(visibleRows(null).sales.length);
  });

  it('the number of handles is bounded, and the session keeps working at the bound', async () => {
    const c = await connect();
    const doc = await openDoc(c);
    const codes: number[] = [];
    for (let i = 0; i < HANDLE_LIMIT + 2; i++) {
      const r = await c.call('CreateSessionObject', doc, [{ qInfo: { qId: `o${i}` } }]);
      codes.push(r.error?.code ?? 0);
    }
    expect(codes.filter((x) => x === 0)).toHaveLength(HANDLE_LIMIT - 1);
    expect(codes.filter((x) => x === 15)).toHaveLength(3);
    expect((await c.call('DestroySessionObject', doc, ['o0'])).result).toEqual({ qSuccess: true });
    expect((await c.call('CreateSessionObject', doc, [{ qInfo: { qId: 'again' } }])).error).toBeUndefined();
  });
});

describe('change and close', () => {
  it('a selection marks the doc objects and fields stale; destroy closes the handle for good', async () => {
    const c = await connect();
    const doc = await openDoc(c);
    const obj = ((await c.call('CreateSessionObject', doc, [CUBE])).result!['qReturn'] as { qHandle: number }).qHandle;
    const field = ((await c.call('GetField', doc, ['PRODUCT'])).result!['qReturn'] as { qHandle: number }).qHandle;
    expect(new Set([doc, obj, field]).size).toBe(3);
    const sel = await c.call('SelectValues', field, [[{ qText: 'Gizmo' }]]);
    expect(sel.result).toEqual({ qReturn: true });
    expect([...(sel.change ?? [])].sort()).toEqual([obj, field].sort());
    const noChange = await c.call('GetCardinal', field);
    expect(noChange.change).toBeUndefined();
    const cleared = await c.call('ClearAll', doc, []);
    expect(cleared.result).toEqual({});
    expect([...(cleared.change ?? [])].sort()).toEqual([obj, field].sort());
    const destroyed = await c.call('DestroySessionObject', doc, ['ignored-id-does-not-exist']);
    expect(destroyed.result).toEqual({ qSuccess: false });
    const id = ((await c.call('GetInfo', obj)).result!['qInfo'] as { qId: string }).qId;
    const gone = await c.call('DestroySessionObject', doc, [id]);
    expect(gone.close).toEqual([obj]);
    expect((await c.call('GetLayout', obj)).error?.code).toBe(-32602);
    const fresh = ((await c.call('CreateSessionObject', doc, [CUBE])).result!['qReturn'] as { qHandle: number }).qHandle;
    expect(fresh).toBeGreaterThan(Math.max(doc, obj, field));
  });

  it('SetProperties redefines an object and marks it stale', async () => {
    const c = await connect('CORP\\ROOT');
    const doc = await openDoc(c);
    const obj = ((await c.call('CreateSessionObject', doc, [CUBE])).result!['qReturn'] as { qHandle: number }).qHandle;
    const byRegion = { qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['REGION'] } }], qMeasures: [{ qDef: { qDef: 'Count(ORDERID)' } }] } };
    const set = await c.call('SetProperties', obj, [byRegion]);
    expect(set.result).toEqual({});
    expect(set.change).toEqual([obj]);
    const cube = (await c.call('GetLayout', obj)).result!['qLayout'] as { qHyperCube: { qSize: { qcy: number } } };
    expect(cube.qHyperCube.qSize.qcy).toBe(new Set(visibleRows(null).customers.map((x) => x.region)).size);
    expect((await c.call('SetProperties', obj, [{ qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['NOPE'] } }] } }])).error?.code).toBe(2);
    expect(((await c.call('GetLayout', obj)).result!['qLayout'] as { qHyperCube: { qSize: { qcy: number } } }).qHyperCube.qSize.qcy).toBe(cube.qHyperCube.qSize.qcy);
  });

  it('qUserName may only name the authenticated user; anything else is denied and audited', async () => {
    const c = await connect('CORP\\ALICE');
    const before = server.audits.length;
    expect((await c.call('OpenDoc', -1, ['sales', 'CORP\\ROOT'])).error).toMatchObject({ code: 5, message: 'Access denied' });
    expect(server.audits.slice(before)).toMatchObject([{ outcome: 'denied', code: 5, reason: 'qUserName names another user' }]);
    expect((await c.call('OpenDoc', -1, ['sales', 'corp\\alice'])).result!['qReturn']).toMatchObject({ qType: 'Doc' });
  });
});
