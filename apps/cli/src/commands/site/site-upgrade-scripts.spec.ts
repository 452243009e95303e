import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appAuthKeyPath, createAppStore, decodeAppDocument, loadAppAuthKey, openKeyStore } from '@trustzone/app-store';
import { createTestCertificate } from '@trustzone/testing';
import { runTz } from '../../test-support/run-tz';

/*
 * `tz site upgrade` on a site whose database still holds load scripts (the schema before
 * `script_in_app_file`): the scripts move into the encrypted app files, and no byte of their text
 * stays in the database file or its WAL. The migration that drops the column refuses to run before.
 */
const MIGRATIONS = (provider: string) => resolve(__dirname, '../../../../../prisma', provider, 'migrations');
const MOVE = 'script_in_app_file';
const migrationSql = (provider: string) =>
  readdirSync(MIGRATIONS(provider)).filter((d) => /^\d{14}_/.test(d)).sort().map((d) => ({ name: d, sql: readFileSync(join(MIGRATIONS(provider), d, 'migration.sql'), 'utf8') }));

let base: string;
let site: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'tz-upgrade-scripts-'));
  site = join(base, 'site');
  expect(runTz(['init', '--data-dir', site, '--site-name', 'Upgrade', '--hosts', 'tz.test', '--admin', 'CORP\\admin']).code).toBe(0);
  const c = createTestCertificate({ commonName: 'app-key' });
  writeFileSync(join(base, 'k.crt'), c.certPem);
  writeFileSync(join(base, 'k.key'), c.keyPem, { mode: 0o600 });
  expect(runTz(['keys', 'add', join(base, 'k.crt'), join(base, 'k.key'), '--data-dir', site]).code).toBe(0);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const marker = () => `TZMARK${randomBytes(8).toString('hex')}`;
const scriptWith = (m: string) => `Section Access;\nSA: LOAD * INLINE [\nACCESS, USERID, REGION\nADMIN, CORP\\ADMIN, *\nUSER, CORP\\${m}, EU\n];\nSection Application;\nT: LOAD * INLINE [\nREGION, NOTE\nEU, ${m}\n];\n`;

async function appStore() {
  const keys = await openKeyStore(join(site, 'keys'), { watch: false });
  const store = await createAppStore({ appsDir: join(site, 'apps'), keyStore: keys, authKey: await loadAppAuthKey(appAuthKeyPath(join(site, 'keys'))) });
  return { store, close: () => keys.close() };
}

function insertApps(exec: (sql: string, params: unknown[]) => unknown, apps: { id: string; script: string }[]): void {
  const owner = randomUUID();
  exec('INSERT INTO "User" ("id", "modifiedByUserName", "userDirectory", "userId", "identityKey", "name") VALUES ($1, $2, $3, $4, $5, $6)', [owner, 'test', 'CORP', 'owner', `CORP\\OWNER${owner}`, 'Owner']);
  for (const a of apps) exec('INSERT INTO "App" ("id", "modifiedByUserName", "name", "ownerId", "script") VALUES ($1, $2, $3, $4, $5)', [a.id, 'test', `app ${a.id}`, owner, a.script]);
}

