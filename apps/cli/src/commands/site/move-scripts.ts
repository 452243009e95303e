import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { AppStoreError, decodeAppDocument, encodeAppDocument, type AppStore } from '@trustzone/app-store';

/*
 * Load scripts used to sit in plaintext in the repository database (App.script), often with inline
 * section-access tables. They now live in the app file, encrypted with the app. This moves them:
 * each script into its app's document (a new file for an app never reloaded), then the column is
 * emptied; the migration `script_in_app_file` refuses to drop the column while a script is left.
 * Afterwards nothing of the text may stay behind in the database files: SQLite deletes securely,
 * then is checkpointed (WAL truncated) and VACUUMed; PostgreSQL gets VACUUM FULL on "App".
 */

export interface ScriptMoveResult {
  /** False when the database has no script column any more (already migrated) or does not exist. */
  pending: boolean;
  moved: string[];
  failed: { appId: string; message: string }[];
}

interface ScriptRows {
  hasColumn(): Promise<boolean>;
  scripts(): Promise<{ id: string; script: string }[]>;
  /** Empties the column of one app, unless the script changed meanwhile. */
  clear(id: string, script: string): Promise<void>;
  /** Leaves no trace of removed text in the database files. */
  scrub(): Promise<void>;
  close(): Promise<void>;
}

function sqliteRows(file: string): ScriptRows {
  const db = new Database(file, { fileMustExist: true });
  // Freed cells and pages are overwritten with zeros, so an emptied script leaves no copy behind.
  db.pragma('secure_delete = ON');
  return {
    hasColumn: async () => db.prepare("SELECT 1 FROM pragma_table_info('App') WHERE name = 'script'").get() !== undefined,
    scripts: async () => db.prepare("SELECT id, script FROM \"App\" WHERE script <> '' ORDER BY id").all() as { id: string; script: string }[],
    clear: async (id, script) => {
      db.prepare('UPDATE "App" SET script = \'\' WHERE id = ? AND script = ?').run(id, script);
    },
    scrub: async () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.exec('VACUUM');
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    close: async () => {
      db.close();
    },
  };
}

async function postgresRows(url: string): Promise<ScriptRows> {
  const u = new URL(url);
  const schema = u.searchParams.get('schema') ?? 'public';
  u.searchParams.delete('schema');
  const client = new Client({ connectionString: u.toString() });
  await client.connect();
  const table = `"${schema.replace(/"/g, '""')}"."App"`;
  return {
    hasColumn: async () => (await client.query("SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'App' AND column_name = 'script'", [schema])).rowCount! > 0,
    scripts: async () => (await client.query<{ id: string; script: string }>(`SELECT id, script FROM ${table} WHERE script <> '' ORDER BY id`)).rows,
    clear: async (id, script) => {
      await client.query(`UPDATE ${table} SET script = '' WHERE id = $1 AND script = $2`, [id, script]);
    },
    // Rewrites the table without the dead row versions that still held the scripts.
    scrub: async () => {
      await client.query(`VACUUM FULL ${table}`);
    },
    close: () => client.end(),
  };
}

/** `openStore` is called only when there is a script to move (a new site needs no app keys for this). */
export async function moveScriptsToAppFiles(databaseUrl: string, openStore: () => Promise<AppStore>): Promise<ScriptMoveResult> {
  let rows: ScriptRows;
  if (databaseUrl.startsWith('file:')) {
    const file = databaseUrl.slice('file:'.length);
    if (!existsSync(file)) return { pending: false, moved: [], failed: [] };
    rows = sqliteRows(file);
  } else if (/^postgres(ql)?:\/\//.test(databaseUrl)) rows = await postgresRows(databaseUrl);
  else throw new Error('the database URL must start with file: or postgresql://');
  try {
    if (!(await rows.hasColumn())) return { pending: false, moved: [], failed: [] };
    const moved: string[] = [];
    const failed: { appId: string; message: string }[] = [];
    const pending = await rows.scripts();
    const store = pending.length > 0 ? await openStore() : null;
    for (const { id, script } of pending) {
      try {
        // The database's script wins over one already in the file: it is the one never moved.
        await store!.update(id, (current) => encodeAppDocument(current === null ? { model: null, script } : { ...decodeAppDocument(current), script }));
        await rows.clear(id, script);
        moved.push(id);
      } catch (e) {
        failed.push({ appId: id, message: e instanceof AppStoreError || e instanceof Error ? e.message : String(e) });
      }
    }
    await rows.scrub();
    return { pending: true, moved, failed };
  } finally {
    await rows.close();
  }
}
