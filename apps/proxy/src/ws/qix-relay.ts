import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ErrorCode, fromGrpcError, ServiceError, type AssertedUser } from '@trustzone/contracts';
import type { ProxyDeps } from '../client/proxy-deps';
import { assertedUser } from '../client/asserted-user';
import { toHttpError } from '../edge/http-error.mapper';
import { newExchange, sessionOf, type Door, type Exchange } from '../pipeline/exchange';
import { runPipeline } from '../pipeline/request-pipeline';
import type { SessionEndReason } from '../session/session.types';
import { authenticationInformationFrame } from './qix-handshake';
import { parseQixUrl, type QixTarget } from './qix-url';

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

/** What the upgrade door answers on: the raw socket (a refusal is a plain HTTP response on it). */
export interface UpgradeTransport {
  socket: Duplex;
  head: Buffer;
}

/**
 * `wss://proxy[/prefix]/app/<appId>`: the upgrade door. The request runs the proxy's one pipeline
 * like any other (per-source limit, virtual proxy, Origin allow list, identify with its login
 * records, the session's CSRF token for ambient credentials, per-user limit); the route then asks
 * the repository whether the user may read the app and relays JSON-RPC text frames over one gRPC
 * stream to the engine. Session end (logout, timeout) reaches the engine as a close reason; the
 * engine sends the QIX notification and the socket closes.
 */
export function createQixRelay(deps: ProxyDeps) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const live = new Set<Live>();
  const unsubscribe = deps.sessions.onEnded((id: string, reason: SessionEndReason) => {
    for (const l of live) if (l.sessionId === id) l.close(reason === 'timeout' ? 'OnSessionTimedOut' : 'OnSessionLoggedOut');
  });
  // A login on the upgrade itself (ticket, header, JWT, anonymous) sets its cookie on the 101 answer.
  const cookiesFor = new WeakMap<IncomingMessage, string[]>();
  wss.on('headers', (headers: string[], req: IncomingMessage) => {
    for (const c of cookiesFor.get(req) ?? []) headers.push(`Set-Cookie: ${c}`);
    cookiesFor.delete(req);
  });

  const door: Door<UpgradeTransport> = {
    name: 'upgrade',
    route: (x) => openApp(x),
    // Refusals are real ServiceError/EdgeError instances: the mapper recognises them by class, and
    // anything else is an internal error (500) — a refused upgrade is the client's fault, never ours.
    refuse: (x, error) => {
      const { status, headers, body } = toHttpError(error);
      if (status >= 500) deps.logger.warn('websocket upgrade failed', { status, error: error instanceof Error ? error.message : String(error) });
      const text = JSON.stringify(body);
      const lines = [`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(text)}`, 'Connection: close'];
      if (headers['retry-after']) lines.push(`Retry-After: ${headers['retry-after']}`);
      for (const c of x.cookies ?? []) lines.push(`Set-Cookie: ${c}`);
      x.transport.socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
    },
  };

  async function openApp(x: Exchange<UpgradeTransport>): Promise<void> {
    const form = parseQixUrl(x.segs, x.query);
    if (!form.ok) throw new Error('the pipeline let an upgrade through that is not a QIX URL form');
    const target = form.target;
    const { session } = sessionOf(x);
    const user = assertedUser(session, 'hub', x.ip);
    // A socket bound to an app is authorized now; one with no app (engineData, transient) has
    // nothing to authorize yet: the engine asks the repository at OpenDoc, as for every app.
    if (target.appId !== undefined) {
      const auth = await deps.upstreams.repository.unary('Authorize', { resourceType: 'App', resourceId: target.appId, action: 'read' }, { deadlineMs: deps.deadlineMs, user });
      if (!auth.allowed) throw new ServiceError(ErrorCode.NotFound, 'not found');
    }
    if (x.cookies) cookiesFor.set(x.req, x.cookies);
    const { socket, head } = x.transport;
    const hello = authenticationInformationFrame(session, x.vp?.prefix ?? '', x.req.headers.origin ?? '');
    wss.handleUpgrade(x.req, socket, head, (ws) => {
      if (ws.readyState === ws.OPEN) ws.send(hello);
      relay(ws, target, user, session.id);
    });
  }

  /**
   * One client socket ↔ one engine stream. Until the engine has sent its first frame (OnConnected),
   * the client's frames are buffered, so an engine that turns out to be down at connect time (gone
   * before this proxy's next health probe noticed) is marked down and the session moves to another
   * engine without the client seeing anything. Once connected, losing the engine ends the socket
   * with OnEngineWebsocketFailed: the QIX state lived there.
   */
  function relay(ws: WebSocket, target: QixTarget, user: AssertedUser, sessionId: string): void {
    const appId = target.appId ?? '';
    // Sockets sharing an identity must reach the engine that holds its state: one sticky key per
    // user, app and identity (a user's directory and id are case-insensitive, as everywhere).
    const sticky = target.identity ? `qix-identity\u0000${user.userDirectory.toLowerCase()}\u0000${user.userId.toLowerCase()}\u0000${appId}\u0000${target.identity.name}` : sessionId;
    const metadata: Record<string, string> = { 'x-tz-app-id': appId, ...(target.identity ? { 'x-tz-qix-identity': target.identity.name, 'x-tz-qix-identity-ttl': String(target.identity.ttlSeconds) } : {}) };
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
        engine = deps.upstreams.engines.pick(sticky);
      } catch {
        failed();
        return;
      }
      const s = engine.client.bidi('Qix', { deadlineMs: STREAM_DEADLINE_MS, user, metadata });
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
          deps.upstreams.engines.release(sticky);
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
      void runPipeline(newExchange(door, req, { socket, head }), deps);
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
