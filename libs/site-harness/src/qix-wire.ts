import WebSocket from 'ws';
import { httpRequest } from './site-client';
import type { RunningSite } from './site-processes';

interface Frame {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

/** A QIX call the engine answered with an error frame (code as in the Engine API). */
export class QixCallError extends Error {
  constructor(readonly code: number, message: string) {
    super(`QIX error ${code}: ${message}`);
  }
}

/**
 * A browser's QIX session through the proxy (`wss://…/app/<id>` with the session cookie, CSRF token
 * and Origin), speaking JSON-RPC frames directly. enigma.js does the same on the wire; the soak opens
 * a thousand of these on two cores, where enigma.js's schema mixins cost more CPU than the site.
 */
export class QixWire {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (f: Frame) => void; reject: (e: Error) => void }>();
  /** Set when the socket closed (code, reason), whoever closed it. */
  closed: { code: number; reason: string } | undefined;
  /** Notifications (method frames without id) in arrival order, bounded. */
  readonly notifications: string[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      let f: Frame;
      try {
        f = JSON.parse(String(data)) as Frame;
      } catch {
        return;
      }
      if (typeof f.id === 'number' && this.pending.has(f.id)) {
        const p = this.pending.get(f.id)!;
        this.pending.delete(f.id);
        p.resolve(f);
      } else if (f.method) {
        if (this.notifications.length < 50) this.notifications.push(f.method);
      }
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      for (const p of this.pending.values()) p.reject(new Error(`socket closed (${code} ${String(reason)})`));
      this.pending.clear();
    });
    ws.on('error', () => undefined); // 'close' follows and carries the outcome
  }

  /** Opens the socket to `proxyPort` for a logged-in session cookie. */
  static async open(site: RunningSite, cookie: string, appId: string, proxyPort = site.ports.proxy, timeoutMs = 30_000): Promise<QixWire> {
    const me = await httpRequest(site, proxyPort, '/qps/user', { headers: { Cookie: cookie } });
    const token = (me.json as { csrfToken?: string } | undefined)?.csrfToken;
    if (!token) throw new Error(`no CSRF token for the session: ${me.status} ${me.text.slice(0, 200)}`);
    const ws = new WebSocket(`wss://localhost:${proxyPort}/app/${appId}?qlik-csrf-token=${encodeURIComponent(token)}`, {
      ca: site.clientFacingCa, headers: { Cookie: cookie, Origin: `https://localhost:${proxyPort}` }, handshakeTimeout: timeoutMs, perMessageDeflate: false,
    });
    const wire = new QixWire(ws);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('websocket open timed out')), timeoutMs);
      ws.once('open', () => { clearTimeout(timer); resolve(); });
      ws.once('unexpected-response', (_req, res) => { clearTimeout(timer); reject(new Error(`websocket refused: ${res.statusCode}`)); });
      ws.once('close', (code) => { clearTimeout(timer); reject(new Error(`websocket closed before open (${code})`)); });
    });
    return wire;
  }

  /** One request; resolves the `result`, rejects with QixCallError on an error frame. */
  call(method: string, handle: number, params: unknown[] | Record<string, unknown> = [], timeoutMs = 30_000): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new Error(`socket closed (${this.closed.code} ${this.closed.reason})`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (f) => {
          clearTimeout(timer);
          if (f.error) reject(new QixCallError(f.error.code, f.error.message));
          else resolve(f.result ?? {});
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, handle, params }));
    });
  }

  /** OpenDoc → the doc handle. */
  async openDoc(appId: string): Promise<number> {
    const r = await this.call('OpenDoc', -1, { qDocName: appId });
    return (r['qReturn'] as { qHandle: number }).qHandle;
  }

  /** A session object with a hypercube of `dimension` × `measures`; returns its handle. */
  async createCube(doc: number, dimension: string, measures: string[]): Promise<number> {
    const r = await this.call('CreateSessionObject', doc, [{
      qInfo: { qType: 'soak-cube' },
      qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: [dimension] } }], qMeasures: measures.map((m) => ({ qDef: { qDef: m } })), qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 50, qWidth: measures.length + 1 }] },
    }]);
    return (r['qReturn'] as { qHandle: number }).qHandle;
  }

  /** GetLayout of a cube → rows of [dimension text, …measure numbers]. */
  async cubeRows(obj: number): Promise<[string, ...number[]][]> {
    const r = await this.call('GetLayout', obj);
    const matrix = (r['qLayout'] as { qHyperCube: { qDataPages: { qMatrix: { qText: string; qNum: number | string }[][] }[] } }).qHyperCube.qDataPages[0]?.qMatrix ?? [];
    return matrix.map((row) => [row[0]!.qText, ...row.slice(1).map((c) => Number(c.qNum))] as [string, ...number[]]);
  }

  close(): void {
    if (!this.closed) this.ws.close();
  }

  /** Hard close (no close handshake), as a vanished client. */
  terminate(): void {
    this.ws.terminate();
  }
}
