import { isRotatable, rotateServiceCert, SERVICE_NAMES, type RotatableCert } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../../cli.error';
import { type Command } from '../../command';
import { recordOperatorEvent } from '../../operator-audit';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs, parseDays } from '../../parse-command-args';
import { GRACE_USAGE, parseGrace, reportRetired, retireAfterGrace } from './retire-after-grace';

export const certsRotateCommand: Command = {
  name: 'rotate',
  summary: 'issue new keys and certificates; running services pick them up without restart, the old ones are revoked after a grace period',
  usage: [
    'tz certs rotate [proxy|repository|engine|cli|client-facing] [--days N] [--grace SECONDS] [--no-wait] [--data-dir DIR]',
    '  (no name: proxy, repository and engine)',
    '  --days N  validity of the new certificates',
    ...GRACE_USAGE,
    `  ${DATA_DIR_USAGE}`,
  ].join('\n'),
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('certs', argv, { ...DATA_DIR_OPTION, days: { type: 'string' }, grace: { type: 'string' }, 'no-wait': { type: 'boolean' } }, true);
    if (positionals.length > 1) throw new CliError(CliErrorCode.Usage, "tz certs rotate takes at most one name (see 'tz help certs')");
    const [only] = positionals;
    if (only !== undefined && !isRotatable(only)) throw new CliError(CliErrorCode.Usage, `cannot rotate '${only}': expected proxy, repository, engine, cli or client-facing`);
    const targets: RotatableCert[] = only !== undefined && isRotatable(only) ? [only] : [...SERVICE_NAMES];
    const validityDays = parseDays('certs', 'days', values.days);
    const graceSeconds = parseGrace(values.grace);
    const dataDir = dataDirFrom(values, ctx);
    let retireAt: Date | undefined;
    for (const target of targets) {
      const r = await rotateServiceCert(dataDir, target, { ...(validityDays ? { validityDays } : {}), graceSeconds });
      await recordOperatorEvent(ctx, dataDir, { action: 'certificate.issue', outcome: 'success', target: { type: 'Certificate', id: r.serial }, details: { name: r.name, replaces: r.previousSerial ?? null, notAfter: r.notAfter.toISOString(), retiring: r.retiring, retireAt: r.retireAt?.toISOString() ?? null } });
      ctx.out(`rotated ${r.name}: ${r.previousSerial ?? '(none)'} -> ${r.serial}, valid until ${r.notAfter.toISOString()}`);
      await reportRetired(ctx, dataDir, r.retired);
      if (r.retireAt && (!retireAt || r.retireAt > retireAt)) retireAt = r.retireAt;
    }
    await retireAfterGrace(ctx, dataDir, retireAt, values['no-wait'] === true);
    return 0;
  },
};
