import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppStoreErrorCode } from '../app-store.error';
import type { KeyStore } from '../keys/key-store';
import { openKeyStore } from '../keys/key-store';
import { AUTH, derThumbprint, tempDir } from '../testing/key-fixture';
import type { TestCertificate } from '@trustzone/testing';
import { createTestCertificate } from '@trustzone/testing';
import type { AppStore } from './app-store';
import { createAppStore } from './app-store';
import { appKeyUsage } from './key-usage';
import type { RekeyProgress } from './rekey-apps';
import { rekeyApps } from './rekey-apps';

let certA: TestCertificate;
let certB: TestCertificate;
let certC: TestCertificate;
let dir: string;
let cleanup: () => void;
let keys: KeyStore;
let store: AppStore;
const payloads = new Map<string, Buffer>();
let thumbA: string;
let thumbB: string;

beforeAll(() => {
  [certA, certB, certC] = [createTestCertificate({ commonName: 'A' }), createTestCertificate({ commonName: 'B' }), createTestCertificate({ commonName: 'C' })];
  [thumbA, thumbB] = [derThumbprint(certA.certPem), derThumbprint(certB.certPem)];
});

/** Six apps: three under A, two checksummed-only (written before encryption was on), one already under B. */
beforeEach(async () => {
  ({ dir, cleanup } = tempDir('tz-rekey-'));
  keys = await openKeyStore(join(dir, 'keys'), { watch: false });
  store = await createAppStore({ appsDir: join(dir, 'apps'), keyStore: keys, authKey: AUTH });
  payloads.clear();
  const save = async (id: string) => {
    const p = randomBytes(20_000);
    payloads.set(id, p);
    await store.save(id, p);
  };
  await save('plain-1');
  await save('plain-2');
  await keys.addKey(certB.certPem, certB.keyPem);
  await save('b-1');
  await keys.addKey(certA.certPem, certA.keyPem);
  for (const id of ['a-1', 'a-2', 'a-3']) await save(id);
});
afterEach(() => {
  keys.close();
  cleanup();
});

async function expectAllReadable(): Promise<void> {
  for (const [id, payload] of payloads) expect((await store.load(id)).payload.equals(payload), id).toBe(true);
}

describe('rekeyApps', () => {
  it('re-wraps every app under the target, encrypts plain ones, and reports progress', async () => {
    const before = readFileSync(join(dir, 'apps', 'a-1.tzapp'));
    const progress: RekeyProgress[] = [];
    const result = await rekeyApps({ authKey: AUTH, appsDir: store.appsDir, keyStore: keys, toThumbprint: thumbB, onProgress: (p) => void progress.push(p) });
    expect(result).toEqual({ total: 6, rewrapped: 3, encrypted: 2, skipped: 1, failed: [] });
    expect(progress.map((p) => `${p.index}/${p.total} ${p.appId} ${p.outcome}`)).toEqual([
      '1/6 a-1 rewrapped', '2/6 a-2 rewrapped', '3/6 a-3 rewrapped', '4/6 b-1 skipped', '5/6 plain-1 encrypted', '6/6 plain-2 encrypted',
    ]);
    const usage = await appKeyUsage(store.appsDir);
    expect([...usage.byKey.entries()]).toEqual([[thumbB, ['a-1', 'a-2', 'a-3', 'b-1', 'plain-1', 'plain-2']]]);
    // Only the key slot changed: the last (IV + ciphertext + tag) bytes are identical.
    const after = readFileSync(join(dir, 'apps', 'a-1.tzapp'));
    const tail = 12 + 20_000 + 16;
    expect(after.subarray(-tail).equals(before.subarray(-tail))).toBe(true);
    // Removing the old key afterwards keeps every app readable.
    await keys.setActiveKey(thumbB);
    await keys.removeKey(thumbA);
    await expectAllReadable();
    expect(await rekeyApps({ authKey: AUTH, appsDir: store.appsDir, keyStore: keys, toThumbprint: thumbB })).toMatchObject({ skipped: 6, rewrapped: 0, encrypted: 0 });
  });

  it('resumes an interrupted run: every file stays whole, and a rerun finishes the rest', async () => {
    let seen = 0;
    const crash = rekeyApps({ authKey: AUTH,
      appsDir: store.appsDir, keyStore: keys, toThumbprint: thumbB,
      onProgress: () => {
        if (++seen === 2) throw new Error('simulated crash between files');
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    await expectAllReadable();
    const usage = await appKeyUsage(store.appsDir);
    expect(usage.byKey.get(thumbB)).toEqual(['a-1', 'a-2', 'b-1']);
    expect(usage.byKey.get(thumbA)).toEqual(['a-3']);
    // A crash in the middle of a file leaves only a temp file, which a rerun removes once stale.
    const leftover = join(store.appsDir, '.tmp-a-3.tzapp.0123456789ab');
    writeFileSync(leftover, randomBytes(100));
    utimesSync(leftover, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const rerun = await rekeyApps({ authKey: AUTH, appsDir: store.appsDir, keyStore: keys, toThumbprint: thumbB });
    expect(rerun).toEqual({ total: 6, rewrapped: 1, encrypted: 2, skipped: 3, failed: [] });
    expect(readdirSync(store.appsDir).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    await expectAllReadable();
  });

  it('reports an app it cannot re-wrap and carries on with the others', async () => {
    const elsewhere = await openKeyStore(join(dir, 'other-keys'), { watch: false });
    await elsewhere.addKey(certC.certPem, certC.keyPem);
    const foreign = await createAppStore({ appsDir: store.appsDir, keyStore: elsewhere, authKey: AUTH });
    await foreign.save('c-1', randomBytes(10));
    elsewhere.close();
    const result = await rekeyApps({ authKey: AUTH, appsDir: store.appsDir, keyStore: keys, toThumbprint: thumbB });
    expect(result.failed).toEqual([{ appId: 'c-1', code: AppStoreErrorCode.UnknownKey, message: expect.stringContaining('app c-1') }]);
    expect(result).toMatchObject({ total: 7, rewrapped: 3, encrypted: 2, skipped: 1 });
  });

  it('leaves plain files alone when asked, and refuses a target that is not in the key store', async () => {
    expect(await rekeyApps({ authKey: AUTH, appsDir: store.appsDir, keyStore: keys, toThumbprint: thumbB, encryptPlain: false })).toMatchObject({ rewrapped: 3, encrypted: 0, skipped: 3 });
    expect((await store.inspect('plain-1')).mode).toBe('checksummed');
    await expect(rekeyApps({ authKey: AUTH, appsDir: store.appsDir, keyStore: keys, toThumbprint: derThumbprint(certC.certPem) })).rejects.toMatchObject({ code: AppStoreErrorCode.KeyNotFound });
  });
});
