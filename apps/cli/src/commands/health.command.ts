import { readFileSync } from 'node:fs';
import { HealthService, TrustZoneClient, trustZoneTls, type HealthDefinition } from '@trustzone/contracts';
import { fetchHealth } from '@trustzone/service-host';
import { identityAllowList, openTrustStore, sitePaths } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../cli.error';
import { type Command } from '../command';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../data-dir-option';
import { parseCommandArgs } from '../parse-command-args';

const DEFAULTS = { repository: 'localhost:4242', engine: 'localhost:4747', proxy: 'https://localhost:8443' } as const;

/**
 * One health probe, for container healthchecks and scripts: exit 0 when the service answers ok.
 * Repository/engine: a real Health.Check over mTLS (so the probe proves the trust zone works, not
 * just that a port is open), with the CLI's integration certificate or, with `--as`, a service's
 * own: a container then needs no private key but its own (docker-compose.yml). Proxy: GET /health
 * on the client-facing listener, trusting only the client-facing CA.
 */
export const healthCommand: Command = {
  name: 'health',
  summary: 'probe one service (exit 0 when healthy): repository, engine or proxy',
  usage: [
    'tz health <repository|engine|proxy> [--address ADDR] [--as NAME] [--data-dir DIR]',
    `  ${DATA_DIR_USAGE}`,
    '  --address  host:port (repository, engine) or https URL (proxy)',
    "  --as NAME  the certificate to call with: cli (default), or the probed service's own (engine, repository)",
  ].join('\n'),
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('health', argv, { ...DATA_DIR_OPTION, address: { type: 'string' }, as: { type: 'string' } }, true);
    const service = positionals[0];
    if (service !== 'repository' && service !== 'engine' && service !== 'proxy') throw new CliError(CliErrorCode.Usage, "tz health needs repository, engine or proxy (see 'tz help health')");
    const paths = sitePaths(dataDirFrom(values, ctx));
    const address = values.address ?? DEFAULTS[service];
    if (service === 'proxy') {
      const r = await fetchHealth(`${address.replace(/\/$/, '')}/health`, readFileSync(paths.cert('client-facing-ca'), 'utf8'));
      ctx.out(JSON.stringify(r.body));
      return r.statusCode === 200 ? 0 : 1;
    }
    const as = values.as ?? 'cli';
    if (!['cli', 'engine', 'repository', 'proxy'].includes(as)) throw new CliError(CliErrorCode.Usage, "--as must be cli, engine, repository or proxy (see 'tz help health')");
    const store = openTrustStore({ certsDir: paths.certs, name: as, watch: false });
    const client = new TrustZoneClient<HealthDefinition>(HealthService, { address, tls: trustZoneTls(store), expect: identityAllowList([service]) });
    try {
      const r = await client.unary('Check', {}, { deadlineMs: 3000 });
      ctx.out(JSON.stringify({ service: r.service, status: r.status, version: r.version, certificateSerial: r.certificateSerial, certificateNotAfter: r.certificateNotAfter, checks: r.checks }));
      return r.status === 'ok' ? 0 : 1;
    } catch (e) {
      throw new CliError(CliErrorCode.Usage, `${service} at ${address} is not healthy: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      client.close();
      store.close();
    }
  },
};
