import { revokeCert } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../../cli.error';
import { type Command } from '../../command';
import { recordOperatorEvent } from '../../operator-audit';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs } from '../../parse-command-args';
import { reportRetired } from './retire-after-grace';

export const certsRevokeCommand: Command = {
  name: 'revoke',
  summary: 'put certificates on the site CRL; every listener refuses them within seconds',
  usage: [
    'tz certs revoke <name|serial> [--include-current] [--data-dir DIR]',
    '  a name revokes every unrevoked certificate of that name except the one a service presents now',
    "  --include-current  also the one in use (that service stops working; 'tz certs rotate <name>' is the safe way)",
    `  ${DATA_DIR_USAGE}`,
  ].join('\n'),
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('certs', argv, { ...DATA_DIR_OPTION, 'include-current': { type: 'boolean' } }, true);
    if (positionals.length !== 1) throw new CliError(CliErrorCode.Usage, "tz certs revoke needs exactly one name or serial (see 'tz help certs')");
    const dataDir = dataDirFrom(values, ctx);
    const { revoked, keptInUse, retired } = await revokeCert(dataDir, positionals[0]!, { includeCurrent: values['include-current'] === true });
    for (const r of revoked) {
      await recordOperatorEvent(ctx, dataDir, { action: 'certificate.revoke', outcome: 'success', target: { type: 'Certificate', id: r.serial }, details: { name: r.name } });
      ctx.out(`revoked ${r.name} ${r.serial}`);
    }
    for (const r of keptInUse) ctx.warn(`kept ${r.name} ${r.serial}: a service presents it now (--include-current revokes it too)`);
    await reportRetired(ctx, dataDir, retired);
    return 0;
  },
};
