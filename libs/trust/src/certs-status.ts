import { type X509Certificate } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { parseCrls } from './crl-reader';
import { type IssuedKind, type IssuedRecord } from './issued-registry';
import { certificateDate, normalizeSerial, parseCertificate, parseCertificateBundle } from './pem';
import { openSite } from './site-ca';
import { CLI_INTEGRATION_NAME } from './site-certificates';
import { readSmallFile } from './site-files';
import { type CertName } from './site-layout';

const DAY_MS = 86_400_000;
export const EXPIRY_WARNING_DAYS = 7;
/** A CRL past its nextUpdate takes the whole zone down, so it is flagged well ahead. */
export const CRL_WARNING_DAYS = 30;
const ON_DISK: { file: CertName; name: string; kind: IssuedKind }[] = [
  { file: 'root', name: 'root', kind: 'ca' },
  { file: 'client-facing-ca', name: 'client-facing-ca', kind: 'ca' },
  { file: 'client-facing', name: 'client-facing', kind: 'client-facing' },
  { file: 'proxy', name: 'proxy', kind: 'service' },
  { file: 'repository', name: 'repository', kind: 'service' },
  { file: 'engine', name: 'engine', kind: 'service' },
  { file: 'cli', name: CLI_INTEGRATION_NAME, kind: 'integration' },
];

export interface CertStatus {
  name: string;
  kind: IssuedKind;
  /** null for certificates the site only knows from issued.json (exports, rotated-out certs). */
  subject: string | null;
  identity: string | null;
  serial: string;
  /** SHA-256 of the DER certificate (colon-separated hex); null when only issued.json knows it. */
  fingerprint: string | null;
  notBefore: Date;
  notAfter: Date;
  daysLeft: number;
  revoked: boolean;
  /** True for the certificates currently in `<data>/certs`. */
  current: boolean;
  /** Replaced by a rotation: goes on the CRL at this time (unless already revoked). */
  retireAt?: Date;
  warning?: string;
}

export interface SiteCertsStatus {
  siteId: string;
  siteName: string;
  crlNextUpdate: Date | undefined;
  /** Set when the CRL expires within CRL_WARNING_DAYS (or has): what happens and what to run. */
  crlWarning?: string;
  /** Set when private keys still sit in certs/ (a site from before the private/ split). */
  layoutWarning?: string;
  certificates: CertStatus[];
}

/**
 * What the site holds: the certificates on disk (their files are the truth; unreadable ones are
 * errors naming the file), then every other registry entry. "Revoked" means on the CRL, not just
 * in issued.json; a mismatch between the two is reported as a warning.
 */
export function certsStatus(dataDir: string, now = new Date()): SiteCertsStatus {
  const { paths, manifest, registry } = openSite(dataDir);
  const roots = parseCertificateBundle(readSmallFile(paths.cert('root'), 'CA certificate'), paths.cert('root'));
  const crls = parseCrls(readSmallFile(paths.crl, 'CRL'), roots, paths.crl);
  const onCrl = new Set(crls.flatMap((c) => [...c.revokedSerials]));
  const bySerial = new Map(registry.certificates.map((r) => [r.serial, r]));
  const out: CertStatus[] = [];
  for (const d of ON_DISK) {
    const certs = d.file === 'root' ? roots : [parseCertificate(readSmallFile(paths.cert(d.file), 'certificate'), paths.cert(d.file))];
    for (const x of certs) out.push(fromCertificate(x, d.name, d.kind, bySerial, onCrl, now));
  }
  const seen = new Set(out.map((s) => s.serial));
  for (const r of registry.certificates) if (!seen.has(r.serial)) out.push(fromRecord(r, onCrl, now));
  const nextUpdates = crls.map((c) => c.nextUpdate?.getTime() ?? Infinity);
  const soonest = Math.min(...nextUpdates);
  const crlNextUpdate = Number.isFinite(soonest) ? new Date(soonest) : undefined;
  const warning = crlWarning(crlNextUpdate, now);
  const legacy = readdirSync(paths.certs).filter((f) => f.endsWith('_key.pem'));
  const layoutWarning = legacy.length === 0 ? undefined : `private keys in ${paths.certs} (${legacy.join(', ')}): every service that can read certs/ can read them; run 'tz site upgrade' to move them to ${paths.private}`;
  return { siteId: manifest.siteId, siteName: manifest.siteName, crlNextUpdate, ...(warning ? { crlWarning: warning } : {}), ...(layoutWarning ? { layoutWarning } : {}), certificates: out };
}

