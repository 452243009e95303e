import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ErrorCode, fromGrpcError, ServiceError, type AssertedUser } from '@trustzone/contracts';
import { queryOf } from '../auth/request-facts';
import { resolveSession } from '../auth/session-resolver';
import type { ProxyDeps } from '../client/proxy-deps';
import { assertedUser, userKeyOf } from '../client/identify';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { checkWebSocketUpgrade } from '../edge/websocket-upgrade.guard';
import { toHttpError } from '../edge/http-error.mapper';
import type { SessionEndReason } from '../session/session.types';
import { selectVirtualProxy } from '../virtual-proxy/virtual-proxy-selector';


const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_FRAME_BYTES = 1024 * 1024;
/** A QIX socket may live for a working day; the stream deadline only bounds a forgotten one. */
const STREAM_DEADLINE_MS = 24 * 3600_000;
/** How often an open socket re-checks (and keeps alive) its session. */
const TOUCH_MS = 15_000;
/** Engines tried for a new socket before giving up (each failure takes that engine out). */
const MAX_CONNECT_ATTEMPTS = 3;
/** Client frames held while the engine stream is being set up. */
const MAX_PENDING_FRAMES = 64;
const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

interface Live {
  sessionId: string;
  close(kind: 'OnSessionTimedOut' | 'OnSessionLoggedOut'): void;
}

/**
 * `wss://proxy[/prefix]/app/<appId>`: authenticate the upgrade like any request (session cookie,
 * header or bearer), check the Origin allow list and — for cookie sessions, an ambient credential —
 * the CSRF token, ask the repository whether the user may read the app, then relay JSON-RPC text
 * frames over one gRPC stream to the engine. Session end (logout, timeout) reaches the engine as a
 * close reason; the engine sends the QIX notification and the socket closes.
 */
