import { appKeyUsage, openKeyStore } from '@trustzone/app-store';
import { sitePaths } from '@trustzone/trust';
import { type Command } from '../../command';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs } from '../../parse-command-args';
import { formatTable } from '../../table-format';

export const keysListCommand: Command = {
  name: 'list',
  summary: 'list the app encryption keys, which one is active, and how many apps each one protects',
  usage: ['tz keys list [--data-dir DIR]', `  ${DATA_DIR_USAGE}`].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs('keys', argv, { ...DATA_DIR_OPTION });
    const paths = sitePaths(dataDirFrom(values, ctx));
    const store = await openKeyStore(paths.keys, { watch: false });
    try {
      const keys = store.listKeys();
      const usage = await appKeyUsage(paths.apps);
      const status = store.encryptionStatus();
      if (keys.length === 0) ctx.out('no encryption keys: apps are only checksummed (encryption at rest is off)');
      else {
        ctx.out(formatTable(['thumbprint', 'active', 'apps', 'not after', 'subject'], keys.map((k) => [k.thumbprint, k.active ? 'yes' : '', String(usage.byKey.get(k.thumbprint)?.length ?? 0), k.notAfter.toISOString().slice(0, 10), k.subject])));
      }
      ctx.out(`apps checksummed only (not encrypted): ${usage.checksummed.length}`);
      for (const u of usage.unreadable) ctx.warn(`app ${u.appId}: header unreadable (${u.code})`);
      if (!status.enabled) ctx.warn('encryption at rest is off for new apps');
    } finally {
      store.close();
    }
    return 0;
  },
};
