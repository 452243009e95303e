import fc from 'fast-check';
import { httpRequest, type HttpResult } from '@trustzone/site-harness';
import { scanForLeaks } from '../leak-scan';
import { EXPRESSIONS_WITH_SETS as EXPRESSIONS, FIELDS, MEASURES, runProbes, SELECT_VALUES, TABLES, type Probe } from '../leak-probes';
import { rpc } from '../qix-client';
import { findRawLeaks, forbiddenFor } from '../sales-data';
import { toResult, type FuzzTarget } from './fuzz-target';
import type { FuzzSite } from './fuzz-site';

const METHODS = ['OpenDoc', 'GetActiveDoc', 'GetDocList', 'EngineVersion', 'ProductVersion', 'GetAuthenticatedUser', 'GetTablesAndKeys', 'GetFieldDescription', 'GetField', 'CreateSessionObject', 'DestroySessionObject', 'GetObject', 'ClearAll', 'GetTableData', 'Evaluate', 'EvaluateEx', 'SearchResults', 'GetLayout', 'GetProperties', 'SetProperties', 'GetHyperCubeData', 'GetHyperCubePivotData', 'GetListObjectData', 'SelectHyperCubeValues', 'SelectListObjectValues', 'SelectValues', 'Select', 'ToggleSelect', 'Clear', 'GetCardinal',
  // Script and reload (SetScript left out: a new script would legitimately change the witness's totals).
  'GetScript', 'DoReload', 'DoReloadEx', 'GetProgress',
  // Variables and $(…) expansion (a variable created here cannot move the witness's Sum(AMOUNT): it expands none).
  'CreateVariableEx', 'GetVariableById', 'GetVariableByName', 'DestroyVariableById', 'DestroyVariableByName', 'GetRawContent', 'SetStringValue', 'SetNumValue',
  // Persisted objects, master items, bookmarks, connections (issue 18): written, patched, re-treed, applied.
  'CreateObject', 'DestroyObject', 'GetObjects', 'GetAllInfos', 'DoSave', 'GetAppProperties', 'SetAppProperties', 'GetFullPropertyTree', 'SetFullPropertyTree', 'ApplyPatches', 'CreateChild', 'DestroyChild', 'GetChildInfos', 'Publish', 'UnPublish', 'Approve', 'UnApprove',
  'CreateDimension', 'CreateMeasure', 'GetDimension', 'GetMeasure', 'DestroyDimension', 'DestroyMeasure', 'CreateBookmark', 'GetBookmark', 'ApplyBookmark', 'DestroyBookmark', 'GetBookmarks', 'Apply', 'GetConnections', 'GetConnection',
  // Searches (issue 18 item 1), the pivot's expand/collapse and object copies (items 2, 3).
  'SearchSuggest', 'SearchAssociations', 'SelectAssociations', 'SearchObjects', 'ExpandLeft', 'CollapseLeft', 'ExpandTop', 'CollapseTop', 'GetParent', 'GetChild', 'GetLinkedObjects', 'CopyFrom', 'CloneObject', '__proto__', 'constructor', 'toString', 'hasOwnProperty'];
