import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openKeyStore } from '@trustzone/app-store';
import { createTestCertificate } from '@trustzone/testing';
import { freePorts, freshPgSchema, httpRequest, integrationCert, startSiteProcesses, type HttpResult, type RunningSite } from '@trustzone/site-harness';

/** The files a Qlik client is configured with: client.pem / client_key.pem of an integration certificate, and the site's root CA. */
export interface ClientCertificates {
  dir: string;
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

export interface ConformanceSite {
  site: RunningSite;
  /** The app encryption certificate (PEM) when the site encrypts apps at rest. */
  encryptionCert: string | undefined;
  certs: ClientCertificates;
  /** The database the repositories share (a PostgreSQL schema, or undefined for SQLite). */
  databaseUrl: string | undefined;
  /** The repository processes: the supervisor's label, the gRPC port (in executingNodeName), the env to restart one. */
  repositories: { label: string; port: number; env: NodeJS.ProcessEnv }[];
  /** A /qrs call acting as `CORP\admin` with the site's own HTTP helper (fixtures and checks only; scenarios use the clients). */
  admin(method: string, path: string, body?: unknown): Promise<HttpResult>;
  stop(): Promise<void>;
}

/** A fresh PostgreSQL schema on TZ_TEST_PG_URL (dropped at stop). */
function pgSchema(): { url: string; drop(): Promise<void> } {
  const base = process.env['TZ_TEST_PG_URL'];
  if (!base) throw new Error('TZ_TEST_PG_URL is not set');
  return freshPgSchema(base, 'tz_conf');
}

/**
 * A whole site (repository, engine, proxy as processes on real TLS) for third-party clients, and
 * the integration certificate they are configured with. `repositories: 2` starts a second
 * repository on the same PostgreSQL database, as a second host would (its own copy of the site's
 * certificates, its own audit trail): both run a scheduler, one holds the lease.
 */
export async function startConformanceSite(o: { postgres?: boolean; repositories?: 1 | 2; env?: NodeJS.ProcessEnv; encrypted?: boolean } = {}): Promise<ConformanceSite> {
  const db = o.postgres ? pgSchema() : undefined;
  const site = await startSiteProcesses({ env: { TZ_SCHEDULER_TICK_MS: '200', TZ_SCHEDULER_LEASE_MS: '3000', TZ_TASK_RETRY_DELAY_MS: '500', ...(db ? { TZ_DATABASE_URL: db.url } : {}), ...o.env } });
  const repositories: ConformanceSite['repositories'] = [{ label: 'repository', port: site.ports.repository, env: {} }];
  try {
    if (o.repositories === 2) {
      if (!db) throw new Error('two repositories need a shared PostgreSQL database');
      const second = join(site.dataDir, '..', 'data-repository2');
      mkdirSync(second, { recursive: true, mode: 0o700 });
      for (const part of ['certs', 'private', 'site.json']) cpSync(join(site.dataDir, part), join(second, part), { recursive: true });
      const [port, metrics] = (await freePorts(2)) as [number, number];
      const env = { TZ_DATA_DIR: second, TZ_REPOSITORY_PORT: String(port), TZ_REPOSITORY_METRICS_PORT: String(metrics) };
      await site.supervisor.startService('repository', env, 'repository2');
      repositories.push({ label: 'repository2', port, env });
    }
    let encryptionCert: string | undefined;
    if (o.encrypted) {
      // What `tz keys add` does; the engine watches its key store and encrypts new files with it.
      const key = createTestCertificate({ commonName: 'app encryption' });
      const store = await openKeyStore(join(site.dataDir, 'keys'), { watch: false });
      try {
        await store.addKey(key.certPem, key.keyPem);
      } finally {
        store.close();
      }
      encryptionCert = key.certPem;
    }
    const pair = await integrationCert(site, 'conformance');
    const dir = join(site.dataDir, '..', 'conformance-client');
    mkdirSync(dir, { recursive: true });
    const certs = { dir, certFile: join(dir, 'client.pem'), keyFile: join(dir, 'client_key.pem'), ...pair };
    writeFileSync(certs.certFile, pair.cert);
    writeFileSync(certs.keyFile, pair.key, { mode: 0o600 });
    return {
      site,
      encryptionCert,
      certs,
      databaseUrl: db?.url,
      repositories,
      admin: (method, path, body) => httpRequest(site, site.ports.proxyApi, path, { method, cert: pair, headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' }, ...(body === undefined ? {} : { body }) }),
      async stop() {
        await site.stop();
        await db?.drop();
      },
    };
  } catch (e) {
    await site.stop();
    await db?.drop();
    throw e;
  }
}
