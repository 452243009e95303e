import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SiteSupervisor } from '@trustzone/service-host';
import { appAuthKeyPath, createAppAuthKey } from '@trustzone/app-store';
import { initSite, sitePaths } from '@trustzone/trust';

export interface SitePorts {
  repository: number;
  engine: number;
  proxy: number;
  proxyApi: number;
}

export interface RunningSite {
  dataDir: string;
  ports: SitePorts;
  /** https://localhost:<proxy port> */
  url: string;
  clientFacingCa: string;
  supervisor: SiteSupervisor;
  /** The environment every service of this site was started with (to start more instances). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** Free TCP ports on 127.0.0.1 (bound and released; good enough for tests on one machine). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<Server>((res) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => res(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

const ROOT = resolve(__dirname, '..', '..', '..');

/**
 * Starts a whole site as real processes (the bundles in dist/, as `npm start` does) on free ports
 * in a fresh data dir. vitest's global setup builds dist/ before any test runs.
 */
export async function startSiteProcesses(options: { env?: NodeJS.ProcessEnv; admin?: string; dataDir?: string; extraEngines?: number } = {}): Promise<RunningSite> {
  const base = mkdtempSync(join(tmpdir(), 'tz-e2e-'));
  // An existing data dir (a restored backup) is used as it is; otherwise a new site is created.
  const dataDir = options.dataDir ?? join(base, 'data');
  if (!options.dataDir) {
    await initSite({ dataDir, siteName: 'e2e', hosts: ['localhost'], admin: options.admin ?? 'CORP\\admin' });
    // What `tz init`'s hook does (apps/cli init-hooks.ts): engines refuse to start without it.
    await createAppAuthKey(appAuthKeyPath(sitePaths(dataDir).keys));
  }
  const extra = await freePorts(2 * (options.extraEngines ?? 0));
  const [repository, engine, proxy, proxyApi, metricsRepository, metricsEngine, metricsProxy] = (await freePorts(7)) as number[] as [number, number, number, number, number, number, number];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    TZ_DATA_DIR: dataDir,
    TZ_REPOSITORY_PORT: String(repository),
    TZ_ENGINE_PORT: String(engine),
    TZ_PROXY_PORT: String(proxy),
    TZ_PROXY_API_PORT: String(proxyApi),
    TZ_REPOSITORY_ADDRESS: `localhost:${repository}`,
    TZ_ENGINE_ADDRESS: `localhost:${engine}`,
    ...(options.extraEngines ? { TZ_ENGINE_ADDRESSES: [engine, ...extra.filter((_, i) => i % 2 === 0)].map((p) => `localhost:${p}`).join(',') } : {}),
    TZ_REPOSITORY_METRICS_PORT: String(metricsRepository),
    TZ_ENGINE_METRICS_PORT: String(metricsEngine),
    TZ_PROXY_METRICS_PORT: String(metricsProxy),
    ...options.env,
  };
  const supervisor = new SiteSupervisor({ distDir: join(ROOT, 'dist'), env, readyTimeoutMs: 60_000 });
  supervisor.on('exit', () => undefined); // a test that kills a service handles the consequences itself
  try {
    await supervisor.start(() => undefined);
    for (let i = 0; i < (options.extraEngines ?? 0); i++) {
      await supervisor.startService('engine', { TZ_ENGINE_PORT: String(extra[2 * i]), TZ_ENGINE_METRICS_PORT: String(extra[2 * i + 1]) }, `engine${i + 2}`);
    }
  } catch (e) {
    await supervisor.stop();
    throw e;
  }
  return {
    dataDir,
    ports: { repository, engine, proxy, proxyApi },
    url: `https://localhost:${proxy}`,
    clientFacingCa: readFileSync(sitePaths(dataDir).cert('client-facing-ca'), 'utf8'),
    supervisor,
    env,
    async stop() {
      await supervisor.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
