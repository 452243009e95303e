import { describe, expect, it } from 'vitest';
import { createTestCertificate } from '@trustzone/testing';
import { parseVirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { parseIdpMetadata } from './saml-metadata';

const certB64 = createTestCertificate({ commonName: 'idp' }).certPem.replace(/-----[^-]+-----|\s/g, '');
const metadata = (sso = 'https://idp.example.com/sso', extra = '') =>
  `${extra}<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.com"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certB64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/slo"/><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${sso}"/></md:IDPSSODescriptor></md:EntityDescriptor>`;

const good = {
  prefix: 'saml',
  authenticationMethod: 'saml',
  samlMetadataIDP: metadata(),
  samlHostUri: 'https://qlik.example.com',
  samlEntityId: 'urn:trustzone:sp',
  samlAttributeUserDirectory: '[CORP]',
};
const fieldOf = (input: object) => {
  try {
    parseVirtualProxyConfig(input);
    return null;
  } catch (e) {
    return (e as { field?: string }).field;
  }
};

describe('SAML virtual proxy settings (Qlik field names)', () => {
  it('accepts a complete setting, with sha256 and an empty attribute map as defaults, and Qlik number 3 for saml', () => {
    expect(parseVirtualProxyConfig(good)).toMatchObject({ samlAttributeSigningAlgorithm: 'sha256', samlAttributeMap: {}, samlHostUri: 'https://qlik.example.com' });
    expect(parseVirtualProxyConfig({ ...good, authenticationMethod: 3 }).authenticationMethod).toBe('saml');
  });

  it.each(['samlMetadataIDP', 'samlHostUri', 'samlEntityId', 'samlAttributeUserDirectory'])('names %s when it is missing', (field) => {
    const { [field as keyof typeof good]: _drop, ...rest } = good;
    expect(fieldOf(rest)).toBe(field);
  });

  it.each([
    ['samlMetadataIDP', '<not-xml'],
    ['samlMetadataIDP', metadata('ftp://idp.example.com/sso')],
    ['samlMetadataIDP', metadata(undefined, '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>')],
    ['samlHostUri', 'http://qlik.example.com'],
    ['samlHostUri', 'https://qlik.example.com/path'],
    ['samlEntityId', 'has spaces'],
    ['samlAttributeSigningAlgorithm', 'sha1'],
    ['samlAttributeMap', { groups: 'bad name!' }],
    ['sameSite', 'Strict'],
  ])('names %s for a bad value', (field, value) => {
    expect(fieldOf({ ...good, [field]: value })).toMatch(new RegExp(`^${field}`));
  });

  it('reads the IdP entity id, endpoints and signing certificate from its metadata, and refuses a DOCTYPE (XXE)', () => {
    expect(parseIdpMetadata(metadata())).toEqual({ entityId: 'https://idp.example.com', ssoUrl: 'https://idp.example.com/sso', sloUrl: 'https://idp.example.com/slo', certificates: [certB64] });
    expect(parseIdpMetadata(metadata(undefined, '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'))).toMatch(/DOCTYPE/);
  });
});
