import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppStoreErrorCode } from '../app-store.error';
import type { KeyStore } from '../keys/key-store';
import { openKeyStore } from '../keys/key-store';
import { AUTH, AUTH_HEX, derThumbprint, tempDir } from '../testing/key-fixture';
import type { TestCertificate } from '@trustzone/testing';
import { createTestCertificate } from '@trustzone/testing';
import { createAppStore } from './app-store';

let certA: TestCertificate;
let certB: TestCertificate;
let dir: string;
let cleanup: () => void;
const stores: KeyStore[] = [];
beforeAll(() => {
  certA = createTestCertificate({ commonName: 'A' });
  certB = createTestCertificate({ commonName: 'B' });
});
beforeEach(() => {
  ({ dir, cleanup } = tempDir('tz-apps-'));
});
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  cleanup();
});
const keyStore = async (name = 'keys', ...certs: TestCertificate[]): Promise<KeyStore> => {
  const store = await openKeyStore(join(dir, name), { watch: false });
  stores.push(store);
  for (const c of certs) await store.addKey(c.certPem, c.keyPem);
  return store;
};
const apps = () => join(dir, 'apps');

describe('app store', () => {
  it('encrypts under the active key with atomic, private files', async () => {
    const store = await createAppStore({ appsDir: apps(), keyStore: await keyStore('keys', certA), authKey: AUTH });
    const payload = Buffer.from('ORDERID,CUSTID\n'.repeat(2000));
    expect(await store.save('sales', payload)).toMatchObject({ mode: 'encrypted', thumbprint: derThumbprint(certA.certPem) });
    expect(readFileSync(join(apps(), 'sales.tzapp')).includes('ORDERID')).toBe(false);
    expect(statSync(apps()).mode & 0o777).toBe(0o700);
    expect(statSync(join(apps(), 'sales.tzapp')).mode & 0o777).toBe(0o600);
    expect(readdirSync(apps())).toEqual(['sales.tzapp']);
    expect((await store.load('sales')).payload.equals(payload)).toBe(true);
    expect(await store.inspect('sales')).toMatchObject({ mode: 'encrypted', thumbprint: derThumbprint(certA.certPem), payloadBytes: payload.length });
    expect(await store.list()).toEqual(['sales']);
    await store.remove('sales');
    await expect(store.load('sales')).rejects.toMatchObject({ code: AppStoreErrorCode.NotFound });
  });

  it('writes checksummed-only files and says encryption is off without an active key', async () => {
    const bare = await createAppStore({ appsDir: apps(), authKey: AUTH });
    expect(bare.encryptionStatus()).toEqual({ enabled: false, reason: 'no-active-key' });
    expect(await bare.save('a1', randomBytes(10))).toMatchObject({ mode: 'checksummed' });
    const keys = await keyStore();
    const store = await createAppStore({ appsDir: apps(), keyStore: keys, authKey: AUTH });
    expect(await store.save('a2', randomBytes(10))).toMatchObject({ mode: 'checksummed' });
    await keys.addKey(certA.certPem, certA.keyPem);
    expect(await store.save('a3', randomBytes(10))).toMatchObject({ mode: 'encrypted' });
    expect((await store.load('a1')).mode).toBe('checksummed');
  });

  it('cannot read an app encrypted under key A with only key B', async () => {
    const withA = await createAppStore({ appsDir: apps(), keyStore: await keyStore('keys-a', certA), authKey: AUTH });
    await withA.save('secret', randomBytes(100));
    const withB = await createAppStore({ appsDir: apps(), keyStore: await keyStore('keys-b', certB), authKey: AUTH });
    await expect(withB.load('secret')).rejects.toMatchObject({
      code: AppStoreErrorCode.UnknownKey,
      message: expect.stringContaining(`app secret: encrypted under key ${derThumbprint(certA.certPem)}`),
      details: expect.objectContaining({ appId: 'secret', region: 'key-slot', file: join(apps(), 'secret.tzapp') }),
    });
    const noKeys = await createAppStore({ appsDir: apps(), authKey: AUTH });
    await expect(noKeys.load('secret')).rejects.toMatchObject({ code: AppStoreErrorCode.UnknownKey });
  });

  it('refuses reads and writes once the key store folder is deleted', async () => {
    const keys = await keyStore('keys', certA);
    const store = await createAppStore({ appsDir: apps(), keyStore: keys, authKey: AUTH });
    await store.save('x', randomBytes(100));
    rmSync(keys.dir, { recursive: true });
    await keys.reload();
    await expect(store.load('x')).rejects.toMatchObject({ code: AppStoreErrorCode.KeyStoreMissing });
    await expect(store.save('y', randomBytes(10))).rejects.toMatchObject({ code: AppStoreErrorCode.KeyStoreMissing });
    expect(store.encryptionStatus()).toEqual({ enabled: false, reason: 'key-store-missing' });
  });

  it('refuses app ids that are not plain names', async () => {
    const store = await createAppStore({ appsDir: apps(), authKey: AUTH });
    for (const id of ['../etc/passwd', 'a/b', '', '.hidden', 'x'.repeat(129), 'a\u0000b', 'naïve']) {
      await expect(store.save(id, randomBytes(1))).rejects.toMatchObject({ code: AppStoreErrorCode.InvalidAppId });
      await expect(store.load(id)).rejects.toMatchObject({ code: AppStoreErrorCode.InvalidAppId });
    }
  });

  it('serialises concurrent saves of one app; the file is always one whole version', async () => {
    const store = await createAppStore({ appsDir: apps(), keyStore: await keyStore('keys', certA), authKey: AUTH });
    const versions = Array.from({ length: 8 }, () => randomBytes(50_000));
    await Promise.all(versions.map((v) => store.save('busy', v)));
    const loaded = (await store.load('busy')).payload;
    expect(versions.some((v) => v.equals(loaded))).toBe(true);
    expect(readdirSync(apps())).toEqual(['busy.tzapp']);
  });

  it('never leaves a half-written file under the real name when the writer is killed (kill -9)', async () => {
    const keys = await keyStore('keys', certA);
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../testing/app-save-child.ts', import.meta.url)), apps(), keys.dir, AUTH_HEX], { stdio: ['ignore', 'pipe', 'pipe'] });
    let saves = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        saves += d.toString().split('\n').filter(Boolean).length;
        // Kill at a moment chosen independently of the save loop, so some kills land mid-write.
        if (saves >= 3 && !child.killed) setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 40));
      });
      child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(stderr))));
    });
    const store = await createAppStore({ appsDir: apps(), keyStore: keys, authKey: AUTH });
    const payload = (await store.load('crash-app')).payload;
    expect(payload.length).toBe(8 * 1024 * 1024);
    expect([0xaa, 0xbb]).toContain(payload[0]);
    expect(payload.every((b) => b === payload[0])).toBe(true);
    expect(await store.list()).toEqual(['crash-app']);
  });
});
