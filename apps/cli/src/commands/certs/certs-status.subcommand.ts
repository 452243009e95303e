import { certsStatus, type CertStatus } from '@trustzone/trust';
import { type Command } from '../../command';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs } from '../../parse-command-args';
import { formatTable } from '../../table-format';

export const certsStatusCommand: Command = {
  name: 'status',
  summary: 'certificates of the site: subject, identity, serial, expiry, revocation',
  usage: ['tz certs status [--data-dir DIR] [--all] [--json]', `  ${DATA_DIR_USAGE}`, '  --all   include rotated-out certificates', '  --json  machine-readable output'].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs('certs', argv, { ...DATA_DIR_OPTION, all: { type: 'boolean' }, json: { type: 'boolean' } });
    const status = certsStatus(dataDirFrom(values, ctx));
    // Rotated-out service certs are history; exported integration certs are live credentials.
    // Replaced certificates still inside their grace period are live credentials too.
    const shown = values.all ? status.certificates : status.certificates.filter((c) => c.current || (c.kind === 'integration' && !c.revoked) || c.retireAt !== undefined);
    if (values.json) {
      ctx.out(JSON.stringify({ ...status, certificates: shown }, null, 2));
      return 0;
    }
    ctx.out(`site ${status.siteName} (${status.siteId}); CRL valid until ${status.crlNextUpdate?.toISOString() ?? 'unknown'}`);
    ctx.out(formatTable(['NAME', 'KIND', 'SERIAL', 'NOT AFTER', 'DAYS LEFT', 'REVOKED', 'IDENTITY', 'SUBJECT'], shown.map(row)));
    for (const c of shown) if (c.warning) ctx.warn(`warning: ${c.name} (${c.serial}): ${c.warning}`);
    if (status.crlWarning) ctx.warn(`warning: ${status.crlWarning}`);
    if (status.layoutWarning) ctx.warn(`warning: ${status.layoutWarning}`);
    return 0;
  },
};

function row(c: CertStatus): string[] {
  return [
    c.current ? c.name : c.retireAt ? `${c.name} (replaced)` : c.kind === 'integration' ? `${c.name} (exported)` : `${c.name} (rotated out)`,
    c.kind,
    c.serial,
    c.notAfter.toISOString().slice(0, 19).replace('T', ' '),
    String(c.daysLeft),
    c.revoked ? 'yes' : c.retireAt ? `at ${c.retireAt.toISOString().slice(0, 19)}Z` : 'no',
    c.identity ?? '-',
    c.subject ?? '-',
  ];
}
