import type { KeyObject } from 'node:crypto';
import { listAuditFiles } from './audit-files';
import { LoggingError, LoggingErrorCode } from '../logging.error';
import { findAnchor } from './audit-anchor';
import type { AuditEntry } from './audit-record';
import { GENESIS_HASH, isCheckpoint } from './audit-record';
import { checkpointMessage, loadTrustedKeys, verifyCheckpointSignature } from './checkpoint-signer';
import type { SourceLine } from './line-source';
import { LineSource, parsedOf } from './line-source';

export type AuditProblem = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'bad-signature' | 'malformed';

export interface AuditVerifyOptions {
  dir: string;
  /** PEM certificate(s) or public key(s) whose signatures are accepted on checkpoints. */
  trustedCertPem: string | readonly string[];
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
    return await walk(source, keys, anchor?.line ?? null);
  } finally {
    await source.close();
  }
}

async function walk(source: LineSource, keys: readonly KeyObject[], anchorLine: number | null): Promise<AuditVerifyResult> {
  let records = 0;
  let checkpoints = 0;
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let previous: Good | null = null;
  let firstSeq = 0;
  let unsignedTail = 0;
  let incompleteTail = false;
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
    if (previous === null && anchorLine !== null) {
      // Starting from a checkpoint (verify --from): it must stand on its own signature.
      if (!isCheckpoint(entry) || !parsed.selfConsistent) return fail(current, entry.seq, 'malformed', 'the starting point is not an intact checkpoint');
      expected = entry.seq;
      prevHash = entry.prev;
    }
    if (firstSeq === 0) firstSeq = entry.seq;
    if (entry.seq === expected) {
      if (await insertedBefore(source, current, prevHash)) return fail(current, entry.seq, 'inserted', `a second record numbered ${entry.seq} follows and the chain continues from that one`);
      if (!parsed.selfConsistent) return fail(current, entry.seq, 'edited', 'the record does not match its own hash');
      if (entry.prev !== prevHash) {
        if (previous === null) return fail(current, entry.seq, 'edited', 'the first record does not start the chain');
        return fail(previous, previous.seq, 'edited', `record ${entry.seq} holds a different hash for this line`);
      }
      if (isCheckpoint(entry)) {
        if (entry.upTo !== entry.seq - 1) return fail(current, entry.seq, 'malformed', 'checkpoint upTo is not the record before it');
        if (!verifyCheckpointSignature(keys, checkpointMessage(entry.seq, entry.upTo, entry.prev, entry.time), entry.sig)) {
          return fail(current, entry.seq, 'bad-signature', 'the checkpoint signature does not verify with the trusted certificate');
        }
        checkpoints += 1;
        unsignedTail = 0;
      } else {
        records += 1;
        unsignedTail += 1;
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
  return { ok: true, records, checkpoints, firstSeq, lastSeq: expected - 1, unsignedTail, incompleteTail };
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
