import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeAppPackage, openAppPackage, parseAppPackage } from './app-package';
import { AppPackageErrorCode } from './app-package.error';

function rsa() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const thumbprint = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  return { publicKey, privateKey, thumbprint };
}
const site = rsa();
const partner = rsa();
const stranger = rsa();
const signer = rsa();
const manifest = { name: 'Sales', description: 'd', script: "LOAD * INLINE [a\n1];\nSECTION ACCESS;", exportedBy: 'CORP\\alice' };
const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
const encode = (recipients: { thumbprint: string; publicKey: KeyObject }[], d: Buffer | null = data) =>
  encodeAppPackage(manifest, d, { exportedAt: new Date(), source: { siteId: 's', siteName: 'A', appId: 'x' }, recipients, signer: { certificate: 'PEM', sign: (b) => sign('sha256', b, signer.privateKey) } });
const keysOf = (...ks: ReturnType<typeof rsa>[]) => (t: string) => ks.find((k) => k.thumbprint === t)?.privateKey;
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return 'no error';
};

describe('app packages', () => {
  it('round-trips for every recipient, with or without data, encrypted or not', () => {
    const file = encode([site, partner]);
    for (const k of [site, partner]) expect(openAppPackage(parseAppPackage(file), keysOf(k))).toEqual({ manifest, data });
    expect(openAppPackage(parseAppPackage(encode([])), keysOf())).toEqual({ manifest, data });
    expect(openAppPackage(parseAppPackage(encode([site], null)), keysOf(site))).toEqual({ manifest, data: null });
  });

  it('keeps name and script out of the readable header when encrypted', () => {
    const file = encode([site]);
    expect(file.includes(Buffer.from('SECTION ACCESS'))).toBe(false);
    expect(file.includes(Buffer.from('Sales'))).toBe(false);
    expect(encode([]).includes(Buffer.from('SECTION ACCESS'))).toBe(true);
  });

  it('refuses a package for other sites, a changed ciphertext, a changed plaintext, truncation and foreign bytes', () => {
    expect(codeOf(() => openAppPackage(parseAppPackage(encode([site])), keysOf(stranger)))).toBe(AppPackageErrorCode.NotForThisSite);
    const enc = encode([site]);
    const p = parseAppPackage(enc);
    const flipped = Buffer.from(enc);
    flipped[p.head.length + 10] = (flipped[p.head.length + 10] as number) ^ 1;
    expect(codeOf(() => openAppPackage(parseAppPackage(flipped), keysOf(site)))).toBe(AppPackageErrorCode.DecryptFailed);
    const plain = encode([]);
    const q = parseAppPackage(plain);
    const changed = Buffer.from(plain);
    changed[q.head.length + 100] = (changed[q.head.length + 100] as number) ^ 1;
    expect(codeOf(() => openAppPackage(parseAppPackage(changed), keysOf()))).toBe(AppPackageErrorCode.ChecksumMismatch);
    expect(codeOf(() => parseAppPackage(enc.subarray(0, enc.length - 5)))).toBe(AppPackageErrorCode.Malformed);
    expect(codeOf(() => parseAppPackage(Buffer.concat([enc, Buffer.from('x')])))).toBe(AppPackageErrorCode.Malformed);
    expect(codeOf(() => parseAppPackage(Buffer.from('PK\u0003\u0004 a zip')))).toBe(AppPackageErrorCode.NotAPackage);
  });
});
