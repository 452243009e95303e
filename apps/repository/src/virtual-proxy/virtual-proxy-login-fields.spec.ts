import Sqlite from 'better-sqlite3';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@trustzone/contracts';
import { DbErrorCode } from '../db/db.error';
import { parseDatabaseUrl, type DbProvider } from '../db/database-url';
import { migrateDatabase, migrationsDirFor } from '../db/migrate-database';
import { openDatabase } from '../db/open-database';
import { createRepositoryStores, type RepositoryStores } from '../db/repository-stores';
import { ACTOR, unique } from '../db/store-fixtures';
import { createTestDatabase, freshDatabaseUrl, PRISMA_ROOT, type TestDatabase, testProviders } from '../db/test-database';
import type { VirtualProxyRecord } from '../db';
import { virtualProxyKind } from '../entities/kinds/virtual-proxy.kind';
import { virtualProxyWire } from './virtual-proxy-wire';

// Issue 15, findings 6 and 7: who may send a header virtual proxy's header, and which issuer and
// audience a JWT virtual proxy's tokens must carry — stored, validated, migrated, and sent to the proxy.
const LOOPBACK = ['127.0.0.1/32', '::1/128'];
const MIGRATION = '20261206201716_vp_header_sources_jwt_issuer';

describe.each(testProviders())('virtual proxy login fields on %s', (provider) => {
  let t: TestDatabase;
  let s: RepositoryStores;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    s = createRepositoryStores(t.db);
  });
  afterAll(() => t?.dispose());

  it('a new virtual proxy trusts loopback for its header; a list is stored canonical; a bad entry is refused naming it', async () => {
    const plain = await s.virtualProxies.create({ prefix: unique('hdr'), authenticationMethod: 'header', headerAuthenticationHeaderName: 'X-Remote-User' }, ACTOR);
    expect(plain.headerAuthenticationTrustedSources).toEqual(LOOPBACK);
    const gw = await s.virtualProxies.create({ prefix: unique('gw'), headerAuthenticationTrustedSources: ['10.20.0.0/16', '2001:DB8::/32'] }, ACTOR);
    expect(gw.headerAuthenticationTrustedSources).toEqual(['10.20.0.0/16', '2001:db8::/32']);
    expect((await s.virtualProxies.get(gw.id)).headerAuthenticationTrustedSources).toEqual(['10.20.0.0/16', '2001:db8::/32']);
    for (const [bad, field] of [[['10.20.0.1/16'], 'headerAuthenticationTrustedSources.0'], [['10.0.0.0/8', 'gateway'], 'headerAuthenticationTrustedSources.1'], [Array.from({ length: 65 }, () => '10.0.0.0/8'), 'headerAuthenticationTrustedSources']] as const) {
      await expect(s.virtualProxies.update(gw.id, gw.modifiedDate, { headerAuthenticationTrustedSources: [...bad] }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput, field });
    }
    await t.db.virtualProxyConfig.update({ where: { id: gw.id }, data: { headerAuthenticationTrustedSources: '["0.0.0.0/0", "nope"]' } });
    await expect(s.virtualProxies.get(gw.id)).rejects.toMatchObject({ code: DbErrorCode.CorruptData, field: 'headerAuthenticationTrustedSources' });
    await s.virtualProxies.delete(gw.id);
  });

  it('jwtIssuer is stored and sent to the proxy; an empty one is left out of what the proxy reads', async () => {
    const vp = await s.virtualProxies.create({ prefix: unique('jwt'), authenticationMethod: 'jwt', jwtIssuer: 'https://idp.example.com/', jwtAudience: 'tz' }, ACTOR);
    expect(virtualProxyWire(vp)).toMatchObject({ jwtIssuer: 'https://idp.example.com/', jwtAudience: 'tz', headerAuthenticationTrustedSources: LOOPBACK });
    expect(virtualProxyWire({ ...vp, jwtIssuer: '' })).not.toHaveProperty('jwtIssuer');
  });
});