function crlWarning(nextUpdate: Date | undefined, now: Date): string | undefined {
  if (!nextUpdate) return undefined;
  const days = Math.floor((nextUpdate.getTime() - now.getTime()) / DAY_MS);
  if (days >= CRL_WARNING_DAYS) return undefined;
  const when = days < 0 ? `expired on ${nextUpdate.toISOString().slice(0, 10)}: mTLS handshakes fail and services refuse to start` : `expires in ${days} day(s): after that mTLS handshakes fail and services refuse to start`;
  return `the site CRL ${when}; run 'tz certs refresh-crl'`;
}

function fromCertificate(x: X509Certificate, name: string, kind: IssuedKind, bySerial: Map<string, IssuedRecord>, onCrl: Set<string>, now: Date): CertStatus {
  const serial = normalizeSerial(x.serialNumber);
  const uri = (x.subjectAltName ?? '').split(', ').find((e) => e.startsWith('URI:urn:trustzone:'));
  return finish({
    name,
    kind,
    subject: x.subject.replace(/\n/g, ', '),
    identity: uri ? uri.slice(4) : null,
    serial,
    fingerprint: x.fingerprint256,
    notBefore: certificateDate(x.validFrom),
    notAfter: certificateDate(x.validTo),
    current: true,
  }, bySerial.get(serial), onCrl, now);
}

function fromRecord(r: IssuedRecord, onCrl: Set<string>, now: Date): CertStatus {
  const base = { name: r.name, kind: r.kind, subject: null, identity: r.identity, serial: r.serial, fingerprint: null, notBefore: new Date(r.notBefore), notAfter: new Date(r.notAfter), current: false };
  return finish(base, r, onCrl, now);
}

function finish(base: Omit<CertStatus, 'daysLeft' | 'revoked' | 'warning'>, record: IssuedRecord | undefined, onCrl: Set<string>, now: Date): CertStatus {
  const revoked = onCrl.has(base.serial);
  const daysLeft = Math.floor((base.notAfter.getTime() - now.getTime()) / DAY_MS);
  const warning = warningFor(base, record, revoked, daysLeft, now);
  const retireAt = record?.retireAt !== undefined && record.revokedAt === undefined ? { retireAt: new Date(record.retireAt) } : {};
  return { ...base, daysLeft, revoked, ...retireAt, ...(warning ? { warning } : {}) };
}

function warningFor(base: Omit<CertStatus, 'daysLeft' | 'revoked' | 'warning'>, record: IssuedRecord | undefined, revoked: boolean, daysLeft: number, now: Date): string | undefined {
  if (record?.revokedAt !== undefined && !revoked) return "revoked in issued.json but not on the CRL: run 'tz certs refresh-crl' to re-sign the CRL";
  if (record?.retireAt !== undefined && record.revokedAt === undefined && Date.parse(record.retireAt) <= now.getTime()) {
    return `replaced by a rotation and due for revocation since ${record.retireAt}, but not revoked yet: run 'tz certs refresh-crl' (a running repository does it within seconds)`;
  }
  // Rotated-out service certs are history; only what is in use (or handed out) deserves a warning.
  const inUse = !revoked && (base.current || base.kind === 'integration');
  if (inUse && base.notAfter < now) return 'expired';
  if (inUse && daysLeft < EXPIRY_WARNING_DAYS) return `expires in ${daysLeft} day(s)`;
  if (!record && base.current) return 'not recorded in issued.json';
  return undefined;
}
