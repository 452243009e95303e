import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { AppAuthKey, openKeyStore, type KeyStore } from '@trustzone/app-store';
import { createTestCertificate } from '@trustzone/testing';
import { ReloadFileHost, type ReloadFileHostOptions } from './reload-file-host';
import type { FileReply, FileRequest } from './reload-protocol';

/**
 * Threat: a reload script (untrusted, possibly compromised worker) overwrites files it should not
 * — outside its connections, in read-only connections, through symlinks, or the engine's own
 * temp/lock files — or an encrypted QVD's plaintext lands on disk.
 */
let root: string;
let keys: KeyStore;
const MARKER = 'MARKER-c0ffee-secret-revenue-row';
const payload = new TextEncoder().encode(`<?xml version="1.0"?>${MARKER}`);
const AUTH_BYTES = randomBytes(32);

beforeAll(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'tz-filehost-')));
  for (const d of ['out/sub', 'ro', 'apps', 'elsewhere']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'elsewhere', 'victim.qvd'), 'precious');
  symlinkSync(join(root, 'elsewhere'), join(root, 'out', 'link-dir'));
  symlinkSync(join(root, 'elsewhere', 'victim.qvd'), join(root, 'out', 'link.qvd'));
  keys = await openKeyStore(join(root, 'keys'), { watch: false });
  const cert = createTestCertificate({ commonName: 'QVD key' });
  await keys.addKey(cert.certPem, cert.keyPem);
});
afterAll(() => {
  keys.close();
  rmSync(root, { recursive: true, force: true });
});

function host(extra: Partial<ReloadFileHostOptions> = {}): ReloadFileHost {
  return new ReloadFileHost({
    connections: [{ name: 'out', dir: join(root, 'out'), writable: true }, { name: 'ro', dir: join(root, 'ro'), writable: false }],
    keyStore: keys, authKey: AppAuthKey.fromBytes(AUTH_BYTES), lockDir: join(root, 'apps'), maxFileBytes: 1 << 20, maxWrites: 100, maxWrittenBytes: 1 << 22, ...extra,
  });
}

const write = (h: ReloadFileHost, connection: string, path: string, kind: 'qvd' | 'text' = 'qvd', bytes = payload): Promise<FileReply> =>
  h.handle({ type: 'file-request', id: 1, op: 'write', connection, path, kind, bytes } as FileRequest);

const refusedWith = (r: FileReply): string => {
  if (r.ok) throw new Error('expected a refusal');
  expect(r.message).not.toContain(root); // replies reach the script author: no server paths
  return r.message;
};

const everyFile = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));

describe('ReloadFileHost', () => {
  it('stores an encrypted QVD when the site has a key: no plaintext anywhere under the data folders, and it opens again', async () => {
    const h = host();
    expect(await write(h, 'out', 'sub/sales.qvd')).toEqual({ type: 'file-reply', id: 1, ok: true });
    expect(readFileSync(join(root, 'out', 'sub', 'sales.qvd')).subarray(0, 4).toString()).toBe('TZAP');
    for (const f of everyFile(root)) expect(readFileSync(f).includes(MARKER), f).toBe(false);
    const opened = await h.handle({ type: 'file-request', id: 2, op: 'open-sealed', connection: 'out', path: 'sub/sales.qvd' });
    expect(opened.ok && new TextDecoder().decode(opened.bytes)).toBe(new TextDecoder().decode(payload));
  });

  it('writes text STOREs and key-less QVDs as they are', async () => {
    expect((await write(host(), 'out', 'table.csv', 'text')).ok).toBe(true);
    expect(readFileSync(join(root, 'out', 'table.csv')).includes(MARKER)).toBe(true);
    expect((await write(host({ keyStore: undefined }), 'out', 'plain.qvd')).ok).toBe(true);
    expect(readFileSync(join(root, 'out', 'plain.qvd')).includes(MARKER)).toBe(true);
  });

  it('refuses writes to read-only or ungranted connections, outside the folder, through symlinks, and to reserved names', async () => {
    const h = host();
    expect(refusedWith(await write(h, 'ro', 'x.qvd'))).toMatch(/may not be written.*Update/);
    expect(refusedWith(await write(h, 'nope', 'x.qvd'))).toMatch(/not granted/);
    expect(refusedWith(await write(h, 'out', '../elsewhere/victim.qvd'))).toMatch(/\.\./);
    expect(refusedWith(await write(h, 'out', 'link-dir/victim.qvd'))).toMatch(/symbolic link/);
    expect(refusedWith(await write(h, 'out', 'link.qvd'))).toMatch(/not a regular file/);
    expect(refusedWith(await write(h, 'out', 'missing/x.qvd'))).toMatch(/folder does not exist/);
    expect(refusedWith(await write(h, 'out', 'sub'))).toMatch(/not a regular file/);
    expect(refusedWith(await write(h, 'out', '.lock-data-x'))).toMatch(/reserved/);
    expect(readFileSync(join(root, 'elsewhere', 'victim.qvd'), 'utf8')).toBe('precious');
  });

  it('bounds what one reload may write: per file, number of files, total bytes', async () => {
    expect(refusedWith(await write(host({ maxFileBytes: 10 }), 'out', 'big.qvd'))).toMatch(/maxFileBytes/);
    const twice = host({ maxWrites: 1 });
    expect((await write(twice, 'out', 'a.qvd')).ok).toBe(true);
    expect(refusedWith(await write(twice, 'out', 'b.qvd'))).toMatch(/more than 1 STOREs/);
    expect(refusedWith(await write(host({ maxWrittenBytes: 10 }), 'out', 'c.qvd'))).toMatch(/more than 10 bytes/);
  });

  it('opens encrypted files only inside granted connections, and refuses altered ones', async () => {
    const h = host();
    expect(refusedWith(await h.handle({ type: 'file-request', id: 3, op: 'open-sealed', connection: 'out', path: '../elsewhere/victim.qvd' }))).toMatch(/\.\./);
    expect(refusedWith(await h.handle({ type: 'file-request', id: 4, op: 'open-sealed', connection: 'secret', path: 'x.qvd' }))).toMatch(/not granted/);
    await write(h, 'out', 'tampered.qvd');
    const file = join(root, 'out', 'tampered.qvd');
    const bytes = readFileSync(file);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
    writeFileSync(file, bytes);
    expect(refusedWith(await h.handle({ type: 'file-request', id: 5, op: 'open-sealed', connection: 'out', path: 'tampered.qvd' }))).toMatch(/failed authentication/);
  });
});
