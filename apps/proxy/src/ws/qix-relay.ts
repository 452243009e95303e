import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { randomBytes } from 'node:crypto';
import { ErrorCode, fromGrpcError, QixHandoverWire, ServiceError, type AssertedUser, type TlsSource } from '@trustzone/contracts';
import type { ProxyDeps } from '../client/proxy-deps';
import { assertedUser } from '../client/asserted-user';
import { toHttpError } from '../edge/http-error.mapper';
import { newExchange, sessionOf, type Door, type Exchange } from '../pipeline/exchange';
import { runPipeline } from '../pipeline/request-pipeline';
import type { SessionEndReason } from '../session/session.types';
import { authenticationInformationFrame } from './qix-handshake';
import { parseQixUrl, type QixTarget } from './qix-url';
import { handoverOnRotation } from './qix-handover-trigger';

const MAX_FRAME_BYTES = 1024 * 1024;
/** A QIX socket may live for a working day; the stream deadline only bounds a forgotten one. */
const STREAM_DEADLINE_MS = 24 * 3600_000;
/** How often an open socket re-checks (and keeps alive) its session. */
const TOUCH_MS = 15_000;
/** Engines tried for a new socket before giving up (each unreachable one is taken out). */
const MAX_CONNECT_ATTEMPTS = 3;
/**
 * How long an engine has to send OnConnected on a new stream. A reachable engine answers within
 * milliseconds even when busy; this bounds a hung one (and a try on an engine the pool holds to
 * be down, which it may still hand out when none is up) so a socket never waits forever.
 */
const CONNECT_TIMEOUT_MS = 15_000;
/**
 * The same bound for a try on an engine the pool holds to be down (no engine is up): a live but
 * busy engine still answers OnConnected well inside it, while a dead one whose address hangs (a
 * stopped container's name on a Docker network does not refuse, it waits) must not keep the user
 * waiting 3 × 15 s for the 1011. Such tries stop after each engine had one.
 */
const SUSPECT_CONNECT_TIMEOUT_MS = 5_000;
/** Client frames held while the engine stream is being set up. */
const MAX_PENDING_FRAMES = 64;
/**
 * After this proxy's certificate is rotated, its sessions are moved to streams opened under the new
 * one spread over this window (qix-handover.ts in the engine says how): well inside the default
 * 10 s grace period after which the engine closes streams of the old certificate.
 */
const HANDOVER_SPREAD_MS = 4_000;
/** A handover not acknowledged within this is given up: the session stays on its old stream. */
const HANDOVER_TIMEOUT_MS = 5_000;
/** Client frames held while a handover is under way (milliseconds); more ends the handover. */
const MAX_HANDOVER_FRAMES = 256;
const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

