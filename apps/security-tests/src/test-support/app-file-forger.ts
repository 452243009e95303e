import { constants, createCipheriv, createHash, type KeyObject, publicEncrypt, randomBytes } from 'node:crypto';

/**
 * What someone who can write `apps/` but holds no engine secret can produce: app files written from
 * the published format (README "File format"), with at most the encryption certificate's public key.
 * Written here from the format description, not with the engine's library, so the forger cannot
 * borrow anything an attacker would not have.
 */
const MAGIC = Buffer.from('TZAP', 'ascii');
const sha256 = (...parts: Buffer[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();

function core(version: number, mode: 1 | 2, appId: string, payloadLength: number): Buffer {
  const id = Buffer.from(appId, 'utf8');
  const c = Buffer.alloc(10 + id.length + 8);
  MAGIC.copy(c, 0);
  c.writeUInt16BE(version, 4);
  c.writeUInt8(mode, 6);
  c.writeUInt8(0, 7);
  c.writeUInt16BE(id.length, 8);
  id.copy(c, 10);
  c.writeBigUInt64BE(BigInt(payloadLength), 10 + id.length);
  return c;
}

/** A checksummed-only file (mode 2) of the given format version: SHA-256 checksums, nothing keyed. */
export function forgeChecksummed(appId: string, payload: Buffer, version = 1): Buffer {
  const c = core(version, 2, appId, payload.length);
  return Buffer.concat([c, sha256(c), payload, sha256(payload)]);
}

/** An encrypted file (mode 1): a fresh data key wrapped under the public key, as the format says. */
export function forgeEncrypted(appId: string, payload: Buffer, wrap: { thumbprint: string; publicKey: KeyObject }, version = 1): Buffer {
  const dataKey = randomBytes(32);
  const wrapped = publicEncrypt({ key: wrap.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(`trustzone-app:${appId}`) }, dataKey);
  const c = core(version, 1, appId, payload.length);
  const slot = Buffer.alloc(34);
  Buffer.from(wrap.thumbprint, 'hex').copy(slot, 0);
  slot.writeUInt16BE(wrapped.length, 32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: 16 });
  cipher.setAAD(c);
  const ciphertext = Buffer.concat([cipher.update(payload), cipher.final()]);
  return Buffer.concat([c, slot, sha256(c, slot), wrapped, iv, ciphertext, cipher.getAuthTag()]);
}

/** The plaintext payload of a checksummed-only file (anyone who can read `apps/` can). */
export function checksummedPayload(file: Buffer): Buffer {
  if (file.readUInt8(6) !== 2) throw new Error('not a checksummed-only app file');
  const idLength = file.readUInt16BE(8);
  const length = Number(file.readBigUInt64BE(10 + idLength));
  const start = 10 + idLength + 8 + 32;
  return file.subarray(start, start + length);
}
