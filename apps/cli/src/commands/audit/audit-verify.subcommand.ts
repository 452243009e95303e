import { verifyAuditLog } from '@trustzone/logging';
import { trustedAuditSigners } from '@trustzone/service-host';
import { sitePaths } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../../cli.error';
import { type Command } from '../../command';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs } from '../../parse-command-args';

export const auditVerifyCommand: Command = {
  name: 'verify',
  summary: 'check the audit log: hash chain, sequence and signed checkpoints; names the first bad record',
  usage: ['tz audit verify [--from DATE] [--data-dir DIR]', `  ${DATA_DIR_USAGE}`, '  --from DATE   start at the last signed checkpoint before DATE (ISO 8601)'].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs('audit', argv, { ...DATA_DIR_OPTION, from: { type: 'string' } });
    const from = values.from === undefined ? undefined : new Date(values.from);
    if (from && Number.isNaN(from.getTime())) throw new CliError(CliErrorCode.Usage, `--from must be a date (ISO 8601), got '${values.from}'`);
    const paths = sitePaths(dataDirFrom(values, ctx));
    const r = await verifyAuditLog({ dir: paths.audit, trustedCertPem: trustedAuditSigners(paths), ...(from ? { from } : {}) });
    if (r.ok) {
      ctx.out(`OK: ${r.records} records (seq ${r.firstSeq}…${r.lastSeq}), ${r.checkpoints} signed checkpoints${r.unsignedTail ? `, ${r.unsignedTail} records after the last checkpoint` : ''}`);
      if (r.retainedFrom) ctx.out(`records before seq ${r.retainedFrom} were dropped by the retention policy (TZ_AUDIT_RETAIN_BYTES); the chain starts at its signed anchor`);
      return 0;
    }
    ctx.out(`BAD: record seq ${r.seq} (${r.file}, line ${r.line}) is ${r.problem}: ${r.detail}`);
    ctx.out(`verified before it: ${r.records} records, ${r.checkpoints} checkpoints`);
    return 1;
  },
};
