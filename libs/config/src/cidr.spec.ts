import { describe, expect, it } from 'vitest';
import { addressBlock, cidrListProblem, parseCidr } from './cidr';

const text = (s: string) => {
  const r = parseCidr(s);
  return r.ok ? r.cidr.text : null;
};

describe('parseCidr', () => {
  it.each([
    ['127.0.0.1/32', '127.0.0.1/32'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['::1/128', '::1/128'],
    ['2001:DB8::/32', '2001:db8::/32'],
    ['::/0', '::/0'],
    ['fe80::/10', 'fe80::/10'],
    ['::ffff:10.0.0.0/104', '::ffff:10.0.0.0/104'],
    ['2001:db8:0:0:0:0:0:0/64', '2001:db8:0:0:0:0:0:0/64'],
  ])('accepts %s', (input, canonical) => {
    expect(text(input)).toBe(canonical);
  });

  it.each([
    ['10.0.0.1/8', /bits set/],
    ['127.0.0.1', /no prefix length/],
    ['::1', /::1\/128/],
    ['300.1.1.1/32', /not an IPv4 or IPv6/],
    ['010.0.0.0/8', /not an IPv4 or IPv6/],
    ['10.0.0.0/33', /0…32/],
    ['::1/129', /0…128/],
    ['10.0.0.0/08', /0…32/],
    ['10.0.0.0/', /0…32/],
    ['10.0.0.0/-1', /0…32/],
    ['fe80::1%eth0/128', /zone/],
    ['2001:db8::1/32', /bits set/],
    ['::ffff:10.0.0.1/104', /bits set/],
    ['', /CIDR/],
    ['example.com/32', /not an IPv4 or IPv6/],
  ])('refuses %s', (input, reason) => {
    const r = parseCidr(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('checks host bits at every prefix length, against a bit-by-bit computation', () => {
    for (let prefix = 0; prefix <= 32; prefix++) {
      for (const last of [0, 1, 128, 255]) {
        const address = `10.20.30.${last}`;
        const value = ((10 << 24) | (20 << 16) | (30 << 8) | last) >>> 0;
        const hostMask = prefix === 32 ? 0 : (0xffffffff >>> prefix);
        expect(parseCidr(`${address}/${prefix}`).ok, `${address}/${prefix}`).toBe((value & hostMask) === 0);
      }
    }
    expect(parseCidr('2001:db8:8000::/33').ok).toBe(true);
    expect(parseCidr('2001:db8:8000::/32').ok).toBe(false);
  });

  it('names the first bad entry of a list', () => {
    expect(cidrListProblem(['127.0.0.1/32', '::1/128'])).toBeNull();
    expect(cidrListProblem(['127.0.0.1/32', 'nope', 'x'])).toMatchObject({ index: 1 });
  });
});

describe('addressBlock', () => {
  const block = (a: string) => addressBlock(a, { ipv4: 32, ipv6: 64 });
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2::9', '2001:db8:1:2::/64'],
    ['::1', '::/64'],
    ['2001:0:0:1::', '2001:0:0:1::/64'],
    ['0:0:1:0:0:0:0:1', '0:0:1::/64'],
  ])('%s → %s', (address, expected) => {
    expect(block(address)).toBe(expected);
  });

  it('masks to any prefix and keeps full-length blocks as plain addresses', () => {
    expect(addressBlock('10.1.2.3', { ipv4: 8, ipv6: 64 })).toBe('10.0.0.0/8');
    expect(addressBlock('2001:db8::1', { ipv4: 32, ipv6: 128 })).toBe('2001:db8::1');
  });

  it('is null for what is not an address', () => {
    for (const a of ['', 'unknown', 'fe80::1%eth0', '1.2.3']) expect(block(a)).toBeNull();
  });
});
