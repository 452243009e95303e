import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCertificate } from '@trustzone/testing';
import { AppStoreErrorCode } from '../app-store.error';
import { openKeyStore, type KeyStore } from '../keys/key-store';
import { formatOne } from '../testing/legacy-format';
import { AUTH, derThumbprint, tempDir } from '../testing/key-fixture';
import { createAppStore, type AppStore } from './app-store';
import { authenticateApps } from './authenticate-apps';
import { rekeyApps } from './rekey-apps';

let dir: string;
let cleanup: () => void;
let keys: KeyStore;
let store: AppStore;
const cert = createTestCertificate({ commonName: 'apps' });
const payloads = new Map<string, Buffer>();

/** A site upgraded from format 1: two old files (one of each mode), one written since, one damaged. */
beforeEach(async () => {
  ({ dir, cleanup } = tempDir('tz-authenticate-'));
  keys = await openKeyStore(join(dir, 'keys'), { watch: false });
  await keys.addKey(cert.certPem, cert.keyPem);
  const apps = join(dir, 'apps');
  mkdirSync(apps, { recursive: true });
  store = await createAppStore({ appsDir: apps, keyStore: keys, authKey: AUTH });
  payloads.clear();
  const wrapping = keys.wrappingKey(derThumbprint(cert.certPem));
  for (const [id, key] of [['old-plain', undefined], ['old-enc', wrapping]] as const) {
    const p = randomBytes(5000);
    payloads.set(id, p);
    writeFileSync(join(apps, `${id}.tzapp`), formatOne(id, p, key));
  }
  const fresh = randomBytes(5000);
  payloads.set('new', fresh);
  await store.save('new', fresh);
  const damaged = formatOne('damaged', randomBytes(100), wrapping);
  damaged[damaged.length - 1]! ^= 1;
  writeFileSync(join(apps, 'damaged.tzapp'), damaged);
});
afterEach(() => {
  keys.close();
  cleanup();
});

describe('authenticateApps (tz apps authenticate)', () => {
  it('migrates sound format-1 files, leaves format 2 alone, refuses damaged ones, and names what it migrated', async () => {
    for (const id of ['old-plain', 'old-enc']) await expect(store.load(id)).rejects.toMatchObject({ code: AppStoreErrorCode.LegacyFormat });
    const before = readFileSync(join(dir, 'apps', 'new.tzapp'));
    const result = await authenticateApps({ appsDir: store.appsDir, keyStore: keys, authKey: AUTH });
    expect(result).toMatchObject({ total: 4, authenticated: ['old-enc', 'old-plain'], skipped: 1, failed: [{ appId: 'damaged', code: AppStoreErrorCode.AuthFailed }] });
    for (const [id, p] of payloads) expect((await store.load(id)).payload.equals(p), id).toBe(true);
    expect((await store.inspect('old-enc')).mode).toBe('encrypted');
    expect(readFileSync(join(dir, 'apps', 'new.tzapp')).equals(before)).toBe(true);
    // Idempotent.
    expect(await authenticateApps({ appsDir: store.appsDir, keyStore: keys, authKey: AUTH })).toMatchObject({ authenticated: [], skipped: 3 });
  });

  it('rekey does not pass a format-1 file off as done: it reports it, pointing at tz apps authenticate', async () => {
    const result = await rekeyApps({ authKey: AUTH, appsDir: store.appsDir, keyStore: keys, toThumbprint: derThumbprint(cert.certPem) });
    expect(result.failed.map((f) => [f.appId, f.code])).toEqual([['damaged', AppStoreErrorCode.LegacyFormat], ['old-enc', AppStoreErrorCode.LegacyFormat], ['old-plain', AppStoreErrorCode.LegacyFormat]]);
    expect(result.failed[0]!.message).toContain('tz apps authenticate');
  });
});