describe('tz site upgrade moves load scripts out of the database', () => {
  it('SQLite: every script ends up in its encrypted app file, none in the database file or its WAL', async () => {
    // A database as this site's repository left it before this version (tz init made a current one).
    const dbFile = join(base, 'old', 'repository.db');
    mkdirSync(join(base, 'old'), { recursive: true });
    const db = new Database(dbFile);
    db.pragma('journal_mode = WAL');
    const all = migrationSql('sqlite');
    for (const m of all.filter((x) => !x.name.endsWith(MOVE))) db.exec(m.sql);
    const marks = [marker(), marker()];
    // One app was reloaded before (a payload from before the app document: a bare model), one never.
    const apps = [{ id: randomUUID(), script: scriptWith(marks[0]!) }, { id: randomUUID(), script: scriptWith(marks[1]!) }];
    insertApps((sql, params) => db.prepare(sql.replace(/\$\d/g, '?')).run(...params), apps);
    const legacyModel = Buffer.from('an encoded data model from before the app document');
    const s = await appStore();
    await s.store.save(apps[0]!.id, legacyModel);
    // The guard: dropping the column while a script is in it fails and names the step to run.
    const move = all.find((x) => x.name.endsWith(MOVE))!;
    // (In one transaction, as the repository's migrator applies every migration.)
    db.exec('BEGIN');
    expect(() => db.exec(move.sql)).toThrow(/run_tz_site_upgrade_to_move_load_scripts_into_the_app_files/);
    db.exec('ROLLBACK');
    db.close();
    const raw = () => Buffer.concat([readFileSync(dbFile), existsSync(`${dbFile}-wal`) ? readFileSync(`${dbFile}-wal`) : Buffer.alloc(0)]);
    expect(raw().includes(marks[0]!)).toBe(true); // the check below can find the text

    const r = runTz(['site', 'upgrade', '--data-dir', site, '--database-url', `file:${dbFile}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('moved 2 load script(s)');
    for (const [i, a] of apps.entries()) {
      const doc = decodeAppDocument((await s.store.load(a.id)).payload);
      expect(doc.script).toBe(a.script);
      expect(doc.model === null ? null : Buffer.from(doc.model).toString()).toBe(i === 0 ? legacyModel.toString() : null);
      expect((await s.store.inspect(a.id)).mode).toBe('encrypted');
      expect(readFileSync(join(site, 'apps', `${a.id}.tzapp`)).includes(marks[i]!)).toBe(false);
    }
    s.close();
    for (const m of marks) expect(raw().includes(m), `${m} left in the database bytes`).toBe(false);

    // Now the migration goes through, and still no text appears; a rerun has nothing to do.
    const again = new Database(dbFile);
    again.exec(move.sql);
    again.close();
    for (const m of marks) expect(raw().includes(m)).toBe(false);
    const rerun = runTz(['site', 'upgrade', '--data-dir', site, '--database-url', `file:${dbFile}`]);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).not.toContain('load script');
  });

  it.skipIf(!process.env['TZ_TEST_PG_URL'])('PostgreSQL: the scripts move, the column is emptied, and the migration then applies', async () => {
    const url = process.env['TZ_TEST_PG_URL']!;
    const schema = `tz_upgrade_${randomBytes(4).toString('hex')}`;
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA "${schema}"`);
      await client.query(`SET search_path TO "${schema}"`);
      const all = migrationSql('postgresql');
      for (const m of all.filter((x) => !x.name.endsWith(MOVE))) await client.query(m.sql.replace(/CREATE SCHEMA IF NOT EXISTS "public";/g, ''));
      const apps = [{ id: randomUUID(), script: scriptWith(marker()) }];
      for (const a of apps) insertApps((sql, params) => client.query(sql, params), [a]);
      await new Promise((r) => setTimeout(r, 50));
      const move = all.find((x) => x.name.endsWith(MOVE))!;
      await expect(client.query(move.sql)).rejects.toThrow(/run_tz_site_upgrade_to_move_load_scripts_into_the_app_files/);
      const r = runTz(['site', 'upgrade', '--data-dir', site, '--database-url', `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('moved 1 load script(s)');
      expect((await client.query(`SELECT count(*)::int AS n FROM "App" WHERE script <> ''`)).rows[0]).toEqual({ n: 0 });
      const s = await appStore();
      expect(decodeAppDocument((await s.store.load(apps[0]!.id)).payload).script).toBe(apps[0]!.script);
      s.close();
      await client.query(move.sql);
    } finally {
      await client.query(`DROP SCHEMA "${schema}" CASCADE`).catch(() => undefined);
      await client.end();
    }
  });
});