describe('the /qrs virtualproxyconfig body', () => {
  const body = { authenticationMethod: 'jwt', jwtPublicKeyCertificate: 'pem', jwtAttributeUserId: 'sub', jwtAttributeUserDirectory: '[CORP]' };
  const refusal = async (f: () => unknown) => {
    try {
      await f();
    } catch (e) {
      return e as { code: string; field?: string };
    }
    throw new Error('expected a refusal');
  };
  const w = {} as never;

  it('a JWT virtual proxy needs jwtIssuer and jwtAudience on create (400 naming the field)', async () => {
    expect(await refusal(() => virtualProxyKind.planCreate({ prefix: 'j', ...body, jwtAudience: 'tz' }, w, 'id'))).toMatchObject({ code: ErrorCode.InvalidArgument, field: 'body.jwtIssuer' });
    expect(await refusal(() => virtualProxyKind.planCreate({ prefix: 'j', ...body, jwtIssuer: 'https://idp' }, w, 'id'))).toMatchObject({ field: 'body.jwtAudience' });
    expect(await refusal(() => virtualProxyKind.planCreate({ prefix: 'j', ...body, jwtIssuer: '  ', jwtAudience: 'tz' }, w, 'id'))).toMatchObject({ field: 'body.jwtIssuer' });
    expect(await virtualProxyKind.planCreate({ prefix: 'j', ...body, jwtIssuer: 'https://idp', jwtAudience: 'tz' }, w, 'id')).toHaveProperty('commit');
    expect(await virtualProxyKind.planCreate({ prefix: 't', authenticationMethod: 'ticket' }, w, 'id')).toHaveProperty('commit');
  });

  it('an update may neither clear them nor switch a proxy to JWT without them', async () => {
    const current = { id: 'id', prefix: 'j', authenticationMethod: 'jwt', jwtIssuer: 'https://idp', jwtAudience: 'tz' } as unknown as VirtualProxyRecord;
    const modifiedDate = new Date().toISOString();
    expect(await refusal(() => virtualProxyKind.planUpdate({ modifiedDate, jwtIssuer: '' }, current, w))).toMatchObject({ field: 'body.jwtIssuer' });
    expect(await refusal(() => virtualProxyKind.planUpdate({ modifiedDate, jwtAudience: '' }, current, w))).toMatchObject({ field: 'body.jwtAudience' });
    expect(await virtualProxyKind.planUpdate({ modifiedDate, description: 'x' }, current, w)).toHaveProperty('commit');
    const ticket = { id: 'id', prefix: 't', authenticationMethod: 'ticket', jwtIssuer: '', jwtAudience: '' } as unknown as VirtualProxyRecord;
    expect(await refusal(() => virtualProxyKind.planUpdate({ modifiedDate, ...body, jwtAudience: 'tz' }, ticket, w))).toMatchObject({ field: 'body.jwtIssuer' });
  });
});

describe.each(testProviders())('the migration that adds them, on an existing %s site', (provider: DbProvider) => {
  const scratch = mkdtempSync(join(tmpdir(), 'tz-vp-migration-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('gives existing header virtual proxies loopback-only trusted sources and JWT ones an empty issuer, keeping their engines', async () => {
    const all = migrationsDirFor(PRISMA_ROOT, provider);
    const before = join(scratch, 'before');
    cpSync(all, before, { recursive: true });
    // A site of that time: this migration and every later one not yet applied.
    const pending = readdirSync(all).filter((m) => m >= MIGRATION && m !== 'migration_lock.toml').sort();
    for (const m of pending) rmSync(join(before, m), { recursive: true });
    expect(pending[0]).toBe(MIGRATION);
    const f = freshDatabaseUrl(provider);
    try {
      await migrateDatabase({ url: f.url, migrationsDir: before });
      await rowsOfAnOlderSite(f.url);
      expect((await migrateDatabase({ url: f.url, migrationsDir: all })).applied).toEqual(pending);
      const db = await openDatabase({ url: f.url });
      try {
        const stores = createRepositoryStores(db.db);
        const hdr = await stores.virtualProxies.findByPrefix('hdr');
        expect(hdr).toMatchObject({ authenticationMethod: 'header', headerAuthenticationHeaderName: 'X-Remote-User', headerAuthenticationTrustedSources: LOOPBACK, jwtIssuer: '' });
        expect(hdr?.loadBalancingServerNodes.map((n) => n.hostName)).toEqual(['engine1.example.com']);
        expect(await stores.virtualProxies.findByPrefix('jwt')).toMatchObject({ jwtIssuer: '', jwtAudience: 'tz' });
      } finally {
        await db.close();
      }
    } finally {
      await f.drop();
    }
  });
});

/** Rows as a site made before the migration holds them, written with the SQL of that time. */
async function rowsOfAnOlderSite(url: string): Promise<void> {
  const statements = [
    `INSERT INTO "ServerNode" ("id", "modifiedByUserName", "name", "hostName") VALUES ('00000000-0000-4000-8000-0000000000e1', 'x', 'Engine 1', 'engine1.example.com')`,
    `INSERT INTO "VirtualProxyConfig" ("id", "modifiedByUserName", "prefix", "authenticationMethod", "headerAuthenticationHeaderName", "headerAuthenticationStaticUserDirectory") VALUES ('00000000-0000-4000-8000-0000000000f1', 'x', 'hdr', 'header', 'X-Remote-User', 'CORP')`,
    `INSERT INTO "VirtualProxyConfig" ("id", "modifiedByUserName", "prefix", "authenticationMethod", "jwtAudience") VALUES ('00000000-0000-4000-8000-0000000000f2', 'x', 'jwt', 'jwt', 'tz')`,
    `INSERT INTO "VirtualProxyServerNode" ("virtualProxyId", "serverNodeId") VALUES ('00000000-0000-4000-8000-0000000000f1', '00000000-0000-4000-8000-0000000000e1')`,
  ];
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