interface Live {
  sessionId: string;
  close(kind: 'OnSessionTimedOut' | 'OnSessionLoggedOut'): void;
  /** Moves the session to a stream on the current channel (this proxy's certificate was rotated). */
  handover(): void;
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
export function createQixRelay(deps: ProxyDeps, tls?: Pick<TlsSource, 'current' | 'onChange'>) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const live = new Set<Live>();
  const stopHandovers = tls ? handoverOnRotation(tls, live, deps, HANDOVER_SPREAD_MS) : () => undefined;
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
    // The secret a later stream presents to take this session over (a handover); only this proxy
    // and the engine ever see it, inside mutual TLS.
    const resumeKey = randomBytes(32).toString('base64url');
    const metadata: Record<string, string> = { 'x-tz-app-id': appId, [QixHandoverWire.keyHeader]: resumeKey, ...(target.identity ? { 'x-tz-qix-identity': target.identity.name, 'x-tz-qix-identity-ttl': String(target.identity.ttlSeconds) } : {}) };
    let ended = false;
    let connected = false;
    const pending: string[] = [];
    let attempts = 0;
    let engine: ReturnType<typeof deps.upstreams.engines.pick>;
    type Stream = ReturnType<typeof engine.client.bidi<'Qix'>>;
    let stream: Stream;
    let connectTimer: NodeJS.Timeout | undefined;
    /** A handover under way: the new stream, and what waits for it. */
    let moving: { next: Stream; acked: boolean; oldEnded: boolean; fromEngine: string[]; fromClient: string[]; timer: NodeJS.Timeout } | null = null;
    const entry: Live = {
      sessionId,
      close: (kind) => {
        if (!ended) stream.write({ text: '', closeReason: kind });
      },
      handover: () => handover(),
    };
    const touch = setInterval(() => {
      deps.sessions.get(sessionId).then((s) => (s ? undefined : entry.close('OnSessionTimedOut')), () => undefined);
    }, TOUCH_MS);
    const done = (code = 1000, reason = '') => {
      if (ended) return;
      ended = true;
      clearInterval(touch);
      clearTimeout(connectTimer);
      live.delete(entry);
      if (moving) {
        clearTimeout(moving.timer);
        moving.next.cancel();
        moving = null;
      }
      stream?.end();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
    };
    const failed = () => {
      if (ws.readyState === ws.OPEN) {
        ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'OnEngineWebsocketFailed', params: { severity: 'fatal', timestamp: new Date().toISOString(), message: 'The connection to the engine was lost' } }));
      }
      done(1011, 'engine unavailable');
    };
    const toClient = (text: string) => {
      if (ws.readyState === ws.OPEN) ws.send(text);
    };

    /** The session answers on `moving.next` once the engine said so and the old stream has ended. */
    const settle = () => {
      const m = moving;
      if (!m || !m.acked || !m.oldEnded) return;
      clearTimeout(m.timer);
      moving = null;
      stream = m.next;
      for (const text of m.fromEngine) toClient(text);
      for (const text of m.fromClient) stream.write({ text, closeReason: '' });
    };
    /** The handover did not happen: carry on on the old stream, unless the engine already ended it. */
    const abandon = (why: string) => {
      const m = moving;
      if (!m) return;
      clearTimeout(m.timer);
      moving = null;
      m.next.cancel();
      deps.logger.warn('qix handover given up; the session stays on its stream', { appId, engine: engine.address, why });
      if (m.oldEnded) return failed();
      for (const text of m.fromClient) stream.write({ text, closeReason: '' });
    };
    const handover = (): void => {
      if (ended || !connected || moving) return;
      const next = engine.client.bidi('Qix', { deadlineMs: STREAM_DEADLINE_MS, user, metadata: { ...metadata, [QixHandoverWire.resumeHeader]: resumeKey } });
      const m = { next, acked: false, oldEnded: false, fromEngine: [] as string[], fromClient: [] as string[], timer: setTimeout(() => abandon('not acknowledged in time'), HANDOVER_TIMEOUT_MS) };
      moving = m;
      // Nothing more goes on the old stream: the engine answers what it read before this, then moves.
      stream.write({ text: '', closeReason: QixHandoverWire.handover });
      next.on('data', (f: { text: string; closeReason?: string }) => {
        if (moving !== m) {
          if (stream === next) toClient(f.text);
          return;
        }
        if (m.acked) {
          m.fromEngine.push(f.text); // after the acknowledgement, before the old stream's last frame
          return;
        }
        if (f.closeReason !== QixHandoverWire.resumed) return abandon(`the engine answered ${f.closeReason || 'a frame'} instead`);
        m.acked = true;
        settle();
      });
      next.on('end', () => {
        if (stream === next) done(1000);
        else if (moving === m) abandon('the new stream ended');
      });
      next.on('error', (e: Error) => {
        if (stream === next) streamFailed(e);
        else if (moving === m) abandon(`the new stream failed (${fromGrpcError(e).code})`);
      });
    };

    /** True when another engine should be tried (the stream never connected); else the socket failed. */
    const streamFailed = (e: Error, maxAttempts = MAX_CONNECT_ATTEMPTS): boolean => {
      const err = fromGrpcError(e);
      deps.logger.warn('engine stream failed', { appId, engine: engine.address, code: err.code, connected });
      if (err.code === 'UNAVAILABLE') {
        deps.upstreams.engines.markDown(engine);
        deps.upstreams.engines.release(sticky);
        if (!connected && !ended && ++attempts < maxAttempts) return true;
      }
      failed();
      return false;
    };
    const open = (): void => {
      try {
        engine = deps.upstreams.engines.pick(sticky);
      } catch {
        deps.logger.warn('no engine is configured for a QIX session', { appId, attempts });
        failed();
        return;
      }
      // No engine marked up: the pool still hands one out (a slow probe is not a dead engine); say
      // so, so that a 1011 that follows can be told apart from one on an engine believed up.
      const suspect = !deps.upstreams.engines.anyUp();
      if (suspect) deps.logger.warn('no engine is marked up: trying one for a QIX session', { appId, engine: engine.address, attempts });
      const timeoutMs = suspect ? SUSPECT_CONNECT_TIMEOUT_MS : CONNECT_TIMEOUT_MS;
      const maxAttempts = suspect ? Math.min(MAX_CONNECT_ATTEMPTS, deps.upstreams.engines.size()) : MAX_CONNECT_ATTEMPTS;
      const s = engine.client.bidi('Qix', { deadlineMs: STREAM_DEADLINE_MS, user, metadata });
      stream = s;
      for (const text of pending) s.write({ text, closeReason: '' });
      clearTimeout(connectTimer);
      connectTimer = setTimeout(() => {
        if (s !== stream || connected || ended) return;
        deps.logger.warn('engine did not answer a new QIX stream in time', { appId, engine: engine.address, attempts, timeoutMs });
        // Cancelled, then replaced below (its late error is then ignored: it is no longer `stream`).
        s.cancel();
        deps.upstreams.engines.release(sticky);
        if (++attempts < maxAttempts) {
          open();
          return;
        }
        failed();
      }, timeoutMs);
      s.on('data', (f: { text: string }) => {
        if (s !== stream) return;
        connected = true;
        clearTimeout(connectTimer);
        pending.length = 0;
        toClient(f.text);
      });
      s.on('end', () => {
        if (s !== stream) return;
        // The engine ends the old stream of a handover once it moved the session (see settle).
        if (moving) {
          moving.oldEnded = true;
          settle();
          return;
        }
        done(1000);
      });
      s.on('error', (e: Error) => {
        if (s !== stream) return;
        if (moving?.acked) {
          // The engine already answers on the new stream: the old one has nothing more to say.
          moving.oldEnded = true;
          settle();
          return;
        }
        if (streamFailed(e, maxAttempts)) open();
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
      if (moving) {
        if (moving.fromClient.length >= MAX_HANDOVER_FRAMES) abandon('too many client frames while moving');
        else return void moving.fromClient.push(text);
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
      stopHandovers();
      for (const l of live) l.close('OnSessionLoggedOut');
      wss.close();
    },
  };
}
