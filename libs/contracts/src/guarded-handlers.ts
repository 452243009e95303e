import type {
  handleBidiStreamingCall,
  handleServerStreamingCall,
  handleUnaryCall,
  Metadata,
  ServerDuplexStream,
  ServerUnaryCall,
  ServerWritableStream,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { MethodPolicy } from './caller-policy';
import type { PeerCheck, PeerIdentity } from './peer-identity';
import type { AssertedUser } from './user-assertion';

/** What every handler receives after the identity checks have passed. */
export interface CallContext {
  caller: PeerIdentity;
  /** "proxy", "integration:portal", … */
  callerName: string;
  user: AssertedUser | null;
  metadata: Metadata;
  /** Aborted when the client cancels or the deadline passes. */
  signal: AbortSignal;
  /**
   * The caller's certificate checked again against the current trust material (CRL, validity
   * window, CA bundle): a long-lived stream re-checks the peer it was opened by with this.
   */
  recheckCaller(): PeerCheck;
}

export type UnaryFn<Req, Res> = (req: Req, ctx: CallContext) => Promise<Res>;
export type ServerStreamFn<Req, Res> = (req: Req, ctx: CallContext, emit: (msg: Res) => void) => Promise<void>;
export type BidiFn<Req, Res> = (call: ServerDuplexStream<Req, Res>, ctx: CallContext) => void;

const GUARD = Symbol('trustzone.guarded-handler');

export type Guarded<Req, Res> =
  | { [GUARD]: true; kind: 'unary'; policy: MethodPolicy; fn: UnaryFn<Req, Res> }
  | { [GUARD]: true; kind: 'serverStream'; policy: MethodPolicy; fn: ServerStreamFn<Req, Res> }
  | { [GUARD]: true; kind: 'bidi'; policy: MethodPolicy; fn: BidiFn<Req, Res> };

export const unary = <Req, Res>(policy: MethodPolicy, fn: UnaryFn<Req, Res>): Guarded<Req, Res> => ({ [GUARD]: true, kind: 'unary', policy, fn });
export const serverStream = <Req, Res>(policy: MethodPolicy, fn: ServerStreamFn<Req, Res>): Guarded<Req, Res> => ({ [GUARD]: true, kind: 'serverStream', policy, fn });
export const bidi = <Req, Res>(policy: MethodPolicy, fn: BidiFn<Req, Res>): Guarded<Req, Res> => ({ [GUARD]: true, kind: 'bidi', policy, fn });

export function isGuarded(h: unknown): h is Guarded<unknown, unknown> {
  return typeof h === 'object' && h !== null && (h as Record<symbol, unknown>)[GUARD] === true;
}

/**
 * Maps a generated `XxxHandlers` interface to the guarded form: every method must be built with
 * unary/serverStream/bidi, so no handler can skip the caller-identity check.
 */
export type GuardedHandlers<H> = {
  [K in keyof H as string extends K ? never : K]: H[K] extends (call: infer C, ...rest: infer _R) => void
    ? C extends ServerDuplexStream<infer Req, infer Res>
      ? Guarded<Req, Res>
      : C extends ServerWritableStream<infer Req, infer Res>
        ? Guarded<Req, Res>
        : C extends ServerUnaryCall<infer Req, infer Res>
          ? Guarded<Req, Res>
          : never
    : never;
};

export type RawHandler = handleUnaryCall<unknown, unknown> | handleServerStreamingCall<unknown, unknown> | handleBidiStreamingCall<unknown, unknown>;
export type RawHandlers = UntypedServiceImplementation;
