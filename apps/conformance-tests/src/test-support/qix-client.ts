import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import WebSocket from 'ws';
import { httpRequest, ticketLogin } from '@trustzone/site-harness';
import type { ConformanceSite } from './conformance-site';

/**
 * enigma.js, unmodified, opening an app through a site's proxy as a ticket-logged-in user (the
 * portal flow), with the newest schema it ships. Typed only for the calls the scenarios make.
 */
const require = createRequire(import.meta.url);

export interface CubeRow { dim: string; values: number[] }
interface EnigmaSession { open(): Promise<{ openDoc(id: string): Promise<EnigmaDoc> }>; close(): Promise<void> }
export interface EnigmaDoc {
  createSessionObject(props: object): Promise<{ getLayout(): Promise<{ qHyperCube: { qDataPages: { qMatrix: { qText: string; qNum: number | 'NaN' }[][] }[] } }> }>;
  evaluate(expression: string): Promise<string>;
  createVariableEx(props: object): Promise<{ qId: string; qType: string }>;
  getVariableByName(name: string): Promise<{ getLayout(): Promise<{ qText: string; qNum: number | 'NaN'; qIsScriptCreated: boolean }> }>;
}

function newestSchema(): object {
  const dir = join(dirname(require.resolve('enigma.js/package.json')), 'schemas');
  const key = (f: string) => f.replace('.json', '').split('.').map(Number);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  });
  return require(join(dir, files.at(-1) as string)) as object;
}

/**
 * One hypercube (a dimension and measures) of an app, as `CORP\<userId>` sees it, rows sorted by the
 * dimension. `attributes` go into the ticket request (`[{ group: 'Sales' }]`).
 */
export async function cube(s: ConformanceSite, userId: string, appId: string, dimension: string, measures: string[], attributes: Record<string, string>[] = []): Promise<CubeRow[]> {
  return withDoc(s, userId, appId, async (doc) => {
    const obj = await doc.createSessionObject({
      qInfo: { qType: 'cube' },
      qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: [dimension] } }], qMeasures: measures.map((m) => ({ qDef: { qDef: m } })), qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 100, qWidth: 1 + measures.length }] },
    });
    const layout = await obj.getLayout();
    return layout.qHyperCube.qDataPages[0]!.qMatrix.map((r) => ({ dim: r[0]!.qText, values: r.slice(1).map((c) => Number(c.qNum)) })).sort((a, b) => a.dim.localeCompare(b.dim));
  }, attributes);
}

/** `run` on the app opened by enigma.js as `CORP\<userId>`; the session is closed after. */
export async function withDoc<T>(s: ConformanceSite, userId: string, appId: string, run: (doc: EnigmaDoc) => Promise<T>, attributes: Record<string, string>[] = []): Promise<T> {
  const { cookie } = await ticketLogin(s.site, s.certs, { userDirectory: 'CORP', userId, attributes });
  const me = await httpRequest(s.site, s.site.ports.proxy, '/qps/user', { headers: { Cookie: cookie } });
  const token = (me.json as { csrfToken: string }).csrfToken;
  const enigma = require('enigma.js') as { create(c: object): EnigmaSession };
  const session = enigma.create({
    schema: newestSchema(),
    url: `wss://localhost:${s.site.ports.proxy}/app/${appId}?qlik-csrf-token=${encodeURIComponent(token)}`,
    createSocket: (url: string) => new WebSocket(url, { ca: s.site.clientFacingCa, headers: { Cookie: cookie, Origin: `https://localhost:${s.site.ports.proxy}` } }),
  });
  try {
    return await run(await (await session.open()).openDoc(appId));
  } finally {
    await session.close();
  }
}
