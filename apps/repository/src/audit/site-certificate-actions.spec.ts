import { describe, expect, it } from 'vitest';
import { revokeSchema } from './site-certificate-actions';

// The revoke confirmation's serial must be spelled as the inventory and issued.json spell it (whole
// bytes, no leading zero byte): a serial whose first byte is below 0x10 ('01AB…', one in sixteen)
// must not lose its leading zero, or the console could never revoke that certificate.
describe('revokeSchema', () => {
  it('keeps whole bytes: a leading zero nibble stays, a leading zero byte goes, separators and case do not matter', () => {
    expect(revokeSchema.parse({ serial: '01AB', name: 'x' }).serial).toBe('01AB');
    expect(revokeSchema.parse({ serial: '00:01:ab', name: 'x' }).serial).toBe('01AB');
    expect(revokeSchema.parse({ serial: '1ab', name: 'x' }).serial).toBe('01AB');
    expect(revokeSchema.parse({ serial: 'ABCD', name: 'x' }).serial).toBe('ABCD');
  });

  it('refuses what is not a serial, and unknown fields', () => {
    expect(revokeSchema.safeParse({ serial: 'portal', name: 'x' }).success).toBe(false);
    expect(revokeSchema.safeParse({ serial: '', name: 'x' }).success).toBe(false);
    expect(revokeSchema.safeParse({ serial: '01AB', name: 'x', includeCurrent: true }).success).toBe(false);
  });
});
