import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditLogOptions } from '../audit/audit-log';
import { openAuditLog } from '../audit/audit-log';
import type { AuditEvent, AuditOutcome } from '../audit/audit-record';
import type { TestCertificate } from '@trustzone/testing';

// Test-only helpers for audit specs: build a log through the real writer, then tamper with the
// raw lines the way an attacker with file access would.

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const OUTCOMES: AuditOutcome[] = ['success', 'denied', 'failure', 'error'];

export function sampleEvent(i: number): AuditEvent {
  return {
    actor: i % 3 === 0 ? { service: 'repository' } : { user: `DIR\\user${i % 5}` },
    action: i % 2 === 0 ? 'app.open' : 'auth.login',
    target: { type: 'app', id: `app-${i}` },
    outcome: OUTCOMES[i % 4] as AuditOutcome,
    details: { i },
  };
}

export async function buildLog(dir: string, count: number, signer: TestCertificate, options: Partial<AuditLogOptions> = {}): Promise<void> {
  const log = await openAuditLog({ dir, signer, checkpointEvery: 4, ...options });
  for (let i = 0; i < count; i++) await log.append(sampleEvent(i));
  await log.close();
}

export const logFile = (dir: string, index = 1): string => join(dir, `audit-${String(index).padStart(6, '0')}.jsonl`);
export const readLines = (file: string): string[] => readFileSync(file, 'utf8').split('\n').slice(0, -1);
export const writeLines = (file: string, lines: string[]): void => writeFileSync(file, `${lines.join('\n')}\n`);

/** 1-based line number of the entry with this seq, read independently of the library. */
export function lineOfSeq(lines: string[], seq: number): number {
  const index = lines.findIndex((l) => (JSON.parse(l) as { seq: number }).seq === seq);
  if (index < 0) throw new Error(`seq ${seq} not in log`);
  return index + 1;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Recomputes a line's own hash after an edit, as an attacker who knows the format would. */
export function rehash(line: string): string {
  const body = line.replace(/,"hash":"[0-9a-f]{64}"\}$/, '}');
  return `${body.slice(0, -1)},"hash":"${sha256(body)}"}`;
}

export const lineHash = (line: string): string => sha256(line);

export function setField(line: string, field: string, value: unknown): string {
  const obj = JSON.parse(line) as Record<string, unknown>;
  obj[field] = value;
  return JSON.stringify(obj);
}