const hugeOrOdd = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, Number.MAX_SAFE_INTEGER), fc.double());
const page = fc.record({ qTop: hugeOrOdd, qLeft: hugeOrOdd, qHeight: hugeOrOdd, qWidth: hugeOrOdd });
const cubeDef = fc.record({
  qInfo: fc.record({ qType: fc.string({ maxLength: 8 }) }),
  qHyperCubeDef: fc.record({
    qDimensions: fc.array(fc.record({ qDef: fc.record({ qFieldDefs: fc.array(fc.constantFrom(...FIELDS, ''), { maxLength: 2 }) }) }), { maxLength: 4 }),
    qMeasures: fc.array(fc.record({ qDef: fc.record({ qDef: fc.oneof(fc.constantFrom(...EXPRESSIONS), fc.string({ maxLength: 20 })) }) }), { maxLength: 4 }),
    qInitialDataFetch: fc.array(page, { maxLength: 3 }),
    // Pivot shapes (qMode "P"): left/top split, indented rows, totals above, always expanded.
    qMode: fc.constantFrom('S', 'P', 'K', 'X'),
    qNoOfLeftDims: hugeOrOdd,
    qIndentMode: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 1 })),
    qShowTotalsAbove: fc.boolean(),
    qAlwaysFullyExpanded: fc.boolean(),
  }, { requiredKeys: [] }),
}, { requiredKeys: [] });
const DOLLAR = ['$(=Sum({1} AMOUNT))', "$(=Concat({1} NAME, ','))", '$(v)', '$(v$(v))', '$(=$(=$(=1)))', 'Sum($(vField))', '$('];
const variableDef = fc.record({ qInfo: fc.record({ qId: fc.string({ maxLength: 8 }) }), qName: fc.oneof(fc.constantFrom('v', 'vField', '$(v)'), fc.string({ maxLength: 12 })), qDefinition: fc.oneof(fc.constantFrom(...DOLLAR, ...EXPRESSIONS.map((e) => `=${e}`)), fc.string({ maxLength: 30 })) }, { requiredKeys: [] });
const objectDef = fc.record({
  qInfo: fc.record({ qId: fc.oneof(fc.constantFrom('o1', 'o2', 'AppPropsList', '__proto__'), fc.string({ maxLength: 8 })), qType: fc.oneof(fc.constantFrom('sheet', 'bookmark', 'dimension', 'measure', 'appprops', 'constructor'), fc.string({ maxLength: 8 })) }, { requiredKeys: [] }),
  qMetaDef: fc.jsonValue({ maxDepth: 2 }),
  qChildListDef: fc.record({ qData: fc.dictionary(fc.string({ maxLength: 4 }), fc.constantFrom('/qMetaDef/title', '/__proto__', '/qHyperCubeDef')) }),
  qAppObjectListDef: fc.record({ qType: fc.constantFrom('sheet', ''), qData: fc.dictionary(fc.string({ maxLength: 4 }), fc.constantFrom('/qInfo', '/constructor/prototype')) }),
  qFieldListDef: fc.record({ qShowSrcTables: fc.boolean() }),
  qBookmarkListDef: fc.record({ qType: fc.constant('bookmark') }),
  qDim: fc.record({ qFieldDefs: fc.array(fc.constantFrom(...FIELDS, '=NAME', ''), { maxLength: 3 }) }),
  qMeasure: fc.record({ qDef: fc.oneof(fc.constantFrom(...EXPRESSIONS), fc.string({ maxLength: 20 })) }),
  qHyperCubeDef: fc.record({ qDimensions: fc.array(fc.record({ qLibraryId: fc.constantFrom('o1', 'o2', 'nope') }), { maxLength: 2 }), qMeasures: fc.array(fc.record({ qLibraryId: fc.constantFrom('o1', 'o2', 'nope') }), { maxLength: 2 }) }),
}, { requiredKeys: [] });
const patches = fc.array(fc.record({ qOp: fc.constantFrom('add', 'remove', 'replace', 'move'), qPath: fc.oneof(fc.constantFrom('/x', '/qMetaDef/title', '/__proto__/polluted', '/qInfo/qId', '/qHyperCubeDef/qMeasures/0', '/a/-', '/'), fc.string({ maxLength: 12 })), qValue: fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), fc.string({ maxLength: 12 })) }, { requiredKeys: [] }), { maxLength: 5 });
const param = fc.oneof(fc.jsonValue({ maxDepth: 4 }), page, cubeDef, variableDef, objectDef, patches, fc.constantFrom(...FIELDS, ...TABLES, ...EXPRESSIONS, ...DOLLAR, '/qHyperCubeDef', '/qListObjectDef'), fc.array(page, { maxLength: 4 }));
const frameObject = fc.record({
  jsonrpc: fc.oneof({ arbitrary: fc.constant('2.0'), weight: 9 }, { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 1 }),
  id: fc.oneof(fc.nat(), fc.string({ maxLength: 6 }).filter((s) => !s.startsWith('sentinel')), fc.constant(null)),
  method: fc.oneof({ arbitrary: fc.constantFrom(...METHODS), weight: 9 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 }),
  handle: fc.oneof(fc.constantFrom(-1, 1, 2, 3, 0), fc.integer(), fc.string({ maxLength: 3 }), fc.constant(null)),
  params: fc.oneof(fc.array(param, { maxLength: 6 }), fc.dictionary(fc.constantFrom('qDocName', 'qFieldName', 'qExpression', 'qTerms', 'qOptions', 'qPage', 'qPath', 'qPages', 'qProp', 'qId', 'qName', 'qVal', 'qOffset', 'qRows', 'qTableName', 'qPatches', 'qPropEntry', 'qConnectionId', 'x'), param, { maxKeys: 4 }), fc.jsonValue({ maxDepth: 2 })),
  delta: fc.boolean(),
}, { requiredKeys: ['method'] });
const frame = fc.oneof({ arbitrary: frameObject.map((f) => JSON.stringify(f)), weight: 8 }, { arbitrary: fc.string({ maxLength: 200 }), weight: 1 }, { arbitrary: fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)), weight: 1 });

