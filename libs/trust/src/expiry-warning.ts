import { EXPIRY_WARNING_DAYS } from './certs-status';
import { type TlsMaterial } from './tls-material';

const DAY_MS = 86_400_000;

/**
 * The line a service logs (trust-zone.md: expiry within 7 days is a warning) when its own
 * certificate is close to its end; undefined while it is not. Check it at start and on 'change'.
 */
export function expiryWarning(material: Pick<TlsMaterial, 'notAfter' | 'serial'>, now = new Date()): string | undefined {
  const ms = material.notAfter.getTime() - now.getTime();
  if (ms < 0) return `certificate ${material.serial} expired ${material.notAfter.toISOString()}; run 'tz certs rotate'`;
  const days = Math.floor(ms / DAY_MS);
  return days < EXPIRY_WARNING_DAYS ? `certificate ${material.serial} expires in ${days} day(s) (${material.notAfter.toISOString()}); run 'tz certs rotate'` : undefined;
}
