import { constants, createCipheriv, createDecipheriv, createHash, privateDecrypt, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { WrappingKey } from '../format/key-wrap';
import { AppPackageError, AppPackageErrorCode } from './app-package.error';

/*
 * The app package: how an app leaves a site (export) and enters one (upload), in trustzone's own
 * format. docs/operations.md "App export and import" explains the trust model. All integers big-endian.
 *
 *    0   4  magic "TZAX"
 *    4   2  version = 1
 *    6   4  header length H
 *   10   H  header, JSON (UTF-8): export id and time, source site, body length and SHA-256,
 *           encryption (null, or AES-256-GCM with the data key wrapped per recipient certificate),
 *           signer certificate (an engine of the exporting site)
 *        B  body: plaintext, or AES-256-GCM ciphertext (AAD = bytes 0..10+H) followed by its 16-byte tag
 *        2  signature length S
 *        S  signature (SHA-256) by the signer's key over every byte before the length
 *
 * Body plaintext: 4 manifest length M | M manifest JSON (name, description, exporter; `script` is
 * empty since the app document, and read only from older packages) | the app document as the app
 * file holds it (data model and load script, document/app-document.ts; absent when there is neither). The header says nothing an
 * outsider should not read: with encryption on, name and script travel inside the ciphertext.
 */
export const PACKAGE_MAGIC = Buffer.from('TZAX', 'ascii');
export const PACKAGE_VERSION = 1;
const FIXED = 10;
const TAG_BYTES = 16;
const MAX_HEADER = 256 * 1024;
const oaepLabel = (exportId: string) => Buffer.from(`trustzone-app-export:${exportId}`, 'utf8');

export interface AppManifest {
  name: string;
  description: string;
  script: string;
  exportedBy: string;
}

export interface PackageSource {
  siteId: string;
  siteName: string;
  appId: string;
}

const headerSchema = z.object({
  format: z.literal('trustzone-app-export'),
  exportId: z.string().regex(/^[0-9a-f]{32}$/),
  exportedAt: z.string().max(40),
  source: z.object({ siteId: z.string().max(64), siteName: z.string().max(64), appId: z.string().max(64) }),
  body: z.object({ bytes: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/), hasData: z.boolean() }),
  encryption: z.object({
    alg: z.literal('A256GCM'),
    iv: z.string().max(32),
    recipients: z.array(z.object({ thumbprint: z.string().regex(/^[0-9a-f]{64}$/), wrappedKey: z.string().max(2048) })).min(1).max(64),
  }).nullable(),
  signer: z.object({ alg: z.literal('SHA256'), certificate: z.string().max(32 * 1024) }),
});
export type PackageHeader = z.output<typeof headerSchema>;

export interface EncodeOptions {
  exportId?: string;
  exportedAt: Date;
  source: PackageSource;
  /** Certificates the data key is wrapped for (this site's active key, its partner sites'); none: not encrypted. */
  recipients: readonly WrappingKey[];
  /** The exporting engine: its certificate (PEM) and a signer over the given bytes. */
  signer: { certificate: string; sign(bytes: Buffer): Buffer };
}

const bad = (message: string) => new AppPackageError(AppPackageErrorCode.Malformed, message);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export function encodeAppPackage(manifest: AppManifest, data: Uint8Array | null, o: EncodeOptions): Buffer {
  const m = Buffer.from(JSON.stringify(manifest), 'utf8');
  const plain = Buffer.concat([u32(m.length), m, data ?? Buffer.alloc(0)]);
  const exportId = o.exportId ?? randomBytes(16).toString('hex');
  const dataKey = o.recipients.length > 0 ? randomBytes(32) : null;
  const iv = randomBytes(12);
  try {
    const header: PackageHeader = {
      format: 'trustzone-app-export',
      exportId,
      exportedAt: o.exportedAt.toISOString(),
      source: o.source,
      body: { bytes: plain.length, sha256: sha256(plain), hasData: data !== null },
      encryption: dataKey
        ? {
            alg: 'A256GCM',
            iv: iv.toString('base64'),
            recipients: o.recipients.map((r) => ({
              thumbprint: r.thumbprint,
              wrappedKey: publicEncrypt({ key: r.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: oaepLabel(exportId) }, dataKey).toString('base64'),
            })),
          }
        : null,
      signer: { alg: 'SHA256', certificate: o.signer.certificate },
    };
    const h = Buffer.from(JSON.stringify(header), 'utf8');
    const head = Buffer.concat([PACKAGE_MAGIC, u16(PACKAGE_VERSION), u32(h.length), h]);
    let body: Buffer;
    if (dataKey) {
      const c = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
      c.setAAD(head);
      body = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
    } else {
      body = plain;
    }
    const signed = Buffer.concat([head, body]);
    const signature = o.signer.sign(signed);
    return Buffer.concat([signed, u16(signature.length), signature]);
  } finally {
    dataKey?.fill(0);
  }
}