const probe: fc.Arbitrary<Probe> = fc.oneof(
  fc.constant<Probe>({ kind: 'tables' }),
  fc.constantFrom(...FIELDS).map((field): Probe => ({ kind: 'list', field })),
  fc.constantFrom(...FIELDS).map((field): Probe => ({ kind: 'describe', field })),
  fc.record({ dims: fc.subarray(FIELDS, { maxLength: 3 }), measures: fc.subarray(MEASURES, { minLength: 1, maxLength: 4 }) }).map(({ dims, measures }): Probe => ({ kind: 'cube', dims, measures })),
  fc.oneof(fc.constantFrom(...EXPRESSIONS), fc.tuple(fc.constantFrom('Sum', 'Max', 'Min', 'Count', 'Avg', 'Only', 'Concat'), fc.constantFrom(...FIELDS), fc.constantFrom('', '{1} ', 'ALL ', 'DISTINCT ', 'TOTAL ')).map(([f, x, m]) => `${f}(${m}${x})`)).map((expr): Probe => ({ kind: 'evaluate', expr })),
  fc.constantFrom(...TABLES).map((table): Probe => ({ kind: 'tableData', table })),
  fc.tuple(fc.constantFrom('REGION', 'NAME', 'CUSTID'), fc.constantFrom(...SELECT_VALUES)).map(([field, value]): Probe => ({ kind: 'selectText', field, value })),
  fc.tuple(fc.constantFrom('REGION', 'NAME', 'CUSTID', 'ORDERID'), fc.array(fc.integer({ min: -2, max: 40 }), { maxLength: 8 })).map(([dim, elems]): Probe => ({ kind: 'selectElems', dim, elems })),
  fc.constant<Probe>({ kind: 'clear' }),
);

const PORT_KINDS = ['client', 'api'] as const;
const SEGMENTS = ['qrs', 'qps', 'hub', 'app', 'about', 'stream', 'user', 'ticket', 'session', 'systemrule', 'security', 'audit', 'explain', 'full', 'count', 'script', 'reload', 'publish', 'copy', 'object', 'dataconnection', 'virtualproxyconfig', '00000000-0000-4000-8000-000000000000', '..', '.', '%2e%2e', '%00', '%zz', '%', ''];
const request = fc.record({
  port: fc.constantFrom(...PORT_KINDS),
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'X'),
  segments: fc.array(fc.oneof({ arbitrary: fc.constantFrom(...SEGMENTS), weight: 6 }, { arbitrary: fc.string({ maxLength: 10 }).map(encodeURIComponent), weight: 1 }), { maxLength: 6 }),
  query: fc.array(fc.tuple(fc.constantFrom('xrfkey', 'filter', 'orderby', 'privileges', 'qlikTicket', 'stream', 'name', 'user', 'resource', 'action', 'qlik-csrf-token', 'x'), fc.string({ maxLength: 24 })), { maxLength: 4 }),
  xrfkey: fc.boolean(),
  /** With a genuine identity (portal X-Qlik-User / a session cookie), requests get past authentication. */
  identified: fc.boolean(),
  headers: fc.dictionary(fc.constantFrom('Cookie', 'X-Qlik-User', 'Authorization', 'Content-Type', 'X-Qlik-Xrfkey', 'Accept', 'Origin', 'X-Trustzone-User', 'Range', 'Transfer-Encoding-X'), fc.string({ unit: fc.constantFrom(...'abcXYZ019=;,.:/\\ -_\'"<>{}[]%'.split('')), maxLength: 40 }), { maxKeys: 4 }),
  body: fc.option(fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v))), { nil: undefined }),
});

