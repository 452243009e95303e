import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { readSecretFile } from '@trustzone/config';
import { readSiteManifest, sitePaths } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../../cli.error';
import { type Command } from '../../command';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs } from '../../parse-command-args';
import { BACKUP_PARTS, copyWithMode, listFiles, pgConnection, sha256File } from './backup-files';

export interface BackupManifest {
  version: 1;
  createdAt: string;
  siteId: string;
  siteName: string;
  database: { provider: 'sqlite' | 'postgresql'; file: string };
  /** Relative path → SHA-256, checked before a restore writes anything. */
  files: Record<string, string>;
}

/**
 * The site's database: --database-url, else TZ_DATABASE_URL, else the file TZ_DATABASE_URL_FILE
 * names (the compose `init` gets the URL only as a secret file, as the repository does: without
 * this, `docker compose run --rm init tz site backup` looked for a SQLite file and failed — found
 * running the compose site in real containers, issue 20), else the site's SQLite file.
 */
export function databaseUrlOf(flag: string | undefined, env: NodeJS.ProcessEnv, dataDir: string): string {
  const file = env['TZ_DATABASE_URL_FILE'];
  return flag ?? env['TZ_DATABASE_URL'] ?? (file ? readSecretFile(file, 'TZ_DATABASE_URL_FILE') : `file:${join(dataDir, 'db', 'repository.db')}`);
}

/**
 * Online backup of a site: the database first (SQLite's backup API or pg_dump: a consistent
 * snapshot while the repository keeps writing), then certificates, keys, app files (each written
 * atomically by the engine, so every copy is whole) and the audit log (append-only; a record being
 * written at that instant is cut off and ignored on restore, the chain before it verifies).
 */
export const siteBackupCommand: Command = {
  name: 'backup',
  summary: 'back up a (running) site: database, certificates, keys, apps and audit log into a new folder',
  usage: ['tz site backup --out DIR [--database-url URL] [--data-dir DIR]', `  ${DATA_DIR_USAGE}`, '  --database-url URL   default: TZ_DATABASE_URL (or the file TZ_DATABASE_URL_FILE names), else the SQLite file of the site'].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs('site', argv, { ...DATA_DIR_OPTION, out: { type: 'string' }, 'database-url': { type: 'string' } });
    if (!values.out) throw new CliError(CliErrorCode.Usage, 'tz site backup needs --out DIR');
    const out = resolve(ctx.cwd, values.out);
    if (existsSync(out) && readdirSync(out).length > 0) throw new CliError(CliErrorCode.Usage, `${out} is not empty: a backup goes into a new folder`);
    const dataDir = dataDirFrom(values, ctx);
    const site = readSiteManifest(sitePaths(dataDir).siteJson);
    mkdirSync(out, { recursive: true, mode: 0o700 });

    const url = databaseUrlOf(values['database-url'], ctx.env, dataDir);
    let database: BackupManifest['database'];
    if (url.startsWith('file:')) {
      const db = new Database(url.slice('file:'.length), { readonly: true, fileMustExist: true });
      try {
        await db.backup(join(out, 'database.sqlite'));
      } finally {
        db.close();
      }
      database = { provider: 'sqlite', file: 'database.sqlite' };
    } else if (/^postgres(ql)?:\/\//.test(url)) {
      try {
        const pg = pgConnection(url);
        execFileSync('pg_dump', ['--format=custom', '--no-owner', `--file=${join(out, 'database.pgdump')}`, `--dbname=${pg.dbname}`], { stdio: ['ignore', 'ignore', 'pipe'], env: pg.env });
      } catch (e) {
        throw new CliError(CliErrorCode.Usage, `pg_dump failed: ${String((e as { stderr?: Buffer }).stderr ?? e).split('\n')[0]}`);
      }
      database = { provider: 'postgresql', file: 'database.pgdump' };
    } else throw new CliError(CliErrorCode.Usage, 'the database URL must start with file: or postgresql://');
    ctx.out(`database (${database.provider}) dumped`);

    const files: Record<string, string> = { [database.file]: sha256File(join(out, database.file)) };
    for (const rel of listFiles(dataDir, BACKUP_PARTS)) {
      copyWithMode(join(dataDir, rel), join(out, 'data', rel));
      files[join('data', rel)] = sha256File(join(out, 'data', rel));
    }
    const manifest: BackupManifest = { version: 1, createdAt: new Date().toISOString(), siteId: site.siteId, siteName: site.siteName, database, files };
    writeFileSync(join(out, 'backup.json'), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
    ctx.out(`backup of site '${site.siteName}' written to ${out} (${Object.keys(files).length} files)`);
    ctx.warn('the backup holds private keys: keep it as protected as the data directory');
    return 0;
  },
};
