import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identityAllowList, identityToString, identityToUri, parseIdentityUri, SERVICE_NAMES, type ServiceIdentity } from './service-identity';
import { TrustError } from './trust.error';

const siteId = fc.uuid().map((u) => u.toLowerCase());
const identity: fc.Arbitrary<ServiceIdentity> = fc.oneof(
  fc.record({ kind: fc.constant('service' as const), siteId, service: fc.constantFrom(...SERVICE_NAMES) }),
  fc.record({ kind: fc.constant('integration' as const), siteId, name: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,63}$/) }),
);

describe('service identity URIs', () => {
  it('round-trips every valid identity through its URI', () => {
    fc.assert(
      fc.property(identity, (id) => {
        expect(parseIdentityUri(identityToUri(id))).toEqual(id);
      }),
    );
  });

  it('spells service and integration identities in short form', () => {
    const site = randomUUID();
    expect(identityToUri({ kind: 'service', siteId: site, service: 'engine' })).toBe(`urn:trustzone:${site}:engine`);
    expect(identityToString({ kind: 'integration', siteId: site, name: 'portal' })).toBe('integration:portal');
  });

  it.each([
    ['another scheme', (s: string) => `spiffe://${s}/proxy`],
    ['unknown service', (s: string) => `urn:trustzone:${s}:scheduler`],
    ['upper-case site id', (s: string) => `urn:trustzone:${s.toUpperCase()}:proxy`],
    ['extra segment', (s: string) => `urn:trustzone:${s}:proxy:admin`],
    ['integration without name', (s: string) => `urn:trustzone:${s}:integration:`],
    ['integration name with a slash', (s: string) => `urn:trustzone:${s}:integration:a/b`],
    ['trailing space', (s: string) => `urn:trustzone:${s}:proxy `],
  ])('refuses %s', (_label, make) => {
    expect(() => parseIdentityUri(make(randomUUID()))).toThrow(TrustError);
  });

  it('never throws anything but a TrustError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        try {
          parseIdentityUri(s);
        } catch (e) {
          expect(e).toBeInstanceOf(TrustError);
        }
      }),
    );
  });

  it('allow-lists by short name, independent of the site', () => {
    const allow = identityAllowList(['proxy', 'integration:portal']);
    const site = randomUUID();
    expect(allow({ kind: 'service', siteId: site, service: 'proxy' })).toBe(true);
    expect(allow({ kind: 'service', siteId: site, service: 'engine' })).toBe(false);
    expect(allow({ kind: 'integration', siteId: site, name: 'portal' })).toBe(true);
    expect(allow({ kind: 'integration', siteId: site, name: 'proxy' })).toBe(false);
  });
});
