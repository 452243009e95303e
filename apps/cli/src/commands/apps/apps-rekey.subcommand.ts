import { appAuthKeyPath, loadAppAuthKey, openKeyStore, rekeyApps } from '@trustzone/app-store';
import { sitePaths } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../../cli.error';
import { type Command } from '../../command';
import { recordOperatorEvent } from '../../operator-audit';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs } from '../../parse-command-args';
import { progressLine } from '../../progress-line';

export const appsRekeyCommand: Command = {
  name: 'rekey',
  summary: 're-wrap every app under one encryption key (online, idempotent, resumable)',
  usage: ['tz apps rekey --to <thumbprint> [--data-dir DIR]', `  ${DATA_DIR_USAGE}`, '  --to T   thumbprint of a key in the key store (see tz keys list)'].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs('apps', argv, { ...DATA_DIR_OPTION, to: { type: 'string' } });
    if (!values.to) throw new CliError(CliErrorCode.Usage, "tz apps rekey needs --to <thumbprint> (see 'tz keys list')");
    const paths = sitePaths(dataDirFrom(values, ctx));
    const authKey = await loadAppAuthKey(ctx.env['TZ_APP_AUTH_KEY_FILE'] ?? appAuthKeyPath(paths.keys));
    const keyStore = await openKeyStore(paths.keys, { watch: false });
    const bar = progressLine(ctx);
    try {
      const result = await rekeyApps({
        appsDir: paths.apps,
        keyStore,
        authKey,
        toThumbprint: values.to.toLowerCase(),
        onProgress: (p) => bar.update(`rekey ${p.index}/${p.total}  ${p.appId}  ${p.outcome}`),
      });
      bar.done();
      await recordOperatorEvent(ctx, paths.dataDir, {
        action: 'key.rotate', outcome: result.failed.length === 0 ? 'success' : 'failure', target: { type: 'EncryptionKey', id: values.to.toLowerCase() },
        details: { rewrapped: result.rewrapped, encrypted: result.encrypted, skipped: result.skipped, failed: result.failed.length },
      });
      ctx.out(`rekeyed ${result.rewrapped} app(s), ${result.encrypted} newly encrypted, ${result.skipped} already under ${values.to.slice(0, 12)}…`);
      for (const f of result.failed) ctx.warn(`app ${f.appId}: ${f.message}`);
      return result.failed.length === 0 ? 0 : 1;
    } finally {
      keyStore.close();
    }
  },
};
