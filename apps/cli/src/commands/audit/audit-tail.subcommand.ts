import { AUDIT_OUTCOMES, tailAuditLog, type AuditOutcome, type AuditTailFilter } from '@trustzone/logging';
import { sitePaths } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../../cli.error';
import { type Command } from '../../command';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs } from '../../parse-command-args';

export const auditTailCommand: Command = {
  name: 'tail',
  summary: 'show the newest audit records (JSON lines)',
  usage: ['tz audit tail [-n N] [--action A] [--user DIR\\id] [--outcome O] [--data-dir DIR]', `  ${DATA_DIR_USAGE}`].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs('audit', argv, {
      ...DATA_DIR_OPTION,
      n: { type: 'string', short: 'n' },
      action: { type: 'string' },
      user: { type: 'string' },
      outcome: { type: 'string' },
    });
    const limit = values.n === undefined ? 20 : Number(values.n);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new CliError(CliErrorCode.Usage, '-n must be a whole number from 1 to 10000');
    if (values.outcome && !(AUDIT_OUTCOMES as readonly string[]).includes(values.outcome)) throw new CliError(CliErrorCode.Usage, `--outcome must be one of ${AUDIT_OUTCOMES.join(', ')}`);
    const filter: AuditTailFilter = {
      ...(values.action ? { action: values.action } : {}),
      ...(values.user ? { user: values.user } : {}),
      ...(values.outcome ? { outcome: values.outcome as AuditOutcome } : {}),
    };
    const r = await tailAuditLog({ dir: sitePaths(dataDirFrom(values, ctx)).audit, limit, filter });
    for (const e of r.entries) ctx.out(JSON.stringify(e));
    return 0;
  },
};
