import { addressBlock } from '@trustzone/config';

/**
 * The source a request is counted against, for the per-source rate limit and the aggregated audit
 * records: the socket's address (never X-Forwarded-For: that is client text), an IPv4-mapped IPv6
 * address as IPv4, and an IPv6 client by its /64 — one host commonly holds a whole /64, so counting
 * single IPv6 addresses would let it pick a fresh one for every request.
 */
export function clientSource(ip: string): string {
  if (!ip.includes(':')) return ip === '' ? 'unknown' : ip;
  if (ip === '::1') return ip;
  return addressBlock(ip, { ipv4: 32, ipv6: 64 }) ?? 'unknown';
}
