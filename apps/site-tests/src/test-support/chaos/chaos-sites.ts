import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appAuthKeyPath, createAppAuthKey } from '@trustzone/app-store';
import { freshPgSchema, httpRequest, integrationCert, startExtraProxy, startSiteProcesses, type ProxyInstance } from '@trustzone/site-harness';
import { initSite, sitePaths } from '@trustzone/trust';
import { hostPort, TcpRelay, viaRelay } from './chaos-kit';
import type { ChaosSite } from './chaos-scenarios';

const QUIET = { TZ_LOG_LEVEL: 'info', TZ_RATE_IP_PER_SECOND: '100000', TZ_RATE_USER_PER_SECOND: '100000', TZ_CERT_RETIRE_CHECK_MS: '1000', TZ_QIX_RECHECK_MS: '1000' };

function withAdmin(site: ChaosSite['site'], cert: ChaosSite['cert']): ChaosSite {
  return { site, cert, admin: (method, path, body) => httpRequest(site, site.ports.proxyApi, path, { method, cert, headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' }, ...(body === undefined ? {} : { body }) }) };
}

/**
 * A SQLite site whose data dir lives on its own size-limited tmpfs (`size=`) when we are root, so a
 * "disk full" fills that file system only; otherwise a plain temp dir (and the disk-full scenario
 * says it could not run).
 */
export async function startSqliteChaosSite(sizeMb = 256): Promise<ChaosSite & { mounted: string | undefined; stop(): Promise<void> }> {
  const base = mkdtempSync(join(tmpdir(), 'tz-chaos-'));
  const volume = join(base, 'volume');
  mkdirSync(volume);
  let mounted: string | undefined;
  if (process.getuid?.() === 0) {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tz-chaos', volume], { stdio: 'ignore' });
      mounted = `tmpfs size=${sizeMb}m`;
    } catch {
      mounted = undefined;
    }
  }
  const dataDir = join(volume, 'data');
  await initSite({ dataDir, siteName: 'chaos', hosts: ['localhost'], admin: 'CORP\\admin' });
  await createAppAuthKey(appAuthKeyPath(sitePaths(dataDir).keys));
  const site = await startSiteProcesses({ dataDir, env: QUIET });
  const cert = await integrationCert(site, 'chaos');
  return {
    ...withAdmin(site, cert),
    mounted,
    async stop() {
      await site.stop();
      if (mounted) execFileSync('umount', ['-l', volume], { stdio: 'ignore' });
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/**
 * PostgreSQL + Redis, each behind a TCP relay the scenarios drop and restore (the shared servers are
 * never restarted), two proxies sharing sessions through Redis.
 */
export async function startScaledChaosSite(pgUrl: string, redisUrl: string): Promise<ChaosSite & { pg: TcpRelay; redis: TcpRelay; second: ProxyInstance; stop(): Promise<void> }> {
  const schema = freshPgSchema(pgUrl, 'tz_chaos');
  const p = hostPort(pgUrl, 5432);
  const r = hostPort(redisUrl, 6379);
  const pg = new TcpRelay(p.host, p.port);
  const redis = new TcpRelay(r.host, r.port);
  const site = await startSiteProcesses({ env: { ...QUIET, TZ_DATABASE_URL: viaRelay(schema.url, await pg.start()), TZ_REDIS_URL: viaRelay(redisUrl, await redis.start()) } });
  const second = await startExtraProxy(site, 'proxy2');
  const cert = await integrationCert(site, 'chaos');
  return {
    ...withAdmin(site, cert), pg, redis, second,
    async stop() {
      await site.stop();
      await pg.drop();
      await redis.drop();
      await schema.drop().catch(() => undefined);
    },
  };
}
