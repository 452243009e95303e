import express from 'express';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { LoadedConfig } from '@trustzone/config';
import { createServiceHost } from '@trustzone/service-host';
import { bindServerToTrustStore, openTrustStore } from '@trustzone/trust';
import type { proxyConfigSpec } from './config';
import { healthRoute } from './health-route';
import { closeUpstreams, createUpstreams } from './upstreams';

/** Builds the proxy: the only door of the site (client-facing HTTPS + the mTLS proxy API). */
export async function createProxy({ config, warnings }: LoadedConfig<typeof proxyConfigSpec>) {
  const host = createServiceHost({ service: 'proxy', dataDir: config.dataDir, logLevel: config.logLevel, logStdout: config.logStdout, warnings });
  // Clients are outside the zone: the client-facing certificate comes from a different CA.
  const clientFacing = openTrustStore({ certsDir: host.paths.certs, name: config.clientFacingCert });
  const upstreams = createUpstreams(host.tls, { repository: config.repositoryAddress, engine: config.engineAddress });

  const app = express();
  app.disable('x-powered-by');
  app.get('/health', healthRoute(upstreams));

  const cfServer = createServer({ ...clientFacing.serverTlsOptions({ requireClientCert: false }) }, app);
  const unbind = bindServerToTrustStore(cfServer, clientFacing, { requireClientCert: false });

  return {
    host,
    async listen(port = config.port) {
      const bound = await listen(cfServer, config.host, port);
      return {
        port: bound,
        stop: async () => {
          unbind();
          await new Promise<void>((r) => cfServer.close(() => r()));
          closeUpstreams(upstreams);
          clientFacing.close();
          host.close();
        },
      };
    },
  };
}

function listen(server: Server, hostName: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostName, () => resolve((server.address() as AddressInfo).port));
  });
}