/** The structure of a package, checked before anything is trusted; no key is needed for this. */
export interface ParsedPackage {
  header: PackageHeader;
  /** Bytes the signature covers. */
  signed: Buffer;
  signature: Buffer;
  head: Buffer;
  body: Buffer;
}

export function isAppPackage(first: Uint8Array): boolean {
  return first.length >= 4 && Buffer.from(first.subarray(0, 4)).equals(PACKAGE_MAGIC);
}

export function parseAppPackage(file: Buffer): ParsedPackage {
  if (!isAppPackage(file)) throw new AppPackageError(AppPackageErrorCode.NotAPackage, 'not a trustzone app export');
  if (file.length < FIXED) throw bad('the file ends inside its header');
  const version = file.readUInt16BE(4);
  if (version !== PACKAGE_VERSION) throw new AppPackageError(AppPackageErrorCode.UnsupportedVersion, `app export format version ${version} is not supported (this site reads version ${PACKAGE_VERSION})`);
  const hLen = file.readUInt32BE(6);
  if (hLen > MAX_HEADER || FIXED + hLen > file.length) throw bad('the header length is out of range');
  let header: PackageHeader;
  try {
    header = headerSchema.parse(JSON.parse(file.toString('utf8', FIXED, FIXED + hLen)));
  } catch {
    throw bad('the header is not a valid app export header');
  }
  const bodyStart = FIXED + hLen;
  const bodyLength = header.body.bytes + (header.encryption ? TAG_BYTES : 0);
  const bodyEnd = bodyStart + bodyLength;
  if (bodyEnd + 2 > file.length) throw bad('the file is shorter than its header says (truncated)');
  const sLen = file.readUInt16BE(bodyEnd);
  if (sLen === 0 || bodyEnd + 2 + sLen !== file.length) throw bad('the signature length does not match the file (truncated or extra bytes)');
  return { header, signed: file.subarray(0, bodyEnd), signature: file.subarray(bodyEnd + 2), head: file.subarray(0, bodyStart), body: file.subarray(bodyStart, bodyEnd) };
}

/**
 * Decrypts (when encrypted) and checks the body against the header's SHA-256. Call only after the
 * signature and the signer were verified. `privateKeyFor` answers this site's private key for a
 * recipient thumbprint, or undefined.
 */
export function openAppPackage(p: ParsedPackage, privateKeyFor: (thumbprint: string) => KeyObject | undefined): { manifest: AppManifest; data: Buffer | null } {
  let plain: Buffer;
  const enc = p.header.encryption;
  if (enc) {
    const mine = enc.recipients.map((r) => ({ r, key: privateKeyFor(r.thumbprint) })).find((x) => x.key !== undefined);
    if (!mine) {
      throw new AppPackageError(AppPackageErrorCode.NotForThisSite, `the export is encrypted for other sites only (certificates ${enc.recipients.map((r) => r.thumbprint.slice(0, 16)).join(', ')}); have the exporting site add this site's encryption certificate as a partner and export again`);
    }
    let dataKey: Buffer;
    try {
      dataKey = privateDecrypt({ key: mine.key as KeyObject, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: oaepLabel(p.header.exportId) }, Buffer.from(mine.r.wrappedKey, 'base64'));
    } catch {
      throw new AppPackageError(AppPackageErrorCode.DecryptFailed, 'the data key cannot be unwrapped with this site\'s key');
    }
    try {
      const d = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(enc.iv, 'base64'), { authTagLength: TAG_BYTES });
      d.setAAD(p.head);
      d.setAuthTag(p.body.subarray(p.body.length - TAG_BYTES));
      plain = Buffer.concat([d.update(p.body.subarray(0, p.body.length - TAG_BYTES)), d.final()]);
    } catch {
      throw new AppPackageError(AppPackageErrorCode.DecryptFailed, 'the encrypted content does not authenticate (damaged or changed)');
    } finally {
      dataKey.fill(0);
    }
  } else {
    plain = p.body;
  }
  if (sha256(plain) !== p.header.body.sha256) throw new AppPackageError(AppPackageErrorCode.ChecksumMismatch, 'the content does not match its checksum (damaged or changed)');
  if (plain.length < 4) throw bad('the content has no manifest');
  const mLen = plain.readUInt32BE(0);
  if (4 + mLen > plain.length) throw bad('the manifest length is out of range');
  let manifest: AppManifest;
  try {
    manifest = z.object({ name: z.string().max(1024), description: z.string().max(64 * 1024), script: z.string().max(4 * 1024 * 1024), exportedBy: z.string().max(600) }).parse(JSON.parse(plain.toString('utf8', 4, 4 + mLen)));
  } catch {
    throw bad('the manifest is not valid');
  }
  const rest = plain.subarray(4 + mLen);
  if (!p.header.body.hasData && rest.length > 0) throw bad('data present in an export that says it has none');
  return { manifest, data: p.header.body.hasData ? rest : null };
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
