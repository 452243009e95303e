import { revokeCert } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../../cli.error';
import { type Command } from '../../command';
import { recordOperatorEvent } from '../../operator-audit';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs } from '../../parse-command-args';

export const certsRevokeCommand: Command = {
  name: 'revoke',
  summary: 'put certificates on the site CRL; every listener refuses them within seconds',
  usage: ['tz certs revoke <name|serial> [--data-dir DIR]', '  a name revokes every unrevoked certificate of that name', `  ${DATA_DIR_USAGE}`].join('\n'),
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('certs', argv, DATA_DIR_OPTION, true);
    if (positionals.length !== 1) throw new CliError(CliErrorCode.Usage, "tz certs revoke needs exactly one name or serial (see 'tz help certs')");
    const dataDir = dataDirFrom(values, ctx);
    const { revoked } = await revokeCert(dataDir, positionals[0]!);
    for (const r of revoked) {
      await recordOperatorEvent(ctx, dataDir, { action: 'certificate.revoke', outcome: 'success', target: { type: 'Certificate', id: r.serial }, details: { name: r.name } });
      ctx.out(`revoked ${r.name} ${r.serial}`);
    }
    return 0;
  },
};
