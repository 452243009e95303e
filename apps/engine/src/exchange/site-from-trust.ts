import { X509Certificate } from 'node:crypto';
import type { TlsMaterial } from '@trustzone/trust';

/**
 * The site an export names, taken from the engine's own trust material rather than `site.json`:
 * engines mount only their certificate folders (the volume split of issue 15), so the manifest is
 * not theirs to read. The site id is the one in the engine's own certificate (the same id every
 * peer check compares); the name is informational (it only appears in an importer's error text) and
 * comes from the CA that issued this engine's certificate, whose common name init writes as
 * `<siteName>-CA`.
 */
export function siteFromTrust(material: Pick<TlsMaterial, 'identity' | 'trustedCas' | 'certPem'>): {
  siteId: string;
  siteName: string;
  cas: readonly X509Certificate[];
} {
  const identity = material.identity;
  if (identity === null) throw new Error('the engine certificate carries no trust-zone identity');
  const own = new X509Certificate(material.certPem);
  const issuer = material.trustedCas.find((ca) => own.checkIssued(ca));
  const cn = issuer ? /(?:^|\n)CN=([^\n]+)/.exec(issuer.subject)?.[1] : undefined;
  const siteName = cn?.endsWith('-CA') ? cn.slice(0, -'-CA'.length) : (cn ?? identity.siteId);
  return { siteId: identity.siteId, siteName, cas: material.trustedCas };
}
