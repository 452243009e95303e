import { certsStatus, refreshCrl } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../../cli.error';
import { type Command } from '../../command';
import { recordOperatorEvent } from '../../operator-audit';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs } from '../../parse-command-args';
import { reportRetired } from './retire-after-grace';

export const certsRefreshCrlCommand: Command = {
  name: 'refresh-crl',
  summary: 're-sign the site CRL with a fresh year of validity (same revoked certificates)',
  usage: [
    'tz certs refresh-crl [--data-dir DIR]',
    '  an expired CRL makes every listener refuse every peer; run this (e.g. monthly from cron)',
    '  when tz certs status warns. Running services reload the CRL within seconds. Certificates',
    '  replaced by a rotation whose grace period is over are revoked on the way.',
    `  ${DATA_DIR_USAGE}`,
  ].join('\n'),
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('certs', argv, DATA_DIR_OPTION, true);
    if (positionals.length !== 0) throw new CliError(CliErrorCode.Usage, "tz certs refresh-crl takes no arguments (see 'tz help certs')");
    const dataDir = dataDirFrom(values, ctx);
    const { crlNumber, retired } = await refreshCrl(dataDir);
    await recordOperatorEvent(ctx, dataDir, { action: 'certificate.crl-refresh', outcome: 'success', target: { type: 'CRL', id: String(crlNumber) } });
    ctx.out(`CRL re-signed (number ${crlNumber}), valid until ${certsStatus(dataDir).crlNextUpdate?.toISOString() ?? 'unknown'}`);
    await reportRetired(ctx, dataDir, retired);
    return 0;
  },
};
