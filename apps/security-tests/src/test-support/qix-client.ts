import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import WebSocket from 'ws';
import type { AttackSite } from './attack-site';

/**
 * The real enigma.js over wss through the proxy, typed for the calls the attacks make. Every text
 * frame the client receives is kept in `frames`, so leak probes can search all of them, not only
 * the parts enigma.js hands back.
 */
const require = createRequire(import.meta.url);

export interface QixCell { qText: string; qNum: number | 'NaN'; qElemNumber: number; qState: string }
export interface DataPage { qMatrix: QixCell[][] }
export interface Page { qTop: number; qLeft: number; qHeight: number; qWidth: number }

export interface EnigmaGenericObject {
  getLayout(): Promise<Record<string, unknown> & { qHyperCube?: { qSize: { qcx: number; qcy: number }; qGrandTotalRow: QixCell[]; qDataPages: DataPage[] }; qListObject?: { qDataPages: DataPage[] } }>;
  getHyperCubeData(path: string, pages: Page[]): Promise<DataPage[]>;
  getListObjectData(path: string, pages: Page[]): Promise<DataPage[]>;
  selectHyperCubeValues(path: string, dimNo: number, values: number[], toggle: boolean): Promise<boolean>;
}

export interface EnigmaField {
  selectValues(values: { qText: string }[], toggle?: boolean): Promise<boolean>;
  getCardinal(): Promise<number>;
}

export interface EnigmaDoc {
  getTablesAndKeys(w: object, n: object, cellHeight: number, synthetic: boolean, sysVars: boolean): Promise<{ qtr: { qName: string; qNoOfRows: number; qFields: { qName: string }[] }[] }>;
  getFieldDescription(name: string): Promise<{ qName: string; qCardinal: number }>;
  getField(name: string): Promise<EnigmaField>;
  createSessionObject(props: object): Promise<EnigmaGenericObject>;
  clearAll(): Promise<unknown>;
  getTableData(offset: number, rows: number, synthetic: boolean, table: string): Promise<unknown[]>;
  evaluate(expression: string): Promise<string>;
  evaluateEx(expression: string): Promise<{ qText: string; qNumber: number | 'NaN' }>;
}

export interface EnigmaGlobal {
  openDoc(appId: string): Promise<EnigmaDoc>;
  engineVersion(): Promise<{ qComponentVersion: string }>;
  getDocList(): Promise<{ qDocId: string; qDocName: string }[]>;
}

interface EnigmaSession {
  open(): Promise<EnigmaGlobal>;
  close(): Promise<void>;
}

export interface QixConnection {
  global: EnigmaGlobal;
  /** Every text frame received on the socket, in order. */
  frames: string[];
  socket: WebSocket;
  close(): Promise<void>;
}

function newestSchema(): object {
  const dir = join(dirname(require.resolve('enigma.js/package.json')), 'schemas');
  const key = (f: string) => f.replace(/\.json$/, '').split('.').map(Number);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  });
  return require(join(dir, files.at(-1) as string)) as object;
}

let schema: object | undefined;

/**
 * Opens an enigma.js session for a logged-in cookie (with its CSRF token and an allowed Origin).
 * `path` overrides the socket URL's path (another QIX URL form, e.g. `/app/<id>/identity/<name>`).
 */
export async function connectQix(a: AttackSite, cookie: string, appId: string, path = `/app/${appId}`): Promise<QixConnection> {
  const token = await a.csrfToken(cookie);
  const enigma = require('enigma.js') as { create(c: object): EnigmaSession };
  const frames: string[] = [];
  let socket: WebSocket | undefined;
  const session = enigma.create({
    schema: (schema ??= newestSchema()),
    url: `wss://localhost:${a.site.ports.proxy}${path}?qlik-csrf-token=${encodeURIComponent(token)}`,
    createSocket: (url: string) => {
      socket = new WebSocket(url, { ca: a.site.clientFacingCa, headers: { Cookie: cookie, Origin: `https://localhost:${a.site.ports.proxy}` } });
      socket.on('message', (d) => frames.push(d.toString()));
      return socket;
    },
  });
  const global = await session.open();
  return { global, frames, socket: socket as WebSocket, close: () => session.close().catch(() => undefined) };
}

/** Runs `run` on `appId` opened over enigma.js as `user` (a fresh login), then closes the session. */
export async function withQixDoc<D, T>(a: AttackSite, user: string, appId: string, run: (doc: D) => Promise<T>): Promise<T> {
  const q = await connectQix(a, await a.login(user), appId);
  try {
    return await run((await q.global.openDoc(appId)) as unknown as D);
  } finally {
    await q.close();
  }
}

/** The outcome of opening a raw websocket upgrade: the HTTP status when refused, or the open socket. */
export function rawUpgrade(a: AttackSite, path: string, headers: Record<string, string>): Promise<{ status: number; socket?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`wss://localhost:${a.site.ports.proxy}${path}`, { ca: a.site.clientFacingCa, headers });
    ws.on('open', () => resolve({ status: 101, socket: ws }));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.on('error', () => resolve({ status: 0 }));
  });
}

/** A raw JSON-RPC exchange on an open socket: sends `frame`, resolves with the next frame answering `id`. */
export function rpc(socket: WebSocket, frame: string, id: number | string | null, timeoutMs = 10_000): Promise<Record<string, unknown> | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.off('message', on);
      resolve(null);
    }, timeoutMs);
    const on = (d: WebSocket.RawData) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(d.toString()) as Record<string, unknown>;
      } catch {
        return;
      }
      if (!('id' in msg) || msg['id'] !== id) return;
      clearTimeout(timer);
      socket.off('message', on);
      resolve(msg);
    };
    // Many requests may be in flight at once (flood attacks): one listener each is intended.
    if (socket.getMaxListeners() < 1000) socket.setMaxListeners(1000);
    socket.on('message', on);
    socket.send(frame);
  });
}
