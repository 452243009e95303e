import { listAuditFiles } from './audit-files';
import { LoggingError, LoggingErrorCode } from '../logging.error';
import { findAnchor } from './audit-anchor';
import type { AuditEntry } from './audit-record';
import { GENESIS_HASH, isCheckpoint } from './audit-record';
import type { AuditCheckpoint } from './audit-record';
import { RETENTION_ACTION, readRetentionAnchor } from './audit-retention';
import type { TrustedKey, TrustedSigner } from './checkpoint-signer';
import { checkpointMessage, loadTrustedKeys, verifyCheckpointSignature } from './checkpoint-signer';
import type { SourceLine } from './line-source';
import { LineSource, parsedOf } from './line-source';

export type AuditProblem = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'bad-signature' | 'malformed';

export interface AuditVerifyOptions {
  dir: string;
  /**
   * PEM certificate(s) or public key(s) whose signatures are accepted on checkpoints; a signer with
   * `revokedAt` only for checkpoints of a log that had not reached that time yet.
   */
  trustedCertPem: string | readonly (string | TrustedSigner)[];
  /** Verify from the last signed checkpoint at or before this time instead of from the start. */
  from?: Date;
}

export type AuditVerifyResult =
  | {
      ok: true;
      records: number;
      checkpoints: number;
      firstSeq: number;
      lastSeq: number;
      /** Records after the last checkpoint: chained, not yet signed. */
      unsignedTail: number;
      /**
       * Bytes after the last newline: a write in progress (verifying a live log) or cut short by a
       * crash (the next open moves them to a side file). Not a record, so not verified.
       */
      incompleteTail: boolean;
      /** Set when older records were dropped by the retention policy: the first seq still on disk. */
      retainedFrom?: number;
    }
  | { ok: false; seq: number; file: string; line: number; problem: AuditProblem; detail: string; records: number; checkpoints: number };

/** How far ahead the verifier looks to tell a moved record from a deleted or inserted one. */
const LOOKAHEAD = 1024;

interface Good {
  file: string;
  line: number;
  seq: number;
  text: string;
  hash: string;
}

type Failure = Extract<AuditVerifyResult, { ok: false }>;

/**
 * Walks the chain and names the first bad record. Each record carries its sequence number, the
 * hash of the line before it and its own hash; signed checkpoints anchor the chain. The cases are
 * told apart by which of those disagree:
 * - own hash wrong → the record was edited (or, when a later record still vouches for the
 *   original, the earlier line was edited and re-hashed);
 * - sequence jumps ahead and the missing number never shows up → deleted;
 * - it shows up a little later → reordered; a record whose number was already used → inserted;
 * - a checkpoint whose signature fails → bad-signature (forged, or chain re-hashed beneath it).
 * Records after the last checkpoint are protected by the chain only (`unsignedTail`): cutting them
 * off the end is not detectable from the log alone.
 */
export async function verifyAuditLog(options: AuditVerifyOptions): Promise<AuditVerifyResult> {
  const keys = loadTrustedKeys(options.trustedCertPem);
  const files = await listAuditFiles(options.dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new LoggingError(LoggingErrorCode.LogMissing, `audit directory ${options.dir} does not exist`, options.dir);
    throw error;
  });
  const anchor = options.from ? await findAnchor(files, options.from) : null;
  const source = new LineSource(files, anchor?.fileIdx ?? 0);
  try {
    const retained = anchor ? null : await retentionStart(options.dir, source, keys);
    if (retained && !retained.ok) return retained;
    return await walk(source, keys, anchor?.line ?? null, retained);
  } finally {
    await source.close();
  }
}

/** Where the chain starts when the retention policy dropped the oldest files (audit-retention.ts). */
interface RetainedStart {
  ok: true;
  seq: number;
  prev: string;
  time: number;
  anchorSeq: number;
}

/**
 * A log whose first record is not seq 1 is acceptable only from a retention anchor: an intact
 * checkpoint, signed by a trusted key while it was valid, whose hash the first kept record carries.
 */
