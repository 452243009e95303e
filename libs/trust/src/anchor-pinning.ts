import { type X509Certificate } from 'node:crypto';
import { certificateDate } from './pem';

export interface AnchorSelection {
  /** The CAs of the bundle this process may trust, in bundle order. */
  trusted: X509Certificate[];
  /** CAs in the bundle that are neither pinned nor endorsed by a trusted CA: never trusted. */
  untrusted: X509Certificate[];
}

/**
 * Pins a running process's trust anchors. A CA bundle file (`root.pem`) may change while the
 * process runs (CA rotation), but whoever can write that file must not be able to mint identities
 * by appending a CA of their own. So a CA is trusted only if it is
 * - pinned: trusted by this process already (at start, every CA of the bundle it started with), or
 * - endorsed: a cross-certificate (RFC 4158 §2.3) with the CA's exact subject and public key is
 *   signed by a CA trusted under these rules and valid now. Only the holder of a trusted CA key
 *   can make one; `tz certs rotate-ca` does, and writes it to `root-endorsements.pem`.
 * Endorsement is transitive (A pinned, B endorsed by A, C by B), so successive rotations work.
 * `pinned` undefined means "no history yet": the whole bundle is trusted (the start-up load).
 */
export function selectAnchors(offered: readonly X509Certificate[], pinned: ReadonlySet<string> | undefined, endorsements: readonly X509Certificate[], now: Date): AnchorSelection {
  if (pinned === undefined) return { trusted: [...offered], untrusted: [] };
  const trusted = new Set(offered.filter((ca) => pinned.has(ca.fingerprint256)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const ca of offered) {
      if (trusted.has(ca) || !endorsements.some((e) => endorses(e, ca, trusted, now))) continue;
      trusted.add(ca);
      grew = true;
    }
  }
  return { trusted: offered.filter((ca) => trusted.has(ca)), untrusted: offered.filter((ca) => !trusted.has(ca)) };
}

/** `cross` names `ca`'s subject and key, and a trusted CA issued and signed it. */
function endorses(cross: X509Certificate, ca: X509Certificate, trusted: ReadonlySet<X509Certificate>, now: Date): boolean {
  if (!cross.ca || cross.subject !== ca.subject || !samePublicKey(cross, ca)) return false;
  if (now < certificateDate(cross.validFrom) || now > certificateDate(cross.validTo)) return false;
  for (const t of trusted) if (cross.checkIssued(t) && cross.verify(t.publicKey)) return true;
  return false;
}

function samePublicKey(a: X509Certificate, b: X509Certificate): boolean {
  return a.publicKey.export({ type: 'spki', format: 'der' }).equals(b.publicKey.export({ type: 'spki', format: 'der' }));
}
