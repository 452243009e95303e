import { hostname } from 'node:os';
import { initSite, normalizeHosts } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../cli.error';
import { type Command } from '../command';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../data-dir-option';
import { parseCommandArgs, parseDays } from '../parse-command-args';
import { initHooks, type InitHook } from './init-hooks';
import { recordOperatorEvents } from '../operator-audit';

const DEFAULT_SITE_NAME = 'trustzone';
const DEFAULT_ADMIN = 'LOCAL\\admin';

export function createInitCommand(hooks: readonly InitHook[] = initHooks): Command {
  return {
    name: 'init',
    summary: 'create a site: CAs, service and CLI certificates, CRL, data directories',
    usage: [
      "tz init [--data-dir DIR] [--site-name NAME] [--hosts h1,h2] [--admin 'DIR\\user'] [--service-cert-days N] [--force]",
      `  ${DATA_DIR_USAGE}`,
      `  --site-name NAME  site name, used in the CA's name (default: ${DEFAULT_SITE_NAME})`,
      '  --hosts h1,h2     host names/IPs added to service and client-facing certificates (default: this host)',
      `  --admin DIR\\user  the first administrator (default: ${DEFAULT_ADMIN})`,
      '  --service-cert-days N  validity of service certificates (default: 30)',
      '  --force           replace an existing site (new CA: every old certificate stops working)',
    ].join('\n'),
    async run(argv, ctx) {
      const { values } = parseCommandArgs('init', argv, {
        ...DATA_DIR_OPTION,
        'site-name': { type: 'string' },
        hosts: { type: 'string' },
        admin: { type: 'string' },
        'service-cert-days': { type: 'string' },
        force: { type: 'boolean' },
      });
      const dataDir = dataDirFrom(values, ctx);
      const serviceValidityDays = parseDays('init', 'service-cert-days', values['service-cert-days']);
      const site = await initSite({
        dataDir,
        siteName: values['site-name'] ?? DEFAULT_SITE_NAME,
        hosts: values.hosts !== undefined ? values.hosts.split(',') : defaultHosts(),
        admin: values.admin ?? DEFAULT_ADMIN,
        force: values.force === true,
        ...(serviceValidityDays ? { serviceValidityDays } : {}),
      });
      for (const hook of hooks) {
        try {
          await hook({ ...site, force: values.force === true }, ctx);
        } catch (e) {
          const why = e instanceof Error ? e.message : String(e);
          throw new CliError(CliErrorCode.HookFailed, `site created in ${dataDir}, but a setup step failed: ${why}`);
        }
      }
      await recordOperatorEvents(ctx, dataDir, [
        { action: 'site.init', outcome: 'success', target: { type: 'Site', id: site.manifest.siteId }, details: { siteName: site.manifest.siteName, force: values.force === true } },
        ...site.issued.map((r) => ({ action: 'certificate.issue', outcome: 'success' as const, target: { type: 'Certificate', id: r.serial }, details: { name: r.name, kind: r.kind } })),
      ]);
      ctx.out(`site '${site.manifest.siteName}' created in ${dataDir}`);
      ctx.out(`site id: ${site.manifest.siteId}`);
      ctx.out(`certificates: ${site.issued.map((r) => r.name).join(', ')}`);
      return 0;
    },
  };
}

/** This machine's name when it is a valid DNS name; otherwise none (localhost is always added). */
function defaultHosts(): string[] {
  try {
    return normalizeHosts([hostname()]);
  } catch {
    return [];
  }
}

export const initCommand = createInitCommand();
