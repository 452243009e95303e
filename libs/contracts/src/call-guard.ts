import type { ServerUnaryCall } from '@grpc/grpc-js';

/** The parts of any server call (unary or streaming) the guard reads. */
type GuardableCall = Pick<ServerUnaryCall<unknown, unknown>, 'metadata' | 'getAuthContext'> & {
  on(event: 'cancelled', listener: () => void): unknown;
};
import { DEFAULT_ASSERTERS, type MethodPolicy } from './caller-policy';
import { ErrorCode, ServiceError } from './contracts.error';
import { peerName, type PeerResolver } from './peer-identity';
import type { CallContext } from './guarded-handlers';
import type { PeerCertificate } from './tls-source';
import { hasUserAssertion, readUserAssertion } from './user-assertion';

/** A refused call, for the operational log and the audit trail. */
export interface RefusedCall {
  method: string;
  caller: string | null;
  reason: string;
  assertedUser: boolean;
}

/**
 * Defence in depth behind the TLS handshake: identify the peer from its certificate on every call
 * (chain, validity window, CRL — a revoked certificate on a long-lived connection stops working as
 * soon as the CRL reloads), then apply the method's caller and user-assertion policy. Fails closed.
 */
export function guardCall(
  call: GuardableCall,
  method: string,
  policy: MethodPolicy,
  resolve: PeerResolver,
  onRefused: (r: RefusedCall) => void,
): CallContext {
  const refuse = (code: ErrorCode, reason: string, caller: string | null): never => {
    onRefused({ method, caller, reason, assertedUser: hasUserAssertion(call.metadata) });
    throw new ServiceError(code, code === ErrorCode.Unauthenticated ? 'caller not authenticated' : 'caller not allowed');
  };
  const cert = peerCertificateOf(call);
  if (!cert) return refuse(ErrorCode.Unauthenticated, 'no verified client certificate', null);
  const peer = resolve(cert);
  if (!peer.ok) return refuse(ErrorCode.Unauthenticated, peer.reason, null);
  const name = peerName(peer.identity);
  if (!policy.callers(peer.identity)) return refuse(ErrorCode.PermissionDenied, `identity ${name} may not call ${method}`, name);

  let user = null;
  if (hasUserAssertion(call.metadata)) {
    if (policy.user === 'none') return refuse(ErrorCode.PermissionDenied, `${method} does not act for end users`, name);
    const asserters = policy.asserters ?? DEFAULT_ASSERTERS;
    if (!asserters(peer.identity)) return refuse(ErrorCode.PermissionDenied, `identity ${name} may not assert an end user`, name);
    user = readUserAssertion(call.metadata);
  } else if (policy.user === 'required') {
    return refuse(ErrorCode.Unauthenticated, `${method} requires an asserted user`, name);
  }
  const signal = lazyCancellation(call);
  return {
    caller: peer.identity,
    callerName: name,
    user,
    metadata: call.metadata,
    get signal() {
      return signal();
    },
    recheckCaller: () => resolve(cert),
  };
}

/** Reused as the abort reason: `abort()` without one builds a DOMException (a stack trace) each time. */
const CANCELLED = Object.freeze(new Error('the call was cancelled or has ended'));

/**
 * The call's abort signal, made only when a handler reads it (few do: reloads; spreading the
 * context would read it). grpc-js 1.14 emits 'cancelled' at the end of every call, finished or
 * not, so an eager AbortController cost each call an AbortSignal and an abort: a measurable share
 * of the repository's CPU per call.
 */
function lazyCancellation(call: GuardableCall): () => AbortSignal {
  let controller: AbortController | undefined;
  let ended = false;
  call.on('cancelled', () => {
    ended = true;
    controller?.abort(CANCELLED);
  });
  return () => {
    if (!controller) {
      controller = new AbortController();
      if (ended) controller.abort(CANCELLED);
    }
    return controller.signal;
  };
}

/**
 * The verified peer certificate of a call. A TLS session's peer certificate cannot change, so it is
 * read once per HTTP/2 session (node builds a fresh object with the DER on every
 * getPeerCertificate(), which was a measurable share of each call) and reused for every call on it.
 * The per-call checks (revocation, validity window, policy) still run on every call.
 */
const bySession = new WeakMap<object, PeerCertificate | null>();

function peerCertificateOf(call: GuardableCall): PeerCertificate | undefined {
  const session = http2SessionOf(call);
  if (session) {
    let cert = bySession.get(session);
    if (cert === undefined) {
      cert = (call.getAuthContext().sslPeerCertificate as PeerCertificate | undefined) ?? null;
      bySession.set(session, cert);
    }
    return cert ?? undefined;
  }
  return call.getAuthContext().sslPeerCertificate as PeerCertificate | undefined;
}

/** grpc-js keeps the http2 stream a few wrappers down; fall back to the public API when the shape differs. */
function http2SessionOf(call: GuardableCall): object | undefined {
  let cur: unknown = call;
  for (let depth = 0; depth < 4 && cur && typeof cur === 'object'; depth++) {
    const stream = (cur as { stream?: { session?: unknown } }).stream;
    if (stream && typeof stream.session === 'object' && stream.session !== null) return stream.session;
    const o = cur as { call?: unknown; nextCall?: unknown };
    cur = o.nextCall ?? o.call;
  }
  return undefined;
}
