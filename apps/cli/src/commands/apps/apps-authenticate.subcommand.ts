import { appAuthKeyPath, authenticateApps, createAppAuthKey, loadAppAuthKey, openKeyStore } from '@trustzone/app-store';
import { sitePaths } from '@trustzone/trust';
import { type Command } from '../../command';
import { recordOperatorEvent } from '../../operator-audit';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs } from '../../parse-command-args';
import { progressLine } from '../../progress-line';

/**
 * The documented way from unauthenticated (format 1) app files to authenticated ones: creates the
 * site's app authentication key when the site predates it, then rewrites every format-1 file whose
 * own checks pass under it. Engines refuse format 1 until then (fail closed). It trusts the files
 * on disk, so it names every file it migrated (output and audit record) for the operator to check.
 */
export const appsAuthenticateCommand: Command = {
  name: 'authenticate',
  summary: 'authenticate app files written before this site had an app authentication key (once, after upgrading)',
  usage: [
    'tz apps authenticate [--data-dir DIR]',
    `  ${DATA_DIR_USAGE}`,
    '  Creates <keys>/app-auth.key if missing, then rewrites every format-1 app file (after checking it)',
    '  in the authenticated format. Run it only on app files you trust (restore from a backup first if in doubt).',
  ].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs('apps', argv, { ...DATA_DIR_OPTION });
    const paths = sitePaths(dataDirFrom(values, ctx));
    const file = ctx.env['TZ_APP_AUTH_KEY_FILE'] ?? appAuthKeyPath(paths.keys);
    if (await createAppAuthKey(file)) ctx.out(`app authentication key created: ${file} (engines need it: restart them after this command)`);
    const authKey = await loadAppAuthKey(file);
    const keyStore = await openKeyStore(paths.keys, { watch: false });
    const bar = progressLine(ctx);
    try {
      const result = await authenticateApps({ appsDir: paths.apps, keyStore, authKey, onProgress: (p) => bar.update(`authenticate ${p.index}/${p.total}  ${p.appId}  ${p.outcome}`) });
      bar.done();
      await recordOperatorEvent(ctx, paths.dataDir, {
        action: 'app.authenticate', outcome: result.failed.length === 0 ? 'success' : 'failure', target: { type: 'Site', id: 'apps' },
        details: { authenticated: result.authenticated.slice(0, 200), authenticatedCount: result.authenticated.length, skipped: result.skipped, failed: result.failed.map((f) => ({ appId: f.appId, code: f.code })) },
      });
      for (const id of result.authenticated) ctx.out(`authenticated ${id}`);
      ctx.out(`${result.authenticated.length} app file(s) authenticated, ${result.skipped} already authenticated, ${result.failed.length} refused`);
      for (const f of result.failed) ctx.warn(`app ${f.appId}: ${f.message}`);
      return result.failed.length === 0 ? 0 : 1;
    } finally {
      keyStore.close();
    }
  },
};
