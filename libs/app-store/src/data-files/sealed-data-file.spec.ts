import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestCertificate, type TestCertificate } from '@trustzone/testing';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';
import { openKeyStore, type KeyStore } from '../keys/key-store';
import { AUTH, derThumbprint, tempDir } from '../testing/key-fixture';
import { rekeyDataFiles } from './rekey-data-files';
import { isSealedDataFile, readDataFile, writeDataFile } from './sealed-data-file';

let certA: TestCertificate;
let certB: TestCertificate;
let dir: string;
let cleanup: () => void;
let keys: KeyStore;
const MARKER = 'MARKER-7f3a9c-plaintext-must-not-reach-disk';
const payload = Buffer.from(`<?xml version="1.0"?><QvdTableHeader>${MARKER.repeat(50)}</QvdTableHeader>`);

beforeAll(() => {
  [certA, certB] = [createTestCertificate({ commonName: 'A' }), createTestCertificate({ commonName: 'B' })];
});

beforeEach(async () => {
  ({ dir, cleanup } = tempDir('tz-datafile-'));
  mkdirSync(join(dir, 'data', 'sales'), { recursive: true });
  mkdirSync(join(dir, 'apps'));
  keys = await openKeyStore(join(dir, 'keys'), { watch: false });
});
afterEach(() => {
  keys.close();
  cleanup();
});

const lockDir = () => join(dir, 'apps');
const everyFileUnder = (root: string): string[] => readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof AppStoreError ? e.code : String(e);
  }
}

describe('data files (QVDs) at rest', () => {
  it('with an active key: the file is the authenticated envelope, the plaintext is nowhere on disk, and it reads back', async () => {
    await keys.addKey(certA.certPem, certA.keyPem);
    const file = join(dir, 'data', 'sales', 'orders.qvd');
    const written = await writeDataFile(file, payload, { seal: true, keyStore: keys, auth: AUTH, lockDir: lockDir() });
    expect(written.thumbprint).toBe(derThumbprint(certA.certPem));
    expect(isSealedDataFile(readFileSync(file))).toBe(true);
    for (const f of everyFileUnder(dir)) expect(readFileSync(f).includes(MARKER), f).toBe(false);
    expect((await readDataFile(file, keys, AUTH, 1 << 20)).bytes.equals(payload)).toBe(true);
  });

  it('without an active key a QVD is written as it is (Qlik can read it); text is never sealed', async () => {
    const file = join(dir, 'data', 'sales', 'plain.qvd');
    await writeDataFile(file, payload, { seal: true, keyStore: keys, auth: AUTH, lockDir: lockDir() });
    expect(readFileSync(file).equals(payload)).toBe(true);
    await keys.addKey(certA.certPem, certA.keyPem);
    await writeDataFile(join(dir, 'data', 'sales', 'x.csv'), payload, { seal: false, keyStore: keys, auth: AUTH, lockDir: lockDir() });
    expect(readFileSync(join(dir, 'data', 'sales', 'x.csv')).equals(payload)).toBe(true);
    expect(await readDataFile(file, keys, AUTH, 1 << 20)).toMatchObject({ sealed: false });
  });

  it('refuses to write unencrypted when the site encrypts but its active key is gone', async () => {
    await keys.addKey(certA.certPem, certA.keyPem);
    writeFileSync(join(dir, 'keys', 'active'), `${'0'.repeat(64)}\n`);
    await keys.reload();
    expect(await code(writeDataFile(join(dir, 'data', 'a.qvd'), payload, { seal: true, keyStore: keys, auth: AUTH, lockDir: lockDir() }))).toBe(AppStoreErrorCode.ActiveKeyMissing);
  });

  it('a sealed file whose key the site lacks, or whose bytes were altered, is refused whole', async () => {
    await keys.addKey(certA.certPem, certA.keyPem);
    const file = join(dir, 'data', 'sales', 'orders.qvd');
    await writeDataFile(file, payload, { seal: true, keyStore: keys, auth: AUTH, lockDir: lockDir() });
    const other = await openKeyStore(join(dir, 'other-keys'), { watch: false });
    await other.addKey(certB.certPem, certB.keyPem);
    expect(await code(readDataFile(file, other, AUTH, 1 << 20))).toBe(AppStoreErrorCode.UnknownKey);
    other.close();
    const bytes = readFileSync(file);
    bytes[bytes.length - 40] = bytes[bytes.length - 40]! ^ 1;
    writeFileSync(file, bytes);
    expect(await code(readDataFile(file, keys, AUTH, 1 << 20))).toBe(AppStoreErrorCode.AuthFailed);
    expect(await code(readDataFile(file, keys, AUTH, 100))).toBe(AppStoreErrorCode.PayloadTooLarge);
  });

  it('does not read through a symbolic link', async () => {
    writeFileSync(join(dir, 'target.qvd'), payload);
    symlinkSync(join(dir, 'target.qvd'), join(dir, 'data', 'link.qvd'));
    expect(await code(readDataFile(join(dir, 'data', 'link.qvd'), keys, AUTH, 1 << 20))).toMatch(/ELOOP/);
  });

  it('rekey re-wraps every encrypted QVD on the data volume, leaves plain ones plain, and is idempotent', async () => {
    await keys.addKey(certA.certPem, certA.keyPem);
    const files = [join(dir, 'data', 'sales', 'a.qvd'), join(dir, 'data', 'b.QVD')];
    for (const f of files) await writeDataFile(f, payload, { seal: true, keyStore: keys, auth: AUTH, lockDir: lockDir() });
    writeFileSync(join(dir, 'data', 'plain.qvd'), payload);
    await keys.addKey(certB.certPem, certB.keyPem);
    const thumbB = derThumbprint(certB.certPem);
    const r = await rekeyDataFiles({ rootDir: join(dir, 'data'), keyStore: keys, toThumbprint: thumbB, authKey: AUTH, lockDir: lockDir() });
    expect(r).toEqual({ rewrapped: 2, skipped: 0, failed: [] });
    const onlyB = await openKeyStore(join(dir, 'only-b'), { watch: false });
    await onlyB.addKey(certB.certPem, certB.keyPem);
    for (const f of files) expect((await readDataFile(f, onlyB, AUTH, 1 << 20)).bytes.equals(payload)).toBe(true);
    onlyB.close();
    expect(readFileSync(join(dir, 'data', 'plain.qvd')).equals(payload)).toBe(true);
    expect(await rekeyDataFiles({ rootDir: join(dir, 'data'), keyStore: keys, toThumbprint: thumbB, authKey: AUTH, lockDir: lockDir() })).toEqual({ rewrapped: 0, skipped: 2, failed: [] });
  });
});
