import { exportIntegrationCert } from '@trustzone/trust';
import { resolve } from 'node:path';
import { CliError, CliErrorCode } from '../../cli.error';
import { type Command } from '../../command';
import { recordOperatorEvent } from '../../operator-audit';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs, parseDays } from '../../parse-command-args';

export const certsExportCommand: Command = {
  name: 'export',
  summary: 'issue an integration certificate (root.pem, client.pem, client_key.pem)',
  usage: ['tz certs export --name NAME --out DIR [--days N] [--data-dir DIR]', '  NAME: [a-z0-9._-], unique among live certificates', `  ${DATA_DIR_USAGE}`].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs('certs', argv, { ...DATA_DIR_OPTION, name: { type: 'string' }, out: { type: 'string' }, days: { type: 'string' } });
    if (!values.name || !values.out) throw new CliError(CliErrorCode.Usage, "tz certs export needs --name and --out (see 'tz help certs')");
    const validityDays = parseDays('certs', 'days', values.days);
    const dataDir = dataDirFrom(values, ctx);
    const r = await exportIntegrationCert(dataDir, values.name, resolve(ctx.cwd, values.out), validityDays ? { validityDays } : {});
    await recordOperatorEvent(ctx, dataDir, { action: 'certificate.issue', outcome: 'success', target: { type: 'Certificate', id: r.serial }, details: { name: `integration:${r.name}`, notAfter: r.notAfter.toISOString() } });
    ctx.out(`exported integration:${r.name} (serial ${r.serial}, valid until ${r.notAfter.toISOString()})`);
    for (const f of Object.values(r.files)) ctx.out(`  ${f}`);
    return 0;
  },
};
