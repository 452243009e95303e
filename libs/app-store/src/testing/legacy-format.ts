import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import type { WrappingKey } from '../format/key-wrap';
import { wrapDataKey } from '../format/key-wrap';

/**
 * Format 1, written here from its description (README "File format") the way anyone with write
 * access to `apps/` and the public certificate could: the data key is the GCM key, the checksum a
 * plain SHA-256. Used to show such files are refused, and migrated only on the explicit path.
 */
export function formatOne(appId: string, payload: Buffer, key?: WrappingKey): Buffer {
  const id = Buffer.from(appId);
  const core = Buffer.alloc(10 + id.length + 8);
  core.write('TZAP', 0, 'ascii');
  core.writeUInt16BE(1, 4);
  core.writeUInt8(key ? 1 : 2, 6);
  core.writeUInt16BE(id.length, 8);
  id.copy(core, 10);
  core.writeBigUInt64BE(BigInt(payload.length), 10 + id.length);
  const sha = (...b: Buffer[]) => b.reduce((h, x) => h.update(x), createHash('sha256')).digest();
  if (!key) return Buffer.concat([core, sha(core), payload, sha(payload)]);
  const dataKey = randomBytes(32);
  const wrapped = wrapDataKey(dataKey, appId, key);
  const slot = Buffer.alloc(34);
  Buffer.from(key.thumbprint, 'hex').copy(slot);
  slot.writeUInt16BE(wrapped.length, 32);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', dataKey, iv);
  c.setAAD(core);
  const body = Buffer.concat([c.update(payload), c.final()]);
  return Buffer.concat([core, slot, sha(core, slot), wrapped, iv, body, c.getAuthTag()]);
}

