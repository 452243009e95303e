import { z } from 'zod';
import { type CertifiedKey } from './certificate-authority';
import { identityToUri, type ServiceIdentity } from './service-identity';
import { readSmallFile, writeFileAtomic } from './site-files';
import { TrustError, TrustErrorCode } from './trust.error';

export const ISSUED_KINDS = ['ca', 'client-facing', 'service', 'integration'] as const;
export type IssuedKind = (typeof ISSUED_KINDS)[number];

const recordSchema = z.object({
  serial: z.string().regex(/^[0-9A-F]{1,80}$/),
  name: z.string().min(1).max(64),
  kind: z.enum(ISSUED_KINDS),
  /** Full URI SAN (`urn:trustzone:<site>:proxy`), null for CAs and the client-facing cert. */
  identity: z.string().max(200).nullable(),
  /** Name of the signing CA's file: `root` or `client-facing-ca` (a CA names itself). */
  issuer: z.string().min(1).max(64),
  notBefore: z.iso.datetime(),
  notAfter: z.iso.datetime(),
  revokedAt: z.iso.datetime().optional(),
  /**
   * Set when a rotation replaced this certificate: it goes on the CRL at this time (the grace
   * period lets every service switch to the new one first). See cert-retirement.ts.
   */
  retireAt: z.iso.datetime().optional(),
});

/** `<data>/certs/issued.json`: every certificate the site ever issued, and the CRL counter. */
const registrySchema = z.object({
  version: z.literal(1),
  crlNumber: z.number().int().min(0),
  certificates: z.array(recordSchema).max(100_000),
});

export type IssuedRecord = z.infer<typeof recordSchema>;
export type IssuedRegistry = z.infer<typeof registrySchema>;

export function emptyRegistry(): IssuedRegistry {
  return { version: 1, crlNumber: 0, certificates: [] };
}

export function readIssuedRegistry(path: string): IssuedRegistry {
  const text = readSmallFile(path, 'certificate registry');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new TrustError(TrustErrorCode.SiteInvalid, `${path}: not valid JSON`, path);
  }
  const parsed = registrySchema.safeParse(raw);
  if (!parsed.success) throw new TrustError(TrustErrorCode.SiteInvalid, `${path}: not a certificate registry (${parsed.error.issues[0]?.message ?? 'invalid'})`, path);
  return parsed.data;
}

export function writeIssuedRegistry(path: string, registry: IssuedRegistry): void {
  writeFileAtomic(path, `${JSON.stringify(registry, null, 2)}\n`, 0o644);
}

export function recordOf(name: string, kind: IssuedKind, issuer: string, cert: CertifiedKey, identity?: ServiceIdentity): IssuedRecord {
  return {
    serial: cert.serial,
    name,
    kind,
    identity: identity ? identityToUri(identity) : null,
    issuer,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
  };
}