async function retentionStart(dir: string, source: LineSource, keys: readonly TrustedKey[]): Promise<RetainedStart | Failure | null> {
  const [first] = await source.peek(1);
  const parsed = first ? parsedOf(first) : undefined;
  if (!first || !parsed?.ok || parsed.entry.seq === 1) return null;
  const seq = parsed.entry.seq;
  const gone = (detail: string): Failure => ({ ok: false, seq, file: first.file, line: first.line, problem: 'deleted', detail: `records 1–${seq - 1} are missing: ${detail}`, records: 0, checkpoints: 0 });
  const read = await readRetentionAnchor(dir);
  if (read.kind === 'none') return gone('no retention anchor vouches for them');
  if (read.kind === 'bad') return gone(read.detail);
  const a = read.anchor;
  // Files wholly before the anchor may still be there (a retention step cut short): skipped below.
  if (a.entry.seq < seq - 1) return gone(`the retention anchor (checkpoint ${a.entry.seq}) does not reach record ${seq}`);
  const time = Date.parse(a.entry.time);
  const check = signatureOf(keys, a.entry, time);
  if (!check.ok) return { ...gone(`the retention anchor's ${check.detail}`), problem: 'bad-signature' };
  return { ok: true, seq: a.entry.seq + 1, prev: a.hash, time, anchorSeq: a.entry.seq };
}

function signatureOf(keys: readonly TrustedKey[], cp: AuditCheckpoint, latest: number): { ok: true } | { ok: false; detail: string } {
  const r = verifyCheckpointSignature(keys, checkpointMessage(cp.seq, cp.upTo, cp.prev, cp.time), cp.sig, cp.signer, latest);
  if (r.ok) return r;
  if (r.revokedAt) return { ok: false, detail: `signature is by certificate ${cp.signer.slice(0, 16)}…, which was revoked at ${r.revokedAt.toISOString()}, before this point of the log` };
  return { ok: false, detail: 'signature does not verify with the trusted certificate' };
}

