import { hash } from 'node:crypto';
import { toJsonLine } from '../safe-json';
import type { AuditCheckpoint, AuditEntry, AuditRecord } from './audit-record';
import { MAX_LINE_BYTES, storedCheckpointSchema, storedRecordSchema } from './audit-record';

// One-shot crypto.hash: the audit writer hashes every line twice, and this skips a Hash object each time.
export const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

const HASH_SUFFIX = /,"hash":"([0-9a-f]{64})"\}$/;

/**
 * Appends `"hash": sha256(body)` as the last field, where body is the exact JSON text of the entry
 * without it. Hashing the stored text (not a re-serialisation) means the verifier needs no
 * canonical JSON: it strips the suffix and hashes what is on disk.
 */
export function sealLine<T extends object>(body: T): { line: string; entry: T & { hash: string } } {
  const { line, hash } = sealText(toJsonLine(body));
  return { line, entry: { ...body, hash } };
}

/** sealLine for a body that is already JSON text (the writer pre-serialises events off the write path). */
export function sealText(body: string): { line: string; hash: string } {
  const hash = sha256Hex(body);
  return { line: `${body.slice(0, -1)},"hash":"${hash}"}`, hash };
}

export type ParsedLine =
  | { ok: true; entry: AuditEntry; selfConsistent: boolean; lineHash: string }
  | { ok: false; seq?: number; detail: string };

/** Parses one stored line; `selfConsistent` is false when the content no longer matches its own hash. */
export function parseLine(line: string): ParsedLine {
  if (Buffer.byteLength(line, 'utf8') > MAX_LINE_BYTES) return { ok: false, detail: 'line longer than the record size limit' };
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, detail: 'not valid JSON' };
  }
  const seq = typeof raw === 'object' && raw !== null && Number.isInteger((raw as { seq?: unknown }).seq) ? (raw as { seq: number }).seq : undefined;
  const fail = (detail: string): ParsedLine => (seq === undefined ? { ok: false, detail } : { ok: false, seq, detail });
  const isCheckpointLine = typeof raw === 'object' && raw !== null && 'kind' in raw;
  const parsed = isCheckpointLine ? storedCheckpointSchema.safeParse(raw) : storedRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(`${isCheckpointLine ? 'checkpoint' : 'record'} field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const suffix = HASH_SUFFIX.exec(line);
  if (suffix === null) return fail('the hash is not the last field');
  const body = `${line.slice(0, suffix.index)}}`;
  const entry = parsed.data as AuditRecord | AuditCheckpoint;
  return { ok: true, entry, selfConsistent: sha256Hex(body) === entry.hash, lineHash: sha256Hex(line) };
}
