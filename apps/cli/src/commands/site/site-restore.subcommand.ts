import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sitePaths, SITE_DIRS } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../../cli.error';
import { type Command } from '../../command';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs } from '../../parse-command-args';
import { copyWithMode, pgConnection, sha256File } from './backup-files';
import { databaseUrlOf, type BackupManifest } from './site-backup.subcommand';

/**
 * Restores a backup into a NEW data dir (and an empty database): every file is checked against the
 * backup's SHA-256 list before anything is written; an existing site is never overwritten.
 */
export const siteRestoreCommand: Command = {
  name: 'restore',
  summary: 'restore a backup into a new data directory and an empty database',
  usage: ['tz site restore --from DIR [--database-url URL] [--data-dir DIR]', `  ${DATA_DIR_USAGE} (must not hold a site)`, '  --database-url URL   PostgreSQL target (an empty database); default: SQLite in the new data dir'].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs('site', argv, { ...DATA_DIR_OPTION, from: { type: 'string' }, 'database-url': { type: 'string' } });
    if (!values.from) throw new CliError(CliErrorCode.Usage, 'tz site restore needs --from DIR');
    const from = resolve(ctx.cwd, values.from);
    const manifestFile = join(from, 'backup.json');
    if (!existsSync(manifestFile)) throw new CliError(CliErrorCode.Usage, `${manifestFile}: not a trustzone backup`);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BackupManifest;
    if (manifest.version !== 1) throw new CliError(CliErrorCode.Usage, `${manifestFile}: unsupported backup version ${String(manifest.version)}`);
    for (const [rel, hash] of Object.entries(manifest.files)) {
      const p = join(from, rel);
      if (!existsSync(p) || sha256File(p) !== hash) throw new CliError(CliErrorCode.Usage, `backup file ${rel} is missing or damaged; nothing was restored`);
    }
    const dataDir = dataDirFrom(values, ctx);
    const paths = sitePaths(dataDir);
    if (existsSync(paths.siteJson)) throw new CliError(CliErrorCode.Usage, `${dataDir} already holds a site; restore into a new data directory`);

    const url = values['database-url'] ?? ctx.env['TZ_DATABASE_URL'];
    if (manifest.database.provider === 'postgresql') {
      if (!url || !/^postgres(ql)?:\/\//.test(url)) throw new CliError(CliErrorCode.Usage, 'this backup holds a PostgreSQL dump: give --database-url postgresql://… (an empty database)');
      try {
        const pg = pgConnection(url);
        execFileSync('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${pg.dbname}`, join(from, manifest.database.file)], { stdio: ['ignore', 'ignore', 'pipe'], env: pg.env });
      } catch (e) {
        throw new CliError(CliErrorCode.Usage, `pg_restore failed: ${String((e as { stderr?: Buffer }).stderr ?? e).split('\n')[0]}`);
      }
    } else {
      const target = databaseUrlOf(url, {}, dataDir);
      if (!target.startsWith('file:')) throw new CliError(CliErrorCode.Usage, 'this backup holds a SQLite database: restore it into a file: URL');
      mkdirSync(join(dataDir, 'db'), { recursive: true, mode: SITE_DIRS.db });
      copyFileSync(join(from, manifest.database.file), target.slice('file:'.length));
    }
    for (const [dir, mode] of Object.entries(SITE_DIRS)) mkdirSync(join(dataDir, dir), { recursive: true, mode });
    // site.json last: its presence marks a complete site (as tz init does).
    const rels = Object.keys(manifest.files).filter((r) => r.startsWith('data/')).map((r) => r.slice('data/'.length));
    for (const rel of rels.filter((r) => r !== 'site.json')) copyWithMode(join(from, 'data', rel), join(dataDir, rel));
    copyWithMode(join(from, 'data', 'site.json'), paths.siteJson);
    ctx.out(`site '${manifest.siteName}' restored into ${dataDir} (backup of ${manifest.createdAt})`);
    return 0;
  },
};
