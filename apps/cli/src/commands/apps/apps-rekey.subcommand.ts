import { join, resolve } from 'node:path';
import { appAuthKeyPath, loadAppAuthKey, openKeyStore, rekeyApps, rekeyDataFiles } from '@trustzone/app-store';
import { sitePaths } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../../cli.error';
import { type Command } from '../../command';
import { recordOperatorEvent } from '../../operator-audit';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs } from '../../parse-command-args';
import { progressLine } from '../../progress-line';

export const appsRekeyCommand: Command = {
  name: 'rekey',
  summary: 're-wrap every app and every encrypted QVD under one encryption key (online, idempotent, resumable)',
  usage: [
    'tz apps rekey --to <thumbprint> [--data-dir DIR] [--data-connections-dir DIR]', `  ${DATA_DIR_USAGE}`,
    '  --to T                      thumbprint of a key in the key store (see tz keys list)',
    '  --data-connections-dir DIR  the data volume with the QVDs reloads stored (default <data>/data, as TZ_DATA_CONNECTIONS_DIR)',
  ].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs('apps', argv, { ...DATA_DIR_OPTION, to: { type: 'string' }, 'data-connections-dir': { type: 'string' } });
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
      const dataVolume = resolve(values['data-connections-dir'] ?? ctx.env['TZ_DATA_CONNECTIONS_DIR'] ?? join(paths.dataDir, 'data'));
      // Encrypted QVDs that reloads stored: the same envelope, the same key store, the same locks as STORE.
      const qvds = await rekeyDataFiles({
        rootDir: dataVolume, keyStore, authKey, toThumbprint: values.to.toLowerCase(), lockDir: paths.apps,
        onProgress: (p) => bar.update(`rekey QVD  ${p.file}  ${p.outcome}`),
      });
      bar.done();
      const failed = result.failed.length + qvds.failed.length;
      await recordOperatorEvent(ctx, paths.dataDir, {
        action: 'key.rotate', outcome: failed === 0 ? 'success' : 'failure', target: { type: 'EncryptionKey', id: values.to.toLowerCase() },
        details: { rewrapped: result.rewrapped, encrypted: result.encrypted, skipped: result.skipped, failed: result.failed.length, qvdRewrapped: qvds.rewrapped, qvdSkipped: qvds.skipped, qvdFailed: qvds.failed.length },
      });
      ctx.out(`rekeyed ${result.rewrapped} app(s), ${result.encrypted} newly encrypted, ${result.skipped} already under ${values.to.slice(0, 12)}…`);
      ctx.out(`rekeyed ${qvds.rewrapped} encrypted QVD(s) in ${dataVolume}, ${qvds.skipped} already under ${values.to.slice(0, 12)}…`);
      for (const f of result.failed) ctx.warn(`app ${f.appId}: ${f.message}`);
      for (const f of qvds.failed) ctx.warn(`QVD ${f.file}: ${f.message}`);
      return failed === 0 ? 0 : 1;
    } finally {
      keyStore.close();
    }
  },
};
