import { credentials, Metadata } from '@grpc/grpc-js';
import type { CallOptions, Client, ClientDuplexStream, ClientReadableStream, ServiceClientConstructor } from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { ErrorCode, ServiceError } from './contracts.error';
import { fromGrpcError } from './grpc-status.mapper';
import type { PeerIdentity } from './peer-identity';
import type { TlsSource } from './tls-source';
import { writeUserAssertion, type AssertedUser } from './user-assertion';

type Methods<D> = { [K in keyof D as string extends K ? never : K]: D[K] };
type ReqOf<M> = M extends MethodDefinition<infer Req, infer _R, infer _RO, infer _ResO> ? Req : never;
type ResOf<M> = M extends MethodDefinition<infer _Req, infer _R, infer _RO, infer ResO> ? ResO : never;

/** Every call states its deadline: a hung peer must never hang the caller (architecture.md). */
export interface CallOpts {
  deadlineMs: number;
  user?: AssertedUser | null;
  metadata?: Record<string, string>;
  signal?: AbortSignal;
}

export interface TrustZoneClientOptions {
  /** host:port of the callee. */
  address: string;
  tls: TlsSource;
  /** The identity the server certificate must carry (e.g. the repository of this site). */
  expect: (id: PeerIdentity) => boolean;
  /**
   * Wait (up to each call's deadline) for a reconnecting channel instead of failing at once: a
   * service restarting behind us delays calls rather than failing them. Health probes keep it off
   * so they report what is true right now.
   */
  waitForReady?: boolean;
}

/**
 * HTTP/2 receive window of every zone connection this client opens (per stream, and for the whole
 * connection). With the default 64 KB only about a dozen QIX answers of a 50-row page (~5 KB each)
 * fit in flight on the proxy's one connection to an engine: with 100 sessions the engine waited for
 * the proxy's WINDOW_UPDATEs with a quarter of the two cores idle. QIX and unary answers are read
 * as they arrive, so the window costs them no memory; a stream read slowly on purpose (an app
 * download paced by a slow browser) may now hold up to 4 MB in the proxy instead of 64 KB.
 * Concurrent-cube bench without the cube cache, five alternations on one machine: 1,977-2,320 ->
 * 2,112-2,826 calls/s, p99 72-89 -> 55-76 ms (each pair in favour of the larger window).
 */
const RECEIVE_WINDOW_BYTES = 4 * 1024 * 1024;

/**
 * One long-lived channel per upstream (a TLS handshake costs ~2 ms of CPU). When the trust material
 * changes (rotation, CA bundle, CRL) a new channel is built for new calls and the old one is closed
 * after a grace period, so in-flight calls finish.
 */
export class TrustZoneClient<D> {
  private client: Client;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly ctor: ServiceClientConstructor,
    private readonly options: TrustZoneClientOptions,
  ) {
    this.client = this.connect();
    this.unsubscribe = options.tls.onChange(() => {
      const old = this.client;
      this.client = this.connect();
      setTimeout(() => old.close(), 30_000).unref();
    });
  }

  private connect(): Client {
    const { tls, expect, address } = this.options;
    const m = tls.current();
    const creds = credentials.createSsl(Buffer.from(m.ca), Buffer.from(m.key), Buffer.from(m.cert), { checkServerIdentity: tls.checkServer(expect) });
    return new this.ctor(address, creds, {
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
      'grpc.max_send_message_length': 16 * 1024 * 1024,
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.max_reconnect_backoff_ms': 2_000,
      'grpc-node.flow_control_window': RECEIVE_WINDOW_BYTES,
    });
  }

  private method(name: string): unknown {
    const fn = (this.client as unknown as Record<string, unknown>)[name];
    if (typeof fn !== 'function') throw new ServiceError(ErrorCode.Internal, `unknown method ${name}`);
    return fn;
  }

  private prepare(opts: CallOpts): { metadata: Metadata; options: CallOptions } {
    if (!Number.isFinite(opts.deadlineMs) || opts.deadlineMs <= 0) throw new ServiceError(ErrorCode.InvalidArgument, 'a positive deadline is required for every call');
    // grpc-js reads waitForReady from the metadata options, not from the call options.
    const metadata = new Metadata(this.options.waitForReady ? { waitForReady: true } : {});
    if (opts.user) writeUserAssertion(metadata, opts.user);
    for (const [k, v] of Object.entries(opts.metadata ?? {})) metadata.set(k, v);
    return { metadata, options: { deadline: Date.now() + opts.deadlineMs } };
  }

  unary<K extends keyof Methods<D> & string>(method: K, req: ReqOf<Methods<D>[K]>, opts: CallOpts): Promise<ResOf<Methods<D>[K]>> {
    return new Promise((resolve, reject) => {
      const { metadata, options } = this.prepare(opts);
      const fn = this.method(method) as (r: unknown, m: Metadata, o: CallOptions, cb: (err: Error | null, res: ResOf<Methods<D>[K]>) => void) => { cancel(): void };
      const call = fn.call(this.client, req, metadata, options, (err, res) => (err ? reject(fromGrpcError(err)) : resolve(res)));
      opts.signal?.addEventListener('abort', () => call.cancel(), { once: true });
    });
  }

  /** Server-streaming call as an async iterator; errors arrive as ServiceError. */
  async *serverStream<K extends keyof Methods<D> & string>(method: K, req: ReqOf<Methods<D>[K]>, opts: CallOpts): AsyncGenerator<ResOf<Methods<D>[K]>> {
    const { metadata, options } = this.prepare(opts);
    const fn = this.method(method) as (r: unknown, m: Metadata, o: CallOptions) => ClientReadableStream<ResOf<Methods<D>[K]>>;
    const stream = fn.call(this.client, req, metadata, options);
    opts.signal?.addEventListener('abort', () => stream.cancel(), { once: true });
    try {
      for await (const msg of stream) yield msg as ResOf<Methods<D>[K]>;
    } catch (e) {
      throw fromGrpcError(e as Error);
    }
  }

  /** Bidirectional stream (QIX relay). The caller owns the stream; errors are mapped on the 'error' event by the caller via fromGrpcError. */
  bidi<K extends keyof Methods<D> & string>(method: K, opts: CallOpts): ClientDuplexStream<ReqOf<Methods<D>[K]>, ResOf<Methods<D>[K]>> {
    const { metadata, options } = this.prepare(opts);
    const fn = this.method(method) as (m: Metadata, o: CallOptions) => ClientDuplexStream<ReqOf<Methods<D>[K]>, ResOf<Methods<D>[K]>>;
    return fn.call(this.client, metadata, options);
  }

  close(): void {
    this.unsubscribe();
    this.client.close();
  }
}