type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

async function send(site: FuzzSite, r: FuzzRequest): Promise<HttpResult | 'not-sendable'> {
  const path = `/${r.segments.join('/')}${r.query.length ? `?${r.query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}` : ''}`;
  const port = r.port === 'api' ? site.a.site.ports.proxyApi : site.a.site.ports.proxy;
  const identity: Record<string, string> = !r.identified ? {} : r.port === 'api' ? { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' } : { Cookie: site.cookie };
  try {
    return await httpRequest(site.a.site, port, path, { method: r.method, headers: { ...identity, ...r.headers }, xrfkey: r.xrfkey, ...(r.port === 'api' ? { cert: site.a.portal } : {}), ...(r.body === undefined ? {} : { raw: r.body }) });
  } catch (e) {
    // Requests node's own client refuses to put on the wire are not attacks on the proxy.
    if (e instanceof TypeError || (e as { code?: string }).code?.startsWith('ERR_')) return 'not-sendable';
    throw e;
  }
}

export const liveTargets: FuzzTarget[] = [
  {
    name: 'qix-frames',
    stride: 'Denial of service',
    claim: 'random JSON-RPC frames on a live QIX session never crash it: after each batch the session still answers, and another user\'s session returns the same totals',
    testRuns: 25,
    live: true,
    async check(seed, numRuns, site) {
      if (!site) throw new Error('needs a site');
      let sentinel = 0;
      return toResult(await fc.check(fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 6 }), async (frames) => {
        for (const f of frames) site.raw.send(f);
        const id = `sentinel-${seed}-${sentinel++}`;
        const alive = await rpc(site.raw, JSON.stringify({ jsonrpc: '2.0', id, method: 'GetAuthenticatedUser', handle: -1, params: [] }), id, 10_000);
        if (!alive || !('result' in alive)) return false;
        return (await site.witness.evaluate('Sum(AMOUNT)')) === site.witnessSum;
      }), { seed, numRuns }));
    },
  },
  {
    name: 'http-requests',
    stride: 'Denial of service',
    claim: 'random malformed HTTP requests on both proxy listeners never get a 5xx or a body with internals, and /health stays ok',
    testRuns: 80,
    live: true,
    async check(seed, numRuns, site) {
      if (!site) throw new Error('needs a site');
      return toResult(await fc.check(fc.asyncProperty(request, async (r) => {
        const res = await send(site, r);
        if (res === 'not-sendable') return true;
        if (res.status >= 500) throw new Error(`${res.status}: ${res.text.slice(0, 200)}`);
        const leaks = scanForLeaks([{ where: 'fuzz', text: res.text }], [site.a.site.dataDir]);
        if (leaks.length > 0) throw new Error(`leak: ${JSON.stringify(leaks[0])}`);
        const health = await httpRequest(site.a.site, site.a.site.ports.proxy, '/health', { xrfkey: false });
        return health.status === 200;
      }), { seed, numRuns }));
    },
  },
  {
    name: 'section-access-leak',
    stride: 'Information disclosure',
    claim: 'whatever sequence of lists, cubes, expressions, table reads and selections a reduced user runs, no excluded row value (text anywhere, number in a data cell) appears in any frame they receive',
    testRuns: 12,
    live: true,
    async check(seed, numRuns, site) {
      if (!site) throw new Error('needs a site');
      return toResult(await fc.check(fc.asyncProperty(fc.constantFrom(0, 1), fc.array(probe, { minLength: 1, maxLength: 8 }), async (who, probes) => {
        const s = site.reduced[who];
        if (!s) return false;
        const from = s.conn.frames.length;
        await s.doc.clearAll().catch(() => undefined);
        await runProbes(s.doc, probes);
        const leaks = findRawLeaks(s.conn.frames.slice(from), forbiddenFor(s.user));
        if (leaks.length > 0) throw new Error(`${s.user} saw ${JSON.stringify(leaks[0])}`);
        // Keep memory flat on long runs: the frames were checked.
        s.conn.frames.length = from;
        return true;
      }), { seed, numRuns }));
    },
  },
];
