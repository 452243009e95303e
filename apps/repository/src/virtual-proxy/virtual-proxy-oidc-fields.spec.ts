import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@trustzone/contracts';
import { createRepositoryStores, type RepositoryStores } from '../db/repository-stores';
import { ACTOR, unique } from '../db/store-fixtures';
import { createTestDatabase, type TestDatabase, testProviders } from '../db/test-database';
import type { VirtualProxyRecord } from '../db';
import { virtualProxyKind } from '../entities/kinds/virtual-proxy.kind';
import { openSecretBox } from '../secrets/secret-box';
import { virtualProxyWire } from './virtual-proxy-wire';

// Issue 19: OIDC virtual proxies — Qlik's field names, the client secret sealed at rest and never
// in a /qrs answer, everything the proxy needs sent to it.
const scratch = mkdtempSync(join(tmpdir(), 'tz-vp-oidc-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const SECRET = 'client-secret-that-must-not-leak';
const oidc = {
  authenticationMethod: 'oidc' as const,
  oidcConfigurationEndpointUri: 'https://idp.example.com/.well-known/openid-configuration',
  oidcClientId: 'trustzone',
  oidcClientSecret: SECRET,
  oidcRealm: 'CORP',
  oidcAttributeMap: { department: 'dept' },
};

describe.each(testProviders())('OIDC virtual proxy fields on %s', (provider) => {
  let t: TestDatabase;
  let s: RepositoryStores;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    s = createRepositoryStores(t.db, { secrets: openSecretBox(join(scratch, provider, 'secrets.key')) });
  });
  afterAll(() => t?.dispose());

  it('stores the client secret sealed, reads it back for the proxy, and never shows it in the /qrs JSON', async () => {
    const vp = await s.virtualProxies.create({ prefix: unique('oidc'), ...oidc }, ACTOR);
    const row = await t.db.virtualProxyConfig.findUniqueOrThrow({ where: { id: vp.id } });
    expect(row.oidcClientSecret.startsWith('tzenc:v1:')).toBe(true);
    expect(row.oidcClientSecret).not.toContain(SECRET);
    expect((await s.virtualProxies.get(vp.id)).oidcClientSecret).toBe(SECRET);
    expect(virtualProxyWire(vp)).toMatchObject({ authenticationMethod: 'oidc', oidcClientSecret: SECRET, oidcRealm: 'CORP', oidcScope: 'openid profile email', oidcAttributeSub: 'sub', oidcAttributeGroups: 'groups', oidcAttributeMap: { department: 'dept' } });
    const shown = JSON.stringify(virtualProxyKind.json({} as never, vp));
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain(row.oidcClientSecret);
    expect(JSON.parse(shown)).toMatchObject({ oidcClientSecretSet: true, oidcClientId: 'trustzone' });
  });

  it('a sealed value moved or tampered reads as no secret (logins fail closed); a store without a secrets key refuses to store one', async () => {
    const vp = await s.virtualProxies.create({ prefix: unique('oidc'), ...oidc }, ACTOR);
    const row = await t.db.virtualProxyConfig.findUniqueOrThrow({ where: { id: vp.id } });
    await t.db.virtualProxyConfig.update({ where: { id: vp.id }, data: { oidcClientSecret: `${row.oidcClientSecret.slice(0, -4)}AAAA` } });
    expect((await s.virtualProxies.get(vp.id)).oidcClientSecret).toBe('');
    const keyless = createRepositoryStores(t.db);
    await expect(keyless.virtualProxies.create({ prefix: unique('oidc'), ...oidc }, ACTOR)).rejects.toThrow(/secrets key/);
  });

  it('refuses a discovery URL the proxy must not fetch, naming the field', async () => {
    for (const uri of ['http://idp.example.com/.well-known/openid-configuration', 'https://u:p@idp.example.com/', 'ftp://idp.example.com/']) {
      await expect(s.virtualProxies.create({ prefix: unique('oidc'), ...oidc, oidcConfigurationEndpointUri: uri }, ACTOR)).rejects.toMatchObject({ field: 'oidcConfigurationEndpointUri' });
    }
  });
});

describe('the /qrs virtualproxyconfig body for OIDC', () => {
  const w = {} as never;
  const refusal = async (f: () => unknown) => {
    try {
      await f();
    } catch (e) {
      return e as { code: string; field?: string };
    }
    throw new Error('expected a refusal');
  };

  it.each(['oidcConfigurationEndpointUri', 'oidcClientId', 'oidcClientSecret', 'oidcRealm'])('an OIDC virtual proxy needs %s (400 naming it)', async (field) => {
    const { [field as keyof typeof oidc]: _drop, ...rest } = oidc;
    expect(await refusal(() => virtualProxyKind.planCreate({ prefix: 'o', ...rest }, w, 'id'))).toMatchObject({ code: ErrorCode.InvalidArgument, field: `body.${field}` });
  });

  it('the scope must ask for an ID token; an update cannot clear the secret of an OIDC virtual proxy', async () => {
    expect(await refusal(() => virtualProxyKind.planCreate({ prefix: 'o', ...oidc, oidcScope: 'profile' }, w, 'id'))).toMatchObject({ field: 'body.oidcScope' });
    expect(await refusal(() => virtualProxyKind.planCreate({ prefix: 'o', ...oidc, sameSite: 'Strict' }, w, 'id'))).toMatchObject({ field: 'body.sameSite' });
    expect(await virtualProxyKind.planCreate({ prefix: 'o', ...oidc }, w, 'id')).toHaveProperty('commit');
    const current = { id: 'id', prefix: 'o', ...oidc } as unknown as VirtualProxyRecord;
    expect(await refusal(() => virtualProxyKind.planUpdate({ modifiedDate: new Date().toISOString(), oidcClientSecret: '' }, current, w))).toMatchObject({ field: 'body.oidcClientSecret' });
  });
});
