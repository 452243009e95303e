import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { WrappingKey } from '@trustzone/app-store';

/**
 * The sites this site exchanges apps with (docs/operations.md "App export and import"), one folder
 * per partner in the exchange directory (TZ_APP_EXCHANGE_DIR, default <data>/exchange):
 *
 *   <partner>/ca.pem          the partner's site CA: uploads signed by its engines are accepted here
 *   <partner>/encryption.pem  the partner's app encryption certificate: exports are encrypted for it too
 *
 * Both are public certificates; an operator copies them from the partner site. Read on every export
 * and import (a handful of small files), so adding or removing a partner needs no restart.
 */
export interface ExchangePartner {
  name: string;
  ca?: X509Certificate;
  recipient?: WrappingKey;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function certificateThumbprint(cert: X509Certificate): string {
  return createHash('sha256').update(cert.raw).digest('hex');
}

export function readExchangePartners(dir: string): ExchangePartner[] {
  if (!existsSync(dir)) return [];
  const out: ExchangePartner[] = [];
  for (const name of readdirSync(dir).sort()) {
    const folder = join(dir, name);
    if (!NAME.test(name) || !statSync(folder).isDirectory()) continue;
    const read = (file: string) => {
      const path = join(folder, file);
      return existsSync(path) ? new X509Certificate(readFileSync(path)) : undefined;
    };
    const ca = read('ca.pem');
    const enc = read('encryption.pem');
    out.push({ name, ...(ca ? { ca } : {}), ...(enc ? { recipient: { thumbprint: certificateThumbprint(enc), publicKey: enc.publicKey } } : {}) });
  }
  return out;
}
