import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { bindServerToTrustStore, verifyTlsSocketPeer, type TrustStore } from '@trustzone/trust';
import type { Metrics } from './metrics';

/**
 * GET /metrics over mutual TLS: no plaintext listener exists inside the trust zone, so a scraper
 * presents a certificate of this site (e.g. `tz certs export --name prometheus`).
 */
export async function startMetricsServer(o: { host: string; port: number; store: TrustStore; metrics: Metrics }): Promise<{ server: Server; port: number }> {
  const server = createServer(o.store.serverTlsOptions({ requireClientCert: true }), (req, res) => {
    const peer = verifyTlsSocketPeer(req.socket as Parameters<typeof verifyTlsSocketPeer>[0], o.store);
    if (!peer.ok) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('client certificate of this site required\n');
      return;
    }
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4', 'Cache-Control': 'no-store' }).end(o.metrics.render());
  });
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  bindServerToTrustStore(server, o.store, { requireClientCert: true });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve((server.address() as AddressInfo).port));
  });
  return { server, port };
}
