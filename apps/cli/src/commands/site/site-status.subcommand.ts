import { readFileSync } from 'node:fs';
import { HealthService, TrustZoneClient, trustZoneTls, type HealthDefinition } from '@trustzone/contracts';
import { fetchHealth } from '@trustzone/service-host';
import { certsStatus, identityAllowList, openTrustStore, sitePaths } from '@trustzone/trust';
import { type Command } from '../../command';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs } from '../../parse-command-args';
import { formatTable } from '../../table-format';

type Row = [service: string, address: string, status: string, version: string, certificate: string, detail: string];

/**
 * The operator's one look at a running site: each service's health over the real mTLS path (the
 * CLI's integration certificate), its version and certificate expiry, the repository's database and
 * audit checks, the proxy's view of the engines and session store, and the certificate inventory.
 */
export const siteStatusCommand: Command = {
  name: 'status',
  summary: "every service's health, version, certificate expiry, database and session-store reachability",
  usage: [
    'tz site status [--repository H:P] [--engine H:P[,H:P]] [--proxy-api URL] [--json] [--data-dir DIR]',
    `  ${DATA_DIR_USAGE}`,
    '  defaults: localhost with TZ_REPOSITORY_PORT / TZ_ENGINE_PORT / TZ_PROXY_API_PORT (4242, 4747, 4243)',
  ].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs('site', argv, { ...DATA_DIR_OPTION, repository: { type: 'string' }, engine: { type: 'string' }, 'proxy-api': { type: 'string' }, json: { type: 'boolean' } });
    const paths = sitePaths(dataDirFrom(values, ctx));
    const e = ctx.env;
    const repoAddr = values.repository ?? `localhost:${e['TZ_REPOSITORY_PORT'] ?? '4242'}`;
    const engineAddrs = (values.engine ?? `localhost:${e['TZ_ENGINE_PORT'] ?? '4747'}`).split(',');
    // The proxy's per-engine view is on its mTLS API port (the anonymous /health says only ok or not).
    const proxyUrl = values['proxy-api'] ?? `https://localhost:${e['TZ_PROXY_API_PORT'] ?? '4243'}`;
    const store = openTrustStore({ certsDir: paths.certs, name: 'cli', watch: false });
    const tls = trustZoneTls(store);

    const grpcRow = async (service: 'repository' | 'engine', address: string): Promise<Row> => {
      const client = new TrustZoneClient<HealthDefinition>(HealthService, { address, tls, expect: identityAllowList([service]) });
      try {
        const r = await client.unary('Check', {}, { deadlineMs: 3000 });
        const days = Math.floor((Date.parse(r.certificateNotAfter) - Date.now()) / 86_400_000);
        return [service, address, r.status, r.version, `${r.certificateNotAfter.slice(0, 10)} (${days} d)`, Object.entries(r.checks).map(([k, v]) => `${k}: ${v}`).join(', ')];
      } catch (err) {
        return [service, address, 'unreachable', '', '', err instanceof Error ? err.message.slice(0, 80) : String(err)];
      } finally {
        client.close();
      }
    };
    const proxyRow = async (): Promise<Row> => {
      try {
        const cli = { cert: readFileSync(paths.cert('cli'), 'utf8'), key: readFileSync(paths.key('cli'), 'utf8') };
        const r = await fetchHealth(`${proxyUrl}/health`, readFileSync(paths.cert('root'), 'utf8'), 3_000, cli);
        const body = r.body as unknown as { status: string; services: Record<string, string>; engines?: Record<string, string>; sessionStore?: string };
        const detail = [...Object.entries(body.services), ...Object.entries(body.engines ?? {}).map(([k, v]) => [`engine ${k}`, v])].map(([k, v]) => `${k}: ${v}`);
        if (body.sessionStore) detail.push(`session store: ${body.sessionStore}`);
        return ['proxy', proxyUrl, body.status, '', '', detail.join(', ')];
      } catch (err) {
        return ['proxy', proxyUrl, 'unreachable', '', '', err instanceof Error ? err.message.slice(0, 80) : String(err)];
      }
    };
    const rows = await Promise.all([grpcRow('repository', repoAddr), ...engineAddrs.map((a) => grpcRow('engine', a.trim())), proxyRow()]);
    store.close();
    const certs = certsStatus(paths.dataDir);
    const expiring = certs.certificates.filter((c) => c.current && !c.revoked && c.daysLeft < 7);
    if (values.json) {
      ctx.out(JSON.stringify({ services: rows.map(([service, address, status, version, certificate, detail]) => ({ service, address, status, version, certificate, detail })), certificates: certs.certificates, crlNextUpdate: certs.crlNextUpdate, ...(certs.crlWarning ? { crlWarning: certs.crlWarning } : {}) }, null, 2));
    } else {
      ctx.out(`site '${certs.siteName}' (${certs.siteId})`);
      ctx.out(formatTable(['service', 'address', 'status', 'version', 'certificate expires', 'detail'], rows));
      ctx.out(`CRL next update: ${certs.crlNextUpdate?.toISOString().slice(0, 10) ?? 'unknown'}`);
      for (const c of expiring) ctx.warn(`certificate ${c.name} expires in ${c.daysLeft} day(s): tz certs rotate ${c.name}`);
      if (certs.crlWarning) ctx.warn(`warning: ${certs.crlWarning}`);
    }
    return rows.every((r) => r[2] === 'ok') ? 0 : 1;
  },
};
