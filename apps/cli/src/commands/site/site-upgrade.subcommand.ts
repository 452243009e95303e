import { upgradeSiteLayout } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../../cli.error';
import { type Command } from '../../command';
import { recordOperatorEvent } from '../../operator-audit';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs } from '../../parse-command-args';

export const siteUpgradeCommand: Command = {
  name: 'upgrade',
  summary: 'bring the data directory to the current layout (private keys out of certs/ into private/<name>/)',
  usage: [
    'tz site upgrade [--data-dir DIR]',
    '  idempotent; docker/init-site.sh runs it on every start. Needed once after upgrading a site created',
    '  before private/ existed, before the compose file mounts private/<service> (deployment.md).',
    `  ${DATA_DIR_USAGE}`,
  ].join('\n'),
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('site', argv, DATA_DIR_OPTION, true);
    if (positionals.length !== 0) throw new CliError(CliErrorCode.Usage, "tz site upgrade takes no arguments (see 'tz help site')");
    const dataDir = dataDirFrom(values, ctx);
    const r = await upgradeSiteLayout(dataDir);
    if (r.moved.length > 0) {
      await recordOperatorEvent(ctx, dataDir, { action: 'site.upgrade', outcome: 'success', details: { movedKeys: r.moved } });
      ctx.out(`moved ${r.moved.length} private key(s) to private/<name>/: ${r.moved.join(', ')}`);
    } else ctx.out('the site layout is current');
    for (const c of r.conflicts) ctx.warn(`warning: certs/${c}_key.pem differs from private/${c}/${c}_key.pem; left both as they are — keep the one that matches certs/${c}.pem and delete the other`);
    return r.conflicts.length > 0 ? 1 : 0;
  },
};
