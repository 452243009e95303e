import { appAuthKeyPath, createAppStore, loadAppAuthKey, openKeyStore } from '@trustzone/app-store';
import { readSecretFile } from '@trustzone/config';
import { sitePaths, upgradeSiteLayout } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../../cli.error';
import { type Command } from '../../command';
import { recordOperatorEvent } from '../../operator-audit';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs } from '../../parse-command-args';
import { moveScriptsToAppFiles } from './move-scripts';
import { databaseUrlOf } from './site-backup.subcommand';

export const siteUpgradeCommand: Command = {
  name: 'upgrade',
  summary: 'bring the data directory to the current layout (private keys into private/<name>/, load scripts into the app files)',
  usage: [
    'tz site upgrade [--database-url URL] [--data-dir DIR]',
    '  idempotent; docker/init-site.sh runs it on every start. Needed once after upgrading a site created',
    '  before private/ existed, before the compose file mounts private/<service> (deployment.md), and once',
    '  before the repository of this version starts on a database that still holds load scripts: it moves',
    '  each script into its (encrypted) app file and scrubs the database (the repository refuses to start',
    '  until then). Run it with the site stopped.',
    '  --database-url URL   default: TZ_DATABASE_URL (or the file TZ_DATABASE_URL_FILE names), else the SQLite file of the site',
    `  ${DATA_DIR_USAGE}`,
  ].join('\n'),
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('site', argv, { ...DATA_DIR_OPTION, 'database-url': { type: 'string' } }, true);
    if (positionals.length !== 0) throw new CliError(CliErrorCode.Usage, "tz site upgrade takes no arguments (see 'tz help site')");
    const dataDir = dataDirFrom(values, ctx);
    const r = await upgradeSiteLayout(dataDir);
    if (r.moved.length > 0) {
      await recordOperatorEvent(ctx, dataDir, { action: 'site.upgrade', outcome: 'success', details: { movedKeys: r.moved } });
      ctx.out(`moved ${r.moved.length} private key(s) to private/<name>/: ${r.moved.join(', ')}`);
    } else ctx.out('the site layout is current');
    for (const c of r.conflicts) ctx.warn(`warning: certs/${c}_key.pem differs from private/${c}/${c}_key.pem; left both as they are — keep the one that matches certs/${c}.pem and delete the other`);
    // The compose init gets the database as a secret file (TZ_DATABASE_URL_FILE), as the repository does.
    const fileUrl = values['database-url'] === undefined && ctx.env['TZ_DATABASE_URL'] === undefined && ctx.env['TZ_DATABASE_URL_FILE'] ? readSecretFile(ctx.env['TZ_DATABASE_URL_FILE'], 'TZ_DATABASE_URL_FILE') : undefined;
    const scripts = await moveScripts(dataDir, fileUrl ?? databaseUrlOf(values['database-url'], ctx.env, dataDir), ctx.env);
    if (scripts.pending) {
      await recordOperatorEvent(ctx, dataDir, {
        action: 'site.upgrade', outcome: scripts.failed.length === 0 ? 'success' : 'failure', target: { type: 'Site', id: 'scripts' },
        details: { movedScripts: scripts.moved.length, apps: scripts.moved.slice(0, 200), failed: scripts.failed.map((f) => f.appId) },
      });
      ctx.out(`moved ${scripts.moved.length} load script(s) from the database into the app files`);
      for (const f of scripts.failed) ctx.warn(`app ${f.appId}: the script stays in the database: ${f.message}`);
    }
    return r.conflicts.length > 0 || scripts.failed.length > 0 ? 1 : 0;
  },
};

async function moveScripts(dataDir: string, url: string, env: NodeJS.ProcessEnv) {
  const paths = sitePaths(dataDir);
  let keyStore: Awaited<ReturnType<typeof openKeyStore>> | undefined;
  try {
    return await moveScriptsToAppFiles(url, async () => {
      const authKey = await loadAppAuthKey(env['TZ_APP_AUTH_KEY_FILE'] ?? appAuthKeyPath(paths.keys));
      keyStore = await openKeyStore(paths.keys, { watch: false });
      return createAppStore({ appsDir: paths.apps, keyStore, authKey });
    });
  } finally {
    keyStore?.close();
  }
}
