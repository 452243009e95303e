import { z } from 'zod';

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied', 'error'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
export const AUDIT_SERVICES = ['proxy', 'repository', 'engine', 'cli'] as const;
export type AuditService = (typeof AUDIT_SERVICES)[number];

/** `prev` of the first record ever written: there is no previous line. */
export const GENESIS_HASH = '0'.repeat(64);
/** One record line may not exceed this many bytes (bounded memory for writer, verifier and tail). */
export const MAX_LINE_BYTES = 64 * 1024;

// Identifiers that end up in filters and on screens: printable, bounded, no control characters at
// all (rejected rather than escaped, so a forged-looking value never even gets in).
const PRINTABLE = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]+$/;
const printable = (max: number) => z.string().min(1).max(max).regex(PRINTABLE, 'must not contain control characters');

export const auditActorSchema = z
  .object({
    /** `USERDIRECTORY\userid`, the Qlik user identity. */
    user: printable(512).regex(/^[^\\]+\\.+$/, 'must be DIRECTORY\\userid').optional(),
    service: z.enum(AUDIT_SERVICES).optional(),
  })
  .strict()
  .refine((a) => a.user !== undefined || a.service !== undefined, 'actor needs a user or a service');

export const auditEventSchema = z
  .object({
    actor: auditActorSchema,
    /** Dotted lower-case verb such as `auth.login`, `ticket.redeem`, `app.open`, `key.rotate`. */
    action: z.string().max(100).regex(/^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/, 'must be a dotted lower-case name'),
    target: z.object({ type: printable(64), id: printable(256) }).strict().optional(),
    outcome: z.enum(AUDIT_OUTCOMES),
    reason: z.string().max(2000).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type AuditActor = z.infer<typeof auditActorSchema>;
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** An event as stored: numbered, timed and chained. Field order here is the order on disk. */
export interface AuditRecord extends AuditEvent {
  seq: number;
  time: string;
  /** SHA-256 (hex) of the previous line of the log, record or checkpoint. */
  prev: string;
  /** SHA-256 (hex) of this line without its `hash` field. */
  hash: string;
}

/**
 * A signed anchor: `sig` is the signer's RSA-SHA256 signature over (seq, upTo, prev, time), and
 * `prev` is the hash of line `upTo`, so the signature vouches for the whole chain up to there.
 */
export interface AuditCheckpoint {
  seq: number;
  kind: 'checkpoint';
  time: string;
  upTo: number;
  prev: string;
  /** SHA-256 thumbprint (hex) of the signing certificate, to tell keys apart after rotation. */
  signer: string;
  sig: string;
  hash: string;
}

export type AuditEntry = AuditRecord | AuditCheckpoint;

export const isCheckpoint = (entry: AuditEntry): entry is AuditCheckpoint => 'kind' in entry && entry.kind === 'checkpoint';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const seqNumber = z.number().int().positive();

/** Shape of a stored line, checked when reading; the event part reuses the append-time rules. */
export const storedRecordSchema = auditEventSchema.extend({ seq: seqNumber, time: z.iso.datetime(), prev: hex64, hash: hex64 }).strict();
export const storedCheckpointSchema = z
  .object({ seq: seqNumber, kind: z.literal('checkpoint'), time: z.iso.datetime(), upTo: z.number().int().nonnegative(), prev: hex64, signer: hex64, sig: z.string().regex(/^[A-Za-z0-9+/]+=*$/).max(2048), hash: hex64 })
  .strict();
