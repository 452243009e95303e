import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNativeGcm, nativeGcmBuildStatus, selectAesGcm } from './native-gcm';
import type { NativeAesGcm } from './native-gcm';

const scratch = mkdtempSync(join(tmpdir(), 'tz-native-gcm-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function seal(plain: Buffer, aad: Buffer): { key: Buffer; iv: Buffer; sealed: Buffer; tag: Buffer } {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(aad);
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { key, iv, sealed, tag: cipher.getAuthTag() };
}

/** Decrypts `sealed` in place through the addon in pieces cut at `cuts`; returns the tag verdict. */
function openInPieces(addon: NativeAesGcm, s: ReturnType<typeof seal>, aad: Buffer, cuts: number[]): { data: Buffer; authentic: boolean } {
  const data = Buffer.from(s.sealed);
  const context = addon.openDecipher(s.key, s.iv, aad, s.tag);
  let from = 0;
  for (const cut of [...cuts.filter((c) => c <= data.length).sort((a, b) => a - b), data.length]) {
    addon.update(context, data.subarray(from, cut));
    from = cut;
  }
  return { data, authentic: addon.finish(context) };
}

/** The error code a call throws, or 'NO ERROR'. */
function code(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
  return 'NO ERROR';
}

describe('native AES-GCM build', () => {
  it('is built and passes its self-test here, or the build recorded why not', () => {
    const status = nativeGcmBuildStatus();
    const loaded = loadNativeGcm();
    if (status.built) expect(loaded.addon, loaded.addon ? '' : loaded.reason).toBeDefined();
    else expect(status.reason).not.toBe('');
  });

  it('falls back to node:crypto with a reason when the addon is missing or not a module, and never throws on auto', () => {
    expect(selectAesGcm('auto', join(scratch, 'missing.node'))).toMatchObject({ name: 'node', reason: expect.stringMatching(/no build record|not loadable/) });
    const junk = join(scratch, 'junk.node');
    writeFileSync(junk, 'not a shared object');
    writeFileSync(join(scratch, 'junk.json'), JSON.stringify({ built: true, reason: '' }));
    expect(selectAesGcm('auto', junk)).toMatchObject({ name: 'node', reason: expect.stringMatching(/^not loadable/) });
    expect(() => selectAesGcm('native', junk)).toThrow(/native AES-GCM required but unusable: not loadable/);
    expect(selectAesGcm('node')).toMatchObject({ name: 'node' });
  });
});

const addon = loadNativeGcm().addon;

// Runs wherever the addon was built (CI fails its run when it was not: .ci/run checks the record).
describe.runIf(addon !== undefined)('native AES-GCM addon', () => {
  const gcm = addon as NativeAesGcm;

  it('decrypts in place exactly what node:crypto encrypted, across any piece boundaries', () => {
    fc.assert(fc.property(
      fc.uint8Array({ maxLength: 5000 }), fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(5000), { maxLength: 8 }),
      (plain, aad, cuts) => {
        const s = seal(Buffer.from(plain), Buffer.from(aad));
        const opened = openInPieces(gcm, s, Buffer.from(aad), cuts);
        return opened.authentic && opened.data.equals(Buffer.from(plain));
      },
    ), { numRuns: 300 });
  });

  it('refuses a flipped bit in the ciphertext, the AAD or the tag, and a wrong key', () => {
    const plain = randomBytes(70_000);
    const aad = randomBytes(64);
    const s = seal(plain, aad);
    expect(openInPieces(gcm, s, aad, [16_384]).authentic).toBe(true);
    const flipped = (b: Buffer, at: number): Buffer => {
      const copy = Buffer.from(b);
      copy[at] = (copy[at] ?? 0) ^ 0x01;
      return copy;
    };
    expect(openInPieces(gcm, { ...s, sealed: flipped(s.sealed, 69_999) }, aad, []).authentic).toBe(false);
    expect(openInPieces(gcm, s, flipped(aad, 0), []).authentic).toBe(false);
    expect(openInPieces(gcm, { ...s, tag: flipped(s.tag, 15) }, aad, []).authentic).toBe(false);
    expect(openInPieces(gcm, { ...s, key: randomBytes(32) }, aad, []).authentic).toBe(false);
    expect(openInPieces(gcm, { ...s, iv: flipped(s.iv, 0) }, aad, []).authentic).toBe(false);
  });

  it('encrypts into another buffer exactly as node:crypto does, refusing overlap, wrong sizes and the wrong direction', () => {
    const plain = randomBytes(50_000);
    const aad = randomBytes(20);
    const s = seal(plain, aad);
    const context = gcm.openCipher(s.key, s.iv, aad);
    const out = Buffer.alloc(plain.length);
    gcm.update(context, plain.subarray(0, 7), out.subarray(0, 7));
    gcm.update(context, plain.subarray(7), out.subarray(7));
    expect(out.equals(s.sealed)).toBe(true);
    expect(gcm.seal(context).equals(s.tag)).toBe(true);

    const other = gcm.openCipher(s.key, s.iv, aad);
    const shared = Buffer.alloc(64);
    expect(code(() => gcm.update(other, shared.subarray(0, 32), shared.subarray(16, 48)))).toBe('ERR_TZ_GCM_ARGS');
    expect(code(() => gcm.update(other, shared.subarray(0, 32), shared.subarray(32, 60)))).toBe('ERR_TZ_GCM_ARGS');
    expect(code(() => gcm.finish(other))).toBe('ERR_TZ_GCM_STATE');
    const decryption = gcm.openDecipher(s.key, s.iv, aad, s.tag);
    expect(code(() => gcm.seal(decryption))).toBe('ERR_TZ_GCM_STATE');
    gcm.close(decryption);
    gcm.close(other);
  });

  it('checks its arguments and refuses a finished or closed context', () => {
    const s = seal(randomBytes(100), Buffer.alloc(0));
    expect(code(() => gcm.openDecipher(randomBytes(16), s.iv, Buffer.alloc(0), s.tag))).toBe('ERR_TZ_GCM_ARGS');
    expect(code(() => gcm.openDecipher(s.key, randomBytes(16), Buffer.alloc(0), s.tag))).toBe('ERR_TZ_GCM_ARGS');
    expect(code(() => gcm.openDecipher(s.key, s.iv, Buffer.alloc(0), randomBytes(8)))).toBe('ERR_TZ_GCM_ARGS');
    expect(code(() => gcm.openDecipher('k'.repeat(32) as unknown as Buffer, s.iv, Buffer.alloc(0), s.tag))).toBe('ERR_TZ_GCM_ARGS');
    expect(code(() => gcm.openDecipher(s.key, s.iv, new Uint16Array(4) as unknown as Buffer, s.tag))).toBe('ERR_TZ_GCM_ARGS');
    const context = gcm.openDecipher(s.key, s.iv, Buffer.alloc(0), s.tag);
    expect(code(() => gcm.update(context, 'text' as unknown as Buffer))).toBe('ERR_TZ_GCM_ARGS');
    expect(code(() => gcm.update({}, Buffer.alloc(4)))).toBe('ERR_TZ_GCM_STATE');
    gcm.update(context, Buffer.from(s.sealed));
    expect(gcm.finish(context)).toBe(true);
    expect(code(() => gcm.update(context, Buffer.alloc(4)))).toBe('ERR_TZ_GCM_STATE');
    expect(code(() => gcm.finish(context))).toBe('ERR_TZ_GCM_STATE');
    const closed = gcm.openDecipher(s.key, s.iv, Buffer.alloc(0), s.tag);
    gcm.close(closed);
    gcm.close(closed);
    expect(code(() => gcm.finish(closed))).toBe('ERR_TZ_GCM_STATE');
  });
});
