import { isIPv4, isIPv6 } from 'node:net';

/**
 * CIDR blocks (`10.0.0.0/8`, `2001:db8::/32`, RFC 4632 / RFC 4291 §2.3) for address allow-lists in
 * configuration. Strict on purpose, because these lists decide whose word is trusted:
 *  - the prefix length is required (a bare address is not silently read as /32);
 *  - the address must be the first of its block: `10.1.2.3/8` may mean one host or the whole /8, so
 *    it is refused rather than guessed;
 *  - IPv6 zone ids (`fe80::1%eth0`) are refused: a zone is local to one host, not part of an address
 *    a peer arrives with.
 * `text` is the canonical spelling (lower case), which is what gets stored and compared.
 */
export type CidrFamily = 'ipv4' | 'ipv6';

export interface Cidr {
  family: CidrFamily;
  address: string;
  prefix: number;
  text: string;
}

export type CidrResult = { ok: true; cidr: Cidr } | { ok: false; reason: string };

const MAX_TEXT = 64;

export function parseCidr(input: string): CidrResult {
  const fail = (reason: string): CidrResult => ({ ok: false, reason });
  if (typeof input !== 'string' || input.length === 0 || input.length > MAX_TEXT) return fail('must be a CIDR block such as 10.0.0.0/8 or 2001:db8::/32');
  const slash = input.indexOf('/');
  if (slash < 0) return fail(`'${input}' has no prefix length (write ${isIPv6(input) ? `${input}/128` : `${input}/32`} for one address)`);
  const address = input.slice(0, slash).toLowerCase();
  const prefixText = input.slice(slash + 1);
  if (address.includes('%')) return fail('IPv6 zone ids are not allowed');
  const family: CidrFamily | null = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
  if (family === null) return fail(`'${address.slice(0, 40)}' is not an IPv4 or IPv6 address`);
  const bits = family === 'ipv4' ? 32 : 128;
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > bits) return fail(`prefix length must be 0…${bits}`);
  const prefix = Number(prefixText);
  const bytes = family === 'ipv4' ? ipv4Bytes(address) : ipv6Bytes(address);
  if (!hostBitsClear(bytes, prefix)) return fail(`'${input}' has bits set after the first ${prefix}: write the block's first address`);
  return { ok: true, cidr: { family, address, prefix, text: `${address}/${prefix}` } };
}

/** Null when every entry is a valid CIDR block, else the index and reason of the first bad one. */
export function cidrListProblem(list: readonly string[]): { index: number; reason: string } | null {
  for (let i = 0; i < list.length; i++) {
    const r = parseCidr(list[i] as string);
    if (!r.ok) return { index: i, reason: r.reason };
  }
  return null;
}

/**
 * The block of `prefix.ipv4` / `prefix.ipv6` bits that holds `address`, in canonical text (RFC 5952
 * for IPv6; no `/n` when the block is one address); an IPv4-mapped IPv6 address counts as IPv4.
 * Null for anything that is not an address. Used to group one source's events, since a single
 * IPv6 client commonly holds a whole /64.
 */
export function addressBlock(address: string, prefix: { ipv4: number; ipv6: number }): string | null {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  const a = mapped ? (mapped[1] as string) : address.toLowerCase();
  if (isIPv4(a)) return blockText(ipv4Bytes(a), prefix.ipv4, 'ipv4');
  if (isIPv6(a) && !a.includes('%')) return blockText(ipv6Bytes(a), prefix.ipv6, 'ipv6');
  return null;
}

function blockText(bytes: number[], prefix: number, family: CidrFamily): string {
  const masked = bytes.map((b, i) => b & (0xff << (8 - Math.max(0, Math.min(8, prefix - i * 8)))) & 0xff);
  const full = family === 'ipv4' ? 32 : 128;
  const text = family === 'ipv4' ? masked.join('.') : ipv6Text(masked);
  return prefix >= full ? text : `${text}/${prefix}`;
}

/** RFC 5952 §4: lower-case hex words, the longest run of two or more zero words as `::`. */
function ipv6Text(bytes: number[]): string {
  const words = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] as number) << 8) | (bytes[2 * i + 1] as number));
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

/** 16 bytes of an IPv6 address (isIPv6 has accepted it: at most one `::`, optional dotted tail). */
function ipv6Bytes(address: string): number[] {
  let text = address;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail.push(...ipv4Bytes(text.slice(lastColon + 1)));
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [head = '', rest] = text.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const words = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function hostBitsClear(bytes: readonly number[], prefix: number): boolean {
  return bytes.every((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return (b & (0xff >> keep)) === 0;
  });
}
