import { rotateServiceCert, rotateSiteCa, type RotatableCert } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../../cli.error';
import { type Command } from '../../command';
import { recordOperatorEvent } from '../../operator-audit';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs, parseDays } from '../../parse-command-args';
import { GRACE_USAGE, parseGrace, reportRetired, retireAfterGrace } from './retire-after-grace';

const LEAVES: RotatableCert[] = ['proxy', 'repository', 'engine', 'cli'];

export const certsRotateCaCommand: Command = {
  name: 'rotate-ca',
  summary: 'replace the site CA without downtime: a new CA endorsed by the current one, then new service certificates',
  usage: [
    'tz certs rotate-ca [--days N] [--grace SECONDS] [--no-wait] [--data-dir DIR]',
    '  needs the current CA key. Running services trust the new CA because the current one endorses it',
    '  (root-endorsements.pem); a CA appended to root.pem any other way is never trusted by them.',
    '  Afterwards: re-export integration certificates, then remove the old CA from root.pem (operations.md).',
    '  --days N  validity of the new CA',
    ...GRACE_USAGE,
    `  ${DATA_DIR_USAGE}`,
  ].join('\n'),
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('certs', argv, { ...DATA_DIR_OPTION, days: { type: 'string' }, grace: { type: 'string' }, 'no-wait': { type: 'boolean' } }, true);
    if (positionals.length !== 0) throw new CliError(CliErrorCode.Usage, "tz certs rotate-ca takes no arguments (see 'tz help certs')");
    const validityDays = parseDays('certs', 'days', values.days);
    const graceSeconds = parseGrace(values.grace);
    const dataDir = dataDirFrom(values, ctx);
    const ca = await rotateSiteCa(dataDir, validityDays ? { validityDays } : {});
    await recordOperatorEvent(ctx, dataDir, { action: 'certificate.ca-rotate', outcome: 'success', target: { type: 'Certificate', id: ca.serial }, details: { previous: ca.previous, next: ca.next, notAfter: ca.notAfter.toISOString() } });
    ctx.out(`new site CA ${ca.next} (endorsed by ${ca.previous}), valid until ${ca.notAfter.toISOString()}`);
    let retireAt: Date | undefined;
    for (const target of LEAVES) {
      const r = await rotateServiceCert(dataDir, target, { graceSeconds });
      await recordOperatorEvent(ctx, dataDir, { action: 'certificate.issue', outcome: 'success', target: { type: 'Certificate', id: r.serial }, details: { name: r.name, replaces: r.previousSerial ?? null, notAfter: r.notAfter.toISOString(), retiring: r.retiring, retireAt: r.retireAt?.toISOString() ?? null } });
      ctx.out(`rotated ${r.name}: ${r.previousSerial ?? '(none)'} -> ${r.serial}`);
      await reportRetired(ctx, dataDir, r.retired);
      if (r.retireAt && (!retireAt || r.retireAt > retireAt)) retireAt = r.retireAt;
    }
    await retireAfterGrace(ctx, dataDir, retireAt, values['no-wait'] === true);
    ctx.out('next: re-export integration certificates (tz certs export), then remove the old CA from root.pem (operations.md)');
    return 0;
  },
};