async function walk(source: LineSource, keys: readonly TrustedKey[], anchorLine: number | null, retained: RetainedStart | null): Promise<AuditVerifyResult> {
  let records = 0;
  let checkpoints = 0;
  let expected = retained?.seq ?? 1;
  let prevHash = retained?.prev ?? GENESIS_HASH;
  let previous: Good | null = null;
  let firstSeq = 0;
  let unsignedTail = 0;
  let incompleteTail = false;
  /** Latest time of any entry so far: a revoked signer vouches only for what came before its revocation. */
  let latest = retained?.time ?? Number.NEGATIVE_INFINITY;
  let retentionRecorded = false;
  let firstLine: { file: string; line: number } | null = null;
  const fail = (at: { file: string; line: number }, seq: number, problem: AuditProblem, detail: string): Failure => ({
    ok: false, seq, file: at.file, line: at.line, problem, detail, records, checkpoints,
  });
  // The source starts in the anchor's file; the lines before the anchor are not verified.
  let skip = anchorLine === null ? 0 : anchorLine - 1;
  for (let current = await source.next(); current !== undefined; current = await source.next()) {
    if (skip > 0) {
      skip -= 1;
      continue;
    }
    const parsed = parsedOf(current);
    if (!current.complete) {
      incompleteTail = true;
      continue;
    }
    if (!parsed.ok) return fail(current, parsed.seq ?? expected, 'malformed', parsed.detail);
    const entry = parsed.entry;
    // Left over from a retention step that did not finish deleting: covered by the anchor.
    if (previous === null && retained && entry.seq <= retained.anchorSeq) continue;
    if (previous === null && anchorLine !== null) {
      // Starting from a checkpoint (verify --from): it must stand on its own signature.
      if (!isCheckpoint(entry) || !parsed.selfConsistent) return fail(current, entry.seq, 'malformed', 'the starting point is not an intact checkpoint');
      expected = entry.seq;
      prevHash = entry.prev;
    }
    if (firstSeq === 0) {
      firstSeq = entry.seq;
      firstLine = { file: current.file, line: current.line };
    }
    if (entry.seq === expected) {
      if (await insertedBefore(source, current, prevHash)) return fail(current, entry.seq, 'inserted', `a second record numbered ${entry.seq} follows and the chain continues from that one`);
      if (!parsed.selfConsistent) return fail(current, entry.seq, 'edited', 'the record does not match its own hash');
      if (entry.prev !== prevHash) {
        if (previous === null) return fail(current, entry.seq, 'edited', 'the first record does not start the chain');
        return fail(previous, previous.seq, 'edited', `record ${entry.seq} holds a different hash for this line`);
      }
      latest = Math.max(latest, Date.parse(entry.time));
      if (isCheckpoint(entry)) {
        if (entry.upTo !== entry.seq - 1) return fail(current, entry.seq, 'malformed', 'checkpoint upTo is not the record before it');
        const signature = signatureOf(keys, entry, latest);
        if (!signature.ok) return fail(current, entry.seq, 'bad-signature', `the checkpoint ${signature.detail}`);
        checkpoints += 1;
        unsignedTail = 0;
      } else {
        records += 1;
        unsignedTail += 1;
        if (retained && entry.action === RETENTION_ACTION && (entry.details as { upToSeq?: unknown } | undefined)?.upToSeq === retained.anchorSeq) retentionRecorded = true;
      }
      previous = { file: current.file, line: current.line, seq: entry.seq, text: current.text, hash: parsed.lineHash };
      prevHash = parsed.lineHash;
      expected += 1;
      continue;
    }
    if (entry.seq > expected) return fail(current, entry.seq, ...(await classifyGap(source, entry, expected)));
    const duplicate = previous !== null && previous.text === current.text;
    return fail(current, entry.seq, 'inserted', duplicate ? `a copy of record ${entry.seq}` : `record number ${entry.seq} was already used`);
  }
  if (retained && !retentionRecorded) {
    // A genuine checkpoint was put in the anchor's place, but the log never dropped files there.
    return fail(firstLine ?? { file: '', line: 0 }, retained.seq, 'deleted', `records 1–${retained.seq - 1} are missing and no ${RETENTION_ACTION} record accounts for dropping them`);
  }
  return { ok: true, records, checkpoints, firstSeq, lastSeq: expected - 1, unsignedTail, incompleteTail, ...(retained ? { retainedFrom: retained.seq } : {}) };
}

/**
 * `current` has the expected number; it is the inserted one when the next line has the same number
 * and the chain carries on from that next line rather than from `current`.
 */
async function insertedBefore(source: LineSource, current: SourceLine, prevHash: string): Promise<boolean> {
  const [next, after] = await source.peek(2);
  const cur = parsedOf(current);
  const nxt = next ? parsedOf(next) : undefined;
  if (!cur.ok || !nxt?.ok || nxt.entry.seq !== cur.entry.seq || next?.text === current.text) return false;
  const aft = after ? parsedOf(after) : undefined;
  if (aft?.ok && aft.entry.prev === nxt.lineHash) return true;
  if (aft?.ok && aft.entry.prev === cur.lineHash) return false;
  const curValid = cur.selfConsistent && cur.entry.prev === prevHash;
  return !curValid && nxt.selfConsistent && nxt.entry.prev === prevHash;
}

async function classifyGap(source: LineSource, entry: AuditEntry, expected: number): Promise<[AuditProblem, string]> {
  const window = (await source.peek(LOOKAHEAD)).map(parsedOf);
  const missingAhead = window.some((p) => p.ok && p.entry.seq === expected);
  if (!missingAhead) {
    const range = entry.seq - 1 > expected ? `records ${expected}–${entry.seq - 1} are` : `record ${expected} is`;
    return ['deleted', `${range} missing before record ${entry.seq}`];
  }
  if (window.some((p) => p.ok && p.lineHash === entry.prev)) return ['reordered', `record ${entry.seq} appears before record ${expected}`];
  return ['inserted', `record ${entry.seq} does not belong here: it is not chained to the records around it`];
}
