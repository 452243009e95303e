import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSite, type TestSite } from '@trustzone/testing';
import { readSiteManifest } from '@trustzone/trust';
import { siteFromTrust } from './site-from-trust';

describe('the site an export names, from the engine certificate alone (engines do not mount site.json)', () => {
  let site: TestSite;
  beforeAll(async () => {
    site = await createTestSite({ siteName: 'north-plant' });
  });
  afterAll(() => site?.cleanup());

  it('names the same site id and name as site.json', () => {
    const manifest = readSiteManifest(site.paths.siteJson);
    const named = siteFromTrust(site.store('engine').current());
    expect(named.siteId).toBe(manifest.siteId);
    expect(named.siteName).toBe(manifest.siteName);
    expect(named.cas.map((c) => c.fingerprint256)).toEqual(site.store('engine').current().trustedCas.map((c) => c.fingerprint256));
  });

  it('refuses material without a trust-zone identity', () => {
    const m = site.store('engine').current();
    expect(() => siteFromTrust({ ...m, identity: null })).toThrow(/no trust-zone identity/);
  });
});
