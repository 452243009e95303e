import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { certsStatus } from './certs-status';
import { rotateServiceCert } from './cert-rotation';
import { upgradeSiteLayout } from './site-upgrade';
import { loadTlsMaterial } from './tls-material';
import { cloneTempSite, type TempSite } from './test-support/temp-site';

const NAMES = ['root', 'client-facing-ca', 'client-facing', 'proxy', 'repository', 'engine', 'cli'];
let site: TempSite;

/** The layout before the private/ split: every key beside its certificate in certs/. */
function toLegacyLayout(): void {
  for (const n of NAMES) renameSync(site.paths.key(n), site.paths.legacyKey(n));
  rmSync(site.paths.private, { recursive: true });
}

beforeEach(async () => {
  site = await cloneTempSite();
  toLegacyLayout();
});
afterEach(() => site.cleanup());

describe('a site from before the private/ split', () => {
  it('keeps working as it is, and status says to upgrade', async () => {
    expect(loadTlsMaterial({ certsDir: site.paths.certs, name: 'engine' }).identity?.kind).toBe('service');
    expect(certsStatus(site.paths.dataDir).layoutWarning).toMatch(/private keys in .*certs.*tz site upgrade/);
    // A rotation writes the new key to the new place and leaves no old key behind.
    await rotateServiceCert(site.paths.dataDir, 'engine');
    expect(readdirSync(site.paths.certs)).not.toContain('engine_key.pem');
    expect(loadTlsMaterial({ certsDir: site.paths.certs, name: 'engine' }).keyPem).toBe(readFileSync(site.paths.key('engine'), 'utf8'));
  });

  it('tz site upgrade moves every key to its own folder, keeps modes, and is idempotent', async () => {
    const before = Object.fromEntries(NAMES.map((n) => [n, readFileSync(site.paths.legacyKey(n), 'utf8')]));
    const r = await upgradeSiteLayout(site.paths.dataDir);
    expect([...r.moved].sort()).toEqual([...NAMES].sort());
    expect(r.conflicts).toEqual([]);
    for (const n of NAMES) {
      expect(readFileSync(site.paths.key(n), 'utf8')).toBe(before[n]);
      expect(statSync(site.paths.key(n)).mode & 0o777).toBe(0o600);
      expect(statSync(site.paths.keyDir(n)).mode & 0o777).toBe(0o700);
    }
    expect(readdirSync(site.paths.certs).filter((f) => f.endsWith('_key.pem'))).toEqual([]);
    expect(certsStatus(site.paths.dataDir).layoutWarning).toBeUndefined();
    expect(await upgradeSiteLayout(site.paths.dataDir)).toEqual({ moved: [], conflicts: [] });
    expect(loadTlsMaterial({ certsDir: site.paths.certs, name: 'proxy' }).identity?.kind).toBe('service');
  });

  it('leaves a key that differs from one already in private/ where it is, and says so', async () => {
    mkdirSync(site.paths.keyDir('proxy'), { recursive: true, mode: 0o700 });
    writeFileSync(site.paths.key('proxy'), readFileSync(site.paths.legacyKey('engine')), { mode: 0o600 });
    const r = await upgradeSiteLayout(site.paths.dataDir);
    expect(r.conflicts).toEqual(['proxy']);
    expect(readdirSync(site.paths.certs)).toContain('proxy_key.pem');
  });
});
