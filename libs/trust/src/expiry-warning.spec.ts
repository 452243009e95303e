import { describe, expect, it } from 'vitest';
import { expiryWarning } from './expiry-warning';

const DAY = 86_400_000;
const now = new Date('2030-01-01T00:00:00Z');
const at = (days: number) => ({ serial: 'AB', notAfter: new Date(now.getTime() + days * DAY) });

describe('expiryWarning', () => {
  it('warns inside the last 7 days and after expiry, not before', () => {
    expect(expiryWarning(at(8), now)).toBeUndefined();
    expect(expiryWarning(at(7), now)).toBeUndefined();
    expect(expiryWarning(at(6.5), now)).toMatch(/expires in 6 day/);
    expect(expiryWarning(at(-1), now)).toMatch(/expired/);
  });
});
