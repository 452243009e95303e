import { connect, createServer, type ConnectionOptions, type Server, type TlsOptions, type TLSSocket } from 'node:tls';
import { type PeerVerification } from '../peer-verifier';
import { identityToString } from '../service-identity';
import { TrustErrorCode } from '../trust.error';

export interface ProbeServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * A trust-zone listener for tests: after the handshake it runs `check` on the socket and answers
 * `ok:<identity>` when allowed; a denied peer gets nothing but a closed socket, as in production.
 */
export async function startProbeServer(options: TlsOptions, check: (socket: TLSSocket) => PeerVerification): Promise<ProbeServer> {
  const server = createServer(options, (socket) => {
    socket.on('error', () => undefined);
    const verdict = check(socket);
    if (verdict.ok) socket.end(`ok:${identityToString(verdict.identity)}:${verdict.serial}\n`);
    else socket.destroy();
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export type ProbeResult =
  | { accepted: true; line: string; serverSerial: string }
  | { accepted: false; error: string };

/** Connects, reads the server's answer; "accepted" only when the server said ok. */
export function probe(port: number, options: ConnectionOptions, timeoutMs = 5000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let data = '';
    let error = 'closed without answer';
    let serverSerial = '';
    const socket = connect({ ...options, host: '127.0.0.1', port, servername: 'localhost' });
    const timer = setTimeout(() => socket.destroy(new Error('probe timeout')), timeoutMs);
    socket.on('secureConnect', () => {
      serverSerial = socket.getPeerCertificate().serialNumber ?? '';
    });
    socket.on('data', (d: Buffer) => (data += d.toString('utf8')));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data.startsWith('ok:') ? { accepted: true, line: data.trim(), serverSerial } : { accepted: false, error });
    });
  });
}

/**
 * Why OpenSSL refused a client certificate. Node checks the chain after the handshake and just
 * destroys the socket, so the reason is only visible with rejectUnauthorized off; the tests use this
 * beside the real listener to prove a refusal happened for the expected reason.
 */
export async function clientCertVerifyError(serverOptions: TlsOptions, clientOptions: ConnectionOptions): Promise<string | null> {
  let reason: string | null = 'no connection';
  const diag = await startProbeServer({ ...serverOptions, rejectUnauthorized: false }, (socket) => {
    reason = socket.authorized ? null : String(socket.authorizationError);
    return { ok: false, code: TrustErrorCode.PeerUntrusted, reason: 'diagnostic only' };
  });
  try {
    await probe(diag.port, clientOptions);
  } finally {
    await diag.close();
  }
  return reason;
}
