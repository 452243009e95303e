import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@trustzone/contracts';
import { createRepositoryStores, type RepositoryStores } from '../db/repository-stores';
import { ACTOR, unique } from '../db/store-fixtures';
import { createTestDatabase, type TestDatabase, testProviders } from '../db/test-database';
import { virtualProxyKind } from '../entities/kinds/virtual-proxy.kind';
import { virtualProxyWire } from './virtual-proxy-wire';

// Issue 19: SAML virtual proxies — Qlik's field names stored on both providers and sent to the proxy.
const METADATA = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`;
const saml = {
  authenticationMethod: 'saml' as const,
  samlMetadataIDP: METADATA,
  samlHostUri: 'https://qlik.example.com',
  samlEntityId: 'urn:trustzone:sp',
  samlAttributeUserDirectory: '[CORP]',
  samlAttributeMap: { groups: 'group' },
};

describe.each(testProviders())('SAML virtual proxy fields on %s', (provider) => {
  let t: TestDatabase;
  let s: RepositoryStores;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    s = createRepositoryStores(t.db);
  });
  afterAll(() => t?.dispose());

  it('stores and reads back every SAML setting, and sends them to the proxy with Qlik names', async () => {
    const vp = await s.virtualProxies.create({ prefix: unique('saml'), ...saml }, ACTOR);
    const back = await s.virtualProxies.get(vp.id);
    expect(back).toMatchObject({ ...saml, samlAttributeSigningAlgorithm: 'sha256', samlAttributeUserId: '' });
    const wire = virtualProxyWire(back);
    expect(wire).toMatchObject({ ...saml, samlAttributeSigningAlgorithm: 'sha256' });
    expect(wire).not.toHaveProperty('samlAttributeUserId');
  });

  it.each([
    ['samlMetadataIDP', `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${METADATA}`],
    ['samlMetadataIDP', '<html/>'],
    ['samlHostUri', 'http://qlik.example.com'],
    ['samlHostUri', 'https://qlik.example.com/x'],
    ['samlAttributeSigningAlgorithm', 'sha1'],
  ])('refuses a bad %s, naming it', async (field, value) => {
    await expect(s.virtualProxies.create({ prefix: unique('saml'), ...saml, [field]: value }, ACTOR)).rejects.toMatchObject({ field });
  });
});

describe('the /qrs virtualproxyconfig body for SAML', () => {
  const w = {} as never;
  const refusal = async (f: () => unknown) => {
    try {
      await f();
    } catch (e) {
      return e as { code: string; field?: string };
    }
    throw new Error('expected a refusal');
  };

  it.each(['samlMetadataIDP', 'samlHostUri', 'samlEntityId', 'samlAttributeUserDirectory'])('a SAML virtual proxy needs %s (400 naming it)', async (field) => {
    const { [field as keyof typeof saml]: _drop, ...rest } = saml;
    expect(await refusal(() => virtualProxyKind.planCreate({ prefix: 's', ...rest }, w, 'id'))).toMatchObject({ code: ErrorCode.InvalidArgument, field: `body.${field}` });
  });

  it('a Strict session cookie is refused (the login returns cross-site); a complete body plans', async () => {
    expect(await refusal(() => virtualProxyKind.planCreate({ prefix: 's', ...saml, sameSite: 'Strict' }, w, 'id'))).toMatchObject({ field: 'body.sameSite' });
    expect(await virtualProxyKind.planCreate({ prefix: 's', ...saml }, w, 'id')).toHaveProperty('commit');
  });
});
