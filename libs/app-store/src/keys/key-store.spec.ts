import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, chownSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppStoreError } from '../app-store.error';
import { AppStoreErrorCode } from '../app-store.error';
import { derThumbprint, eventually, tempDir } from '../testing/key-fixture';
import type { TestCertificate } from '@trustzone/testing';
import { createTestCertificate } from '@trustzone/testing';
import type { KeyStore } from './key-store';
import { openKeyStore } from './key-store';

let certA: TestCertificate;
let certB: TestCertificate;
let dir: string;
let cleanup: () => void;
const stores: KeyStore[] = [];
beforeAll(() => {
  certA = createTestCertificate({ commonName: 'encryption A' });
  certB = createTestCertificate({ commonName: 'encryption B' });
});
beforeEach(() => {
  ({ dir, cleanup } = tempDir('tz-keys-'));
});
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  cleanup();
});
const open = async (watch = false): Promise<KeyStore> => {
  const store = await openKeyStore(join(dir, 'keys'), { watch, pollMs: 100 });
  stores.push(store);
  return store;
};
const keys = () => join(dir, 'keys');

describe('key store', () => {
  it('adds a key pair with safe modes and makes it active', async () => {
    const store = await open();
    expect(statSync(keys()).mode & 0o777).toBe(0o700);
    expect(store.encryptionStatus()).toEqual({ enabled: false, reason: 'no-active-key' });
    const info = await store.addKey(certA.certPem, certA.keyPem);
    const thumbprint = derThumbprint(certA.certPem);
    expect(info).toMatchObject({ thumbprint, active: true, subject: 'CN=encryption A' });
    expect(info.notAfter.getTime()).toBeGreaterThan(Date.now());
    expect(statSync(join(keys(), `${thumbprint}.key`)).mode & 0o777).toBe(0o600);
    expect(statSync(join(keys(), `${thumbprint}.crt`)).mode & 0o777).toBe(0o644);
    expect(readFileSync(join(keys(), 'active'), 'utf8').trim()).toBe(thumbprint);
    expect(store.encryptionStatus()).toEqual({ enabled: true, thumbprint });
  });

  it('keeps the active key when a key is added inactive, and switches on request', async () => {
    const store = await open();
    await store.addKey(certA.certPem, certA.keyPem);
    await store.addKey(certB.certPem, certB.keyPem, { inactive: true });
    const [a, b] = [derThumbprint(certA.certPem), derThumbprint(certB.certPem)];
    expect(store.listKeys().map((k) => [k.thumbprint, k.active])).toEqual([[a, true], [b, false]].sort((x, y) => String(x[0]).localeCompare(String(y[0]))));
    await store.setActiveKey(b);
    expect(store.encryptionStatus()).toEqual({ enabled: true, thumbprint: b });
  });

  it('refuses a mismatched pair, a weak or non-RSA key, garbage and an expired certificate', async () => {
    const store = await open();
    const weak = createTestCertificate({ bits: 1024 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const expired = createTestCertificate({ notAfter: new Date(Date.now() - 1000) });
    await expect(store.addKey(certA.certPem, certB.keyPem)).rejects.toMatchObject({ code: AppStoreErrorCode.KeyMismatch });
    await expect(store.addKey(weak.certPem, weak.keyPem)).rejects.toMatchObject({ code: AppStoreErrorCode.KeyTooWeak });
    await expect(store.addKey(certA.certPem, ec)).rejects.toMatchObject({ code: AppStoreErrorCode.KeyInvalid });
    await expect(store.addKey('not a cert', certA.keyPem)).rejects.toMatchObject({ code: AppStoreErrorCode.KeyInvalid });
    await expect(store.addKey(expired.certPem, expired.keyPem)).rejects.toMatchObject({ code: AppStoreErrorCode.KeyExpired });
    await expect(store.addKey(expired.certPem, expired.keyPem, { inactive: true })).resolves.toMatchObject({ active: false });
    expect(store.encryptionStatus()).toEqual({ enabled: false, reason: 'no-active-key' });
  });

  it('removes keys, refusing the active one unless forced', async () => {
    const store = await open();
    await store.addKey(certB.certPem, certB.keyPem, { inactive: true });
    const info = await store.addKey(certA.certPem, certA.keyPem);
    await expect(store.removeKey(info.thumbprint)).rejects.toMatchObject({ code: AppStoreErrorCode.KeyActive });
    await store.removeKey(derThumbprint(certB.certPem));
    await store.removeKey(info.thumbprint, { force: true });
    expect(store.listKeys()).toEqual([]);
    expect(store.encryptionStatus()).toEqual({ enabled: false, reason: 'no-active-key' });
    await expect(store.removeKey(info.thumbprint)).rejects.toMatchObject({ code: AppStoreErrorCode.KeyNotFound });
  });

  it('refuses to open when a key file is readable by others or owned by someone else, naming the file', async () => {
    const info = await (await open()).addKey(certA.certPem, certA.keyPem);
    const file = join(keys(), `${info.thumbprint}.key`);
    chmodSync(file, 0o640);
    await expect(openKeyStore(keys(), { watch: false })).rejects.toMatchObject({ code: AppStoreErrorCode.KeyFileUnsafe, message: expect.stringContaining(file) });
    chmodSync(file, 0o600);
    chownSync(file, 4321, 4321);
    await expect(openKeyStore(keys(), { watch: false })).rejects.toMatchObject({ code: AppStoreErrorCode.KeyFileUnsafe, message: expect.stringContaining('uid 4321') });
  });

  it('lets a running process pick up a key added by another process, without restart', async () => {
    const engine = await open(true);
    const changes: string[][] = [];
    engine.on('change', (list) => changes.push(list.map((k) => k.thumbprint)));
    const cli = await open(false);
    await cli.addKey(certA.certPem, certA.keyPem);
    const thumbprint = derThumbprint(certA.certPem);
    await eventually(() => engine.encryptionStatus().enabled);
    expect(engine.encryptionStatus()).toEqual({ enabled: true, thumbprint });
    expect(changes.at(-1)).toEqual([thumbprint]);
  });

  it('keeps its keys and reports when a reload finds an unsafe file', async () => {
    const engine = await open(true);
    await engine.addKey(certA.certPem, certA.keyPem);
    const failures: AppStoreError[] = [];
    engine.on('reload-failed', (e) => failures.push(e));
    const other = createTestCertificate();
    const thumb = derThumbprint(other.certPem);
    writeFileSync(join(keys(), `${thumb}.crt`), other.certPem);
    writeFileSync(join(keys(), `${thumb}.key`), other.keyPem, { mode: 0o644 });
    chmodSync(join(keys(), `${thumb}.key`), 0o644);
    await eventually(() => failures.length > 0);
    expect(failures[0]?.code).toBe(AppStoreErrorCode.KeyFileUnsafe);
    expect(engine.listKeys().map((k) => k.thumbprint)).toEqual([derThumbprint(certA.certPem)]);
  });

  it('drops every key when the folder is deleted, and says so', async () => {
    const engine = await open(true);
    await engine.addKey(certA.certPem, certA.keyPem);
    rmSync(keys(), { recursive: true });
    await eventually(() => !engine.encryptionStatus().enabled);
    expect(engine.encryptionStatus()).toEqual({ enabled: false, reason: 'key-store-missing' });
    expect(() => engine.privateKeyFor(derThumbprint(certA.certPem), 'app1')).toThrow(expect.objectContaining({ code: AppStoreErrorCode.KeyStoreMissing, message: expect.stringContaining(keys()) }));
  });
});
