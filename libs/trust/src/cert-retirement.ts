import { type IssuedRecord, type IssuedRegistry } from './issued-registry';

/**
 * How long a certificate replaced by a rotation keeps working. Every service picks new files up
 * within about 2 s (1 s stat poll, reload retries) and new calls go out on the new certificate at
 * once, so 10 s leaves five times that; a key stolen before the rotation dies with it.
 */
export const RETIREMENT_GRACE_SECONDS = 10;
/** An hour at most: a longer overlap is a second valid identity, not a grace period. */
export const MAX_RETIREMENT_GRACE_SECONDS = 3600;

/**
 * Marks every live certificate `replaced` by `current` (same name, on the site CRL's CA, not yet
 * revoked) for revocation at `retireAt`, or earlier if an earlier rotation already set an earlier
 * time. All of them, not only the last one: a key stolen two rotations ago must die too, and a
 * rotation with a shorter grace period (a suspected theft) brings every pending retirement forward.
 */
export function scheduleRetirement(registry: IssuedRegistry, current: IssuedRecord, retireAt: Date): { registry: IssuedRegistry; scheduled: IssuedRecord[] } {
  const at = retireAt.toISOString();
  const scheduled: IssuedRecord[] = [];
  const certificates = registry.certificates.map((r) => {
    const replaced = r.name === current.name && r.kind === current.kind && r.issuer === 'root' && r.serial !== current.serial;
    if (!replaced || r.revokedAt !== undefined || (r.retireAt !== undefined && Date.parse(r.retireAt) <= retireAt.getTime())) return r;
    const next = { ...r, retireAt: at };
    scheduled.push(next);
    return next;
  });
  return { registry: { ...registry, certificates }, scheduled };
}

/**
 * Revokes the certificates whose retirement time has come, as of their retirement time (not the
 * time this runs): `tz audit verify` judges checkpoints by when the key stopped being valid.
 */
export function applyDueRetirements(registry: IssuedRegistry, now: Date): { registry: IssuedRegistry; retired: IssuedRecord[] } {
  const retired: IssuedRecord[] = [];
  const certificates = registry.certificates.map((r) => {
    if (r.retireAt === undefined || r.revokedAt !== undefined || Date.parse(r.retireAt) > now.getTime()) return r;
    const next = { ...r, revokedAt: r.retireAt };
    retired.push(next);
    return next;
  });
  return { registry: retired.length === 0 ? registry : { ...registry, certificates }, retired };
}

/** The earliest pending retirement, if any. */
export function nextRetirement(registry: IssuedRegistry): Date | undefined {
  const pending = registry.certificates.filter((r) => r.retireAt !== undefined && r.revokedAt === undefined).map((r) => Date.parse(r.retireAt as string));
  return pending.length === 0 ? undefined : new Date(Math.min(...pending));
}