export function createQixRelay(deps: ProxyDeps) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const live = new Set<Live>();
  const unsubscribe = deps.sessions.onEnded((id: string, reason: SessionEndReason) => {
    for (const l of live) if (l.sessionId === id) l.close(reason === 'timeout' ? 'OnSessionTimedOut' : 'OnSessionLoggedOut');
  });

  // Refusals are real ServiceError/EdgeError instances: the mapper recognises them by class, and
  // anything else is an internal error (500) — a refused upgrade is the client's fault, never ours.
  const refuse = (socket: Duplex, error: unknown) => {
    const { status, body } = toHttpError(error);
    const text = JSON.stringify(body);
    socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
  };

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = req.url ?? '/';
    const sel = selectVirtualProxy(deps.registry.all(), url);
    const segs = sel?.rest.split('/').filter((s) => s !== '') ?? [];
    if (!sel || segs[0] !== 'app' || segs.length !== 2 || !GUID.test(segs[1] ?? '')) {
      refuse(socket, new ServiceError(ErrorCode.NotFound, 'not found'));
      return;
    }
    const appId = (segs[1] as string).toLowerCase();
    const vp = sel.config;
    const facts = { headers: req.headersDistinct, query: queryOf(url), ip: req.socket.remoteAddress ?? '', secure: true };
    const who = await resolveSession(facts, vp, { sessions: deps.sessions, tickets: deps.tickets });
    if (who.kind !== 'session') {
      await deps.audit.record({ action: 'auth.login', outcome: 'failure', reason: who.kind === 'rejected' ? who.error.code : 'login-needed', details: { virtualProxy: vp.prefix, websocket: true } });
      refuse(socket, who.kind === 'rejected' ? who.error : new EdgeError(EdgeErrorCode.Unauthenticated, 'authentication required'));
      return;
    }
    const check = checkWebSocketUpgrade({ origin: req.headers.origin, query: facts.query, via: who.via, session: who.session, allowList: vp.websocketCrossOriginWhiteList });
    if (!check.ok) {
      await deps.audit.record({ action: 'websocket.refused', outcome: 'denied', user: userKeyOf(who.session), reason: check.code, details: { origin: String(req.headers.origin ?? '').slice(0, 200) } });
      refuse(socket, new EdgeError(check.code, 'forbidden'));
      return;
    }
    const user = assertedUser(who.session, 'hub', facts.ip);
    const auth = await deps.upstreams.repository.unary('Authorize', { resourceType: 'App', resourceId: appId, action: 'read' }, { deadlineMs: deps.deadlineMs, user });
    if (!auth.allowed) {
      refuse(socket, new ServiceError(ErrorCode.NotFound, 'not found'));
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => relay(ws, appId, user, who.session.id));
  }

  /**
   * One client socket ↔ one engine stream. Until the engine has sent its first frame (OnConnected),
   * the client's frames are buffered, so an engine that turns out to be down at connect time (gone
   * before this proxy's next health probe noticed) is marked down and the session moves to another
   * engine without the client seeing anything. Once connected, losing the engine ends the socket
   * with OnEngineWebsocketFailed: the QIX state lived there.
   */
  function relay(ws: WebSocket, appId: string, user: AssertedUser, sessionId: string): void {
    let ended = false;
    let connected = false;
    const pending: string[] = [];
    let attempts = 0;
    let engine: ReturnType<typeof deps.upstreams.engines.pick>;
    let stream: ReturnType<typeof engine.client.bidi<'Qix'>>;
    const entry: Live = {
      sessionId,
      close: (kind) => {
        if (!ended) stream.write({ text: '', closeReason: kind });
      },
    };
    const touch = setInterval(() => {
      deps.sessions.get(sessionId).then((s) => (s ? undefined : entry.close('OnSessionTimedOut')), () => undefined);
    }, TOUCH_MS);
    const done = (code = 1000, reason = '') => {
      if (ended) return;
      ended = true;
      clearInterval(touch);
      live.delete(entry);
      stream?.end();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
    };
    const failed = () => {
      if (ws.readyState === ws.OPEN) {
        ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'OnEngineWebsocketFailed', params: { severity: 'fatal', timestamp: new Date().toISOString(), message: 'The connection to the engine was lost' } }));
      }
      done(1011, 'engine unavailable');
    };
    const open = (): void => {
      try {
        engine = deps.upstreams.engines.pick(sessionId);
      } catch {
        failed();
        return;
      }
      const s = engine.client.bidi('Qix', { deadlineMs: STREAM_DEADLINE_MS, user, metadata: { 'x-tz-app-id': appId } });
      stream = s;
      for (const text of pending) s.write({ text, closeReason: '' });
      s.on('data', (f: { text: string }) => {
        connected = true;
        pending.length = 0;
        if (ws.readyState === ws.OPEN) ws.send(f.text);
      });
      s.on('end', () => {
        if (s === stream) done(1000);
      });
      s.on('error', (e: Error) => {
        if (s !== stream) return;
        const err = fromGrpcError(e);
        deps.logger.warn('engine stream failed', { appId, engine: engine.address, code: err.code, connected });
        if (err.code === 'UNAVAILABLE') {
          deps.upstreams.engines.markDown(engine);
          deps.upstreams.engines.release(sessionId);
          if (!connected && !ended && ++attempts < MAX_CONNECT_ATTEMPTS) {
            open();
            return;
          }
        }
        failed();
      });
    };
    live.add(entry);
    open();
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        done(1003, 'text frames only');
        return;
      }
      const text = data.toString();
      if (!connected) {
        if (pending.length >= MAX_PENDING_FRAMES) return done(1008, 'too many frames before the engine answered');
        pending.push(text);
      }
      if (!ended) stream.write({ text, closeReason: '' });
    });
    ws.on('close', () => done());
    ws.on('error', () => done(1011));
  }

  return {
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      socket.on('error', () => socket.destroy());
      upgrade(req, socket, head).catch((e: unknown) => {
        deps.logger.warn('websocket upgrade failed', { error: e instanceof Error ? e.message : String(e) });
        refuse(socket, e);
      });
    },
    /** Live sockets (for metrics and tests). */
    count: () => live.size,
    close(): void {
      unsubscribe();
      for (const l of live) l.close('OnSessionLoggedOut');
      wss.close();
    },
  };
}
