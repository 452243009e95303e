import { Server, ServerCredentials } from '@grpc/grpc-js';
import type { ServerDuplexStream, ServerUnaryCall, ServerWritableStream, ServiceDefinition, sendUnaryData } from '@grpc/grpc-js';
import { guardCall, type RefusedCall } from './call-guard';
import { isOutOfSpace, storageFull, type StorageVolume } from './contracts.error';
import { toGrpcStatus } from './grpc-status.mapper';
import { isGuarded, type GuardedHandlers, type Guarded, type RawHandlers } from './guarded-handlers';
import type { TlsSource } from './tls-source';

/**
 * Server credentials that always require a client certificate from the site CA and follow the trust
 * source: when a certificate is rotated or the CRL changes, the live listener gets the new secure
 * context (grpc-js calls setSecureContext on its http2 server) — no restart.
 */
class TrustZoneServerCredentials extends ServerCredentials {
  constructor(tls: TlsSource) {
    super({ requestCert: true, rejectUnauthorized: true }, { minVersion: 'TLSv1.2', ...tls.current() });
    tls.onChange(() => this.updateSecureContextOptions({ minVersion: 'TLSv1.2', ...tls.current() }));
  }
  _equals(other: ServerCredentials): boolean {
    return other === this;
  }
}

export interface TrustZoneServerOptions {
  tls: TlsSource;
  onRefused?: (r: RefusedCall) => void;
  /** Unexpected handler failures (mapped to INTERNAL for the caller; details only go here). */
  onError?: (method: string, error: unknown) => void;
  maxMessageBytes?: number;
  /**
   * The service whose data volume a handler writes to: an unexpected "no space left" (ENOSPC/EDQUOT)
   * from any handler becomes STORAGE_FULL naming it, instead of an INTERNAL error.
   */
  volume?: StorageVolume;
  /** Every finished call (metrics): method path, ErrorCode or 'OK', duration. */
  onCall?: (method: string, code: string, durationMs: number) => void;
}

export class TrustZoneServer {
  private readonly server: Server;
  private readonly credentials: TrustZoneServerCredentials;

  constructor(private readonly options: TrustZoneServerOptions) {
    const max = options.maxMessageBytes ?? 16 * 1024 * 1024;
    this.server = new Server({ 'grpc.max_receive_message_length': max, 'grpc.max_send_message_length': max, 'grpc.keepalive_time_ms': 15_000, 'grpc.keepalive_timeout_ms': 5_000 });
    this.credentials = new TrustZoneServerCredentials(options.tls);
  }

  /** Registers a service; every method of the definition must have a guarded handler (fail closed at start). */
  addService<H>(definition: ServiceDefinition, handlers: GuardedHandlers<H>): void {
    const raw: RawHandlers = {};
    const table = handlers as unknown as Record<string, unknown>;
    for (const [name, method] of Object.entries(definition)) {
      const h = table[name] ?? table[method.originalName ?? ''];
      if (!isGuarded(h)) throw new Error(`handler for ${method.path} is missing or bypasses the caller-identity guard`);
      raw[name] = this.wrap(method.path, h);
    }
    this.server.addService(definition, raw);
  }

  private wrap(path: string, h: Guarded<unknown, unknown>): RawHandlers[string] {
    const { tls, onRefused = () => undefined, onError = () => undefined, onCall = () => undefined } = this.options;
    // Per call: the start time travels with the call, never shared between concurrent calls.
    const fail = (thrown: unknown, started: number) => {
      const e = this.options.volume && !(thrown instanceof Error && thrown.name === 'ServiceError') && isOutOfSpace(thrown) ? storageFull(this.options.volume, thrown) : thrown;
      if (e !== thrown) onError(path, thrown);
      const known = e instanceof Error && e.name === 'ServiceError';
      if (!known) onError(path, e);
      onCall(path, known ? String((e as { code?: unknown }).code) : 'INTERNAL', performance.now() - started);
      return toGrpcStatus(e);
    };
    const guard = (call: Parameters<typeof guardCall>[0]) => guardCall(call, path, h.policy, tls.identifyPeer, onRefused);
    switch (h.kind) {
      case 'unary':
        return (call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<unknown>) => {
          const started = performance.now();
          let ctx;
          try {
            ctx = guard(call);
          } catch (e) {
            return cb(fail(e, started));
          }
          h.fn(call.request, ctx).then(
            (res) => {
              onCall(path, 'OK', performance.now() - started);
              cb(null, res);
            },
            (e: unknown) => cb(fail(e, started)),
          );
        };
      case 'serverStream':
        return (call: ServerWritableStream<unknown, unknown>) => {
          const started = performance.now();
          let ctx;
          try {
            ctx = guard(call);
          } catch (e) {
            call.emit('error', fail(e, started));
            return;
          }
          h.fn(call.request, ctx, (msg) => call.write(msg)).then(
            () => {
              onCall(path, 'OK', performance.now() - started);
              call.end();
            },
            (e: unknown) => call.emit('error', fail(e, started)),
          );
        };
      case 'bidi':
        return (call: ServerDuplexStream<unknown, unknown>) => {
          const started = performance.now();
          let ctx;
          try {
            ctx = guard(call);
          } catch (e) {
            call.emit('error', fail(e, started));
            return;
          }
          onCall(path, 'OK', performance.now() - started);
          h.fn(call, ctx);
        };
    }
  }

  /** Binds host:port (port 0 = any free port) and resolves the bound port. */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${port}`, this.credentials, (err, bound) => (err ? reject(err) : resolve(bound)));
    });
  }

  /** Stops accepting calls, waits for running ones up to the deadline, then cuts the rest. */
  shutdown(deadlineMs = 5_000): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, deadlineMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
