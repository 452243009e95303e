import Sqlite from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DbErrorCode } from './db.error';
import { parseDatabaseUrl, type DbProvider } from './database-url';
import { migrateDatabase, migrationsDirFor } from './migrate-database';
import { openDatabase } from './open-database';
import { createRepositoryStores } from './repository-stores';
import { freshDatabaseUrl, PRISMA_ROOT, testProviders } from './test-database';

const scratch = mkdtempSync(join(tmpdir(), 'tz-migrations-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A private copy of a provider's migration folder that a test may edit. */
function copyMigrations(provider: DbProvider): string {
  const dir = mkdtempSync(join(scratch, `${provider}-`));
  cpSync(migrationsDirFor(PRISMA_ROOT, provider), dir, { recursive: true });
  return dir;
}

const folderNames = (dir: string) => readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

/** Table names, read straight from the database catalog ([] when the SQLite file was never created). */
async function tables(url: string): Promise<string[]> {
  const target = parseDatabaseUrl(url);
  if (target.provider === 'sqlite') {
    if (!existsSync(target.file)) return [];
    const db = new Sqlite(target.file, { readonly: true });
    try {
      return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    const r = await client.query<{ name: string }>('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [target.schema]);
    return r.rows.map((x) => x.name);
  } finally {
    await client.end();
  }
}

/** Runs SQL statements straight on the database (no Prisma), e.g. to write rows an older schema had. */
async function execSql(url: string, statements: string[]): Promise<void> {
  const target = parseDatabaseUrl(url);
  if (target.provider === 'sqlite') {
    const db = new Sqlite(target.file);
    try {
      for (const sql of statements) db.prepare(sql).run();
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${target.schema}"`);
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

describe.each(testProviders())('migrateDatabase on %s', (provider) => {
  const migrationsDir = migrationsDirFor(PRISMA_ROOT, provider);
  const drops: (() => Promise<void>)[] = [];
  const fresh = () => {
    const f = freshDatabaseUrl(provider);
    drops.push(f.drop);
    return f.url;
  };
  afterAll(async () => {
    for (const drop of drops) await drop();
  });

  it('applies every migration to an empty database once, and nothing on the next start', async () => {
    const url = fresh();
    const first = await migrateDatabase({ url, migrationsDir });
    expect(first).toEqual({ provider, applied: folderNames(migrationsDir) });
    expect(await migrateDatabase({ url, migrationsDir })).toEqual({ provider, applied: [] });
    expect(await tables(url)).toEqual(expect.arrayContaining(['User', 'App', 'SecurityRule', 'VirtualProxyConfig', '_prisma_migrations']));
    const db = await openDatabase({ url });
    try {
      expect(await createRepositoryStores(db.db).apps.count()).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('user groups of an older database become QRS-set Group attributes after the user\'s own attributes', async () => {
    const url = fresh();
    const dir = copyMigrations(provider);
    const groupsMigration = folderNames(dir).find((n) => n.endsWith('_user_attributes_source'))!;
    const later = join(scratch, `later-${provider}-${Date.now()}`);
    mkdirSync(later);
    cpSync(join(dir, groupsMigration), join(later, groupsMigration), { recursive: true });
    rmSync(join(dir, groupsMigration), { recursive: true });
    await migrateDatabase({ url, migrationsDir: dir });
    const id = '11111111-2222-4333-8444-555555555555';
    await execSql(url, [
      `INSERT INTO "User" ("id", "modifiedByUserName", "userDirectory", "userId", "identityKey", "name") VALUES ('${id}', 'INTERNAL\\sa_test', 'CORP', 'olga', 'corp\\olga', 'Olga')`,
      `INSERT INTO "UserAttribute" ("id", "userRef", "position", "attributeType", "attributeValue") VALUES ('a1', '${id}', 0, 'email', 'olga@x')`,
      `INSERT INTO "UserGroup" ("userRef", "name") VALUES ('${id}', 'West'), ('${id}', 'East')`,
    ]);
    cpSync(join(later, groupsMigration), join(dir, groupsMigration), { recursive: true });
    expect(await migrateDatabase({ url, migrationsDir: dir })).toEqual({ provider, applied: [groupsMigration] });
    expect(await tables(url)).not.toContain('UserGroup');
    const db = await openDatabase({ url });
    try {
      const olga = await createRepositoryStores(db.db).users.get(id);
      expect(olga.groups).toEqual(['East', 'West']);
      expect(olga.attributes).toEqual([
        { type: 'email', value: 'olga@x', externalId: '', source: 'qrs' },
        { type: 'Group', value: 'East', externalId: '', source: 'qrs' },
        { type: 'Group', value: 'West', externalId: '', source: 'qrs' },
      ]);
    } finally {
      await db.close();
    }
  });

  it('applies each migration exactly once when several services start together', async () => {
    const url = fresh();
    const results = await Promise.all([1, 2, 3].map(() => migrateDatabase({ url, migrationsDir })));
    expect(results.flatMap((r) => r.applied).sort()).toEqual(folderNames(migrationsDir));
  });

  it('refuses to start when an applied migration was edited afterwards', async () => {
    const url = fresh();
    const dir = copyMigrations(provider);
    await migrateDatabase({ url, migrationsDir: dir });
    appendFileSync(join(dir, folderNames(dir)[0]!, 'migration.sql'), '\n-- edited\n');
    await expect(migrateDatabase({ url, migrationsDir: dir })).rejects.toMatchObject({ code: DbErrorCode.MigrationFailed, message: expect.stringContaining('edited') });
  });

  it('refuses a database that has migrations this code does not know (older code, newer database)', async () => {
    const url = fresh();
    await migrateDatabase({ url, migrationsDir });
    const dir = copyMigrations(provider);
    for (const name of folderNames(dir)) rmSync(join(dir, name), { recursive: true });
    await expect(migrateDatabase({ url, migrationsDir: dir })).rejects.toMatchObject({ code: DbErrorCode.MigrationFailed, message: expect.stringContaining('not in the migrations folder') });
  });

  it('a failing migration leaves no table and no history behind, and applies once fixed', async () => {
    const url = fresh();
    const dir = copyMigrations(provider);
    const broken = join(dir, '99990101000000_broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'migration.sql'), 'CREATE TABLE "Zed" ("id" TEXT NOT NULL);\nINSERT INTO "NoSuchTable" VALUES (1);\n');
    await expect(migrateDatabase({ url, migrationsDir: dir })).rejects.toMatchObject({ code: DbErrorCode.MigrationFailed });
    expect(await tables(url)).not.toContain('Zed');
    expect(await tables(url)).toContain('User');
    writeFileSync(join(broken, 'migration.sql'), 'CREATE TABLE "Zed" ("id" TEXT NOT NULL);\n');
    expect((await migrateDatabase({ url, migrationsDir: dir })).applied).toEqual(['99990101000000_broken']);
    expect(await tables(url)).toContain('Zed');
  });

  it("refuses the other provider's migrations before touching the database", async () => {
    const url = fresh();
    const other = migrationsDirFor(PRISMA_ROOT, provider === 'sqlite' ? 'postgresql' : 'sqlite');
    await expect(migrateDatabase({ url, migrationsDir: other })).rejects.toMatchObject({ code: DbErrorCode.MigrationFailed });
    await expect(migrateDatabase({ url, migrationsDir: join(scratch, 'missing') })).rejects.toMatchObject({ code: DbErrorCode.MigrationFailed });
    expect(await tables(url)).toEqual([]);
  });
});

describe('openDatabase', () => {
  it('refuses a SQLite file that does not exist (no silent empty database)', async () => {
    const url = `file:${join(scratch, 'nope', 'repository.db')}`;
    await expect(openDatabase({ url })).rejects.toMatchObject({ code: DbErrorCode.Unavailable });
    expect(existsSync(join(scratch, 'nope'))).toBe(false);
  });

  it.each(testProviders())('refuses an unmigrated %s database', async (provider) => {
    const f = freshDatabaseUrl(provider);
    try {
      // An existing but empty SQLite file (the PostgreSQL schema simply does not exist yet).
      if (provider === 'sqlite') new Sqlite(f.url.slice('file:'.length)).close();
      await expect(openDatabase({ url: f.url })).rejects.toMatchObject({ code: DbErrorCode.Unavailable });
    } finally {
      await f.drop();
    }
  });

  it('reports an unreachable PostgreSQL server as Unavailable without the password', async () => {
    const err = await openDatabase({ url: 'postgresql://tz:hunter2@127.0.0.1:1/tz' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: DbErrorCode.Unavailable });
    expect((err as Error).message).not.toContain('hunter2');
  });

  it('the Prisma CLI agrees with the history this runner records (SQLite)', async () => {
    const f = freshDatabaseUrl('sqlite');
    try {
      await migrateDatabase({ url: f.url, migrationsDir: migrationsDirFor(PRISMA_ROOT, 'sqlite') });
      const repoRoot = resolve(PRISMA_ROOT, '..');
      const r = spawnSync(process.execPath, [join(repoRoot, 'node_modules/prisma/build/index.js'), 'migrate', 'status', '--config', join(PRISMA_ROOT, 'sqlite/prisma.config.ts')], {
        cwd: repoRoot,
        env: { ...process.env, TZ_DATABASE_URL: f.url, CHECKPOINT_DISABLE: '1' },
        encoding: 'utf8',
      });
      expect(`${r.stdout}${r.stderr}`).toContain('Database schema is up to date');
      expect(r.status).toBe(0);
    } finally {
      await f.drop();
    }
  });
});
