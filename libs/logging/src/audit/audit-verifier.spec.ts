import { createPrivateKey, sign } from 'node:crypto';
import { appendFileSync, rmSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildLog, lineHash, lineOfSeq, logFile, readLines, rehash, setField, tempDir, writeLines } from '../testing/audit-fixture';
import type { TestCertificate } from '@trustzone/testing';
import { createTestCertificate } from '@trustzone/testing';
import { verifyAuditLog } from './audit-verifier';

// 10 events with a checkpoint every 4 records: seqs 1–4, cp 5, 6–9, cp 10, 11–12, cp 13 (close).
const EVENTS = 10;
let signer: TestCertificate;
let other: TestCertificate;
let dir: string;
let cleanup: () => void;
let file: string;
let original: string[];

beforeAll(() => {
  signer = createTestCertificate({ commonName: 'repository' });
  other = createTestCertificate({ commonName: 'attacker' });
});
beforeEach(async () => {
  ({ dir, cleanup } = tempDir('tz-audit-verify-'));
  await buildLog(dir, EVENTS, signer);
  file = logFile(dir);
  original = readLines(file);
});
afterEach(() => cleanup());

const verify = () => verifyAuditLog({ dir, trustedCertPem: signer.certPem });

describe('verifyAuditLog', () => {
  it('accepts an untouched log and counts what it checked', async () => {
    expect(original).toHaveLength(13);
    expect(await verify()).toEqual({ ok: true, records: EVENTS, checkpoints: 3, firstSeq: 1, lastSeq: 13, unsignedTail: 0, incompleteTail: false });
  });

  it('refuses the log under a certificate that did not sign it', async () => {
    expect(await verifyAuditLog({ dir, trustedCertPem: other.certPem })).toMatchObject({ ok: false, problem: 'bad-signature', seq: 5 });
  });

  it('names an edited record', async () => {
    const lines = [...original];
    const at = lineOfSeq(lines, 7);
    lines[at - 1] = (lines[at - 1] as string).replace(/"outcome":"[a-z]+"/, '"outcome":"success"').replace('"i":6', '"i":60');
    writeLines(file, lines);
    expect(await verify()).toMatchObject({ ok: false, problem: 'edited', seq: 7, line: at, file: 'audit-000001.jsonl' });
  });

  it('names an edited record even when its own hash was recomputed (the next record vouches for the original)', async () => {
    const lines = [...original];
    const at = lineOfSeq(lines, 7);
    lines[at - 1] = rehash(setField(lines[at - 1] as string, 'outcome', 'success'));
    writeLines(file, lines);
    expect(await verify()).toMatchObject({ ok: false, problem: 'edited', seq: 7, line: at });
  });

  it('names a deleted record', async () => {
    const at = lineOfSeq(original, 7);
    writeLines(file, original.filter((_, i) => i !== at - 1));
    expect(await verify()).toMatchObject({ ok: false, problem: 'deleted', seq: 8, line: at, detail: expect.stringContaining('record 7 is missing') });
  });

  it('names a deleted checkpoint', async () => {
    const at = lineOfSeq(original, 10);
    writeLines(file, original.filter((_, i) => i !== at - 1));
    expect(await verify()).toMatchObject({ ok: false, problem: 'deleted', line: at, detail: expect.stringContaining('record 10 is missing') });
  });

  it('names an inserted copy of an earlier record', async () => {
    const lines = [...original];
    const at = lineOfSeq(lines, 6);
    lines.splice(at, 0, lines[lineOfSeq(lines, 3) - 1] as string);
    writeLines(file, lines);
    expect(await verify()).toMatchObject({ ok: false, problem: 'inserted', seq: 3, line: at + 1 });
  });

  it('names a forged record inserted with the next number and a correct chain link', async () => {
    const lines = [...original];
    const before = lines[lineOfSeq(lines, 6) - 1] as string;
    const at = lineOfSeq(lines, 7);
    const forged = rehash(setField(setField(lines[at - 1] as string, 'actor', { user: 'DIR\\mallory' }), 'prev', lineHash(before)));
    lines.splice(at - 1, 0, forged);
    writeLines(file, lines);
    expect(await verify()).toMatchObject({ ok: false, problem: 'inserted', seq: 7, line: at });
  });

  it('names reordered records', async () => {
    const lines = [...original];
    const a = lineOfSeq(lines, 7);
    [lines[a - 1], lines[a]] = [lines[a] as string, lines[a - 1] as string];
    writeLines(file, lines);
    expect(await verify()).toMatchObject({ ok: false, problem: 'reordered', seq: 8, line: a });
  });

  it('names a record moved further down', async () => {
    const lines = [...original];
    const a = lineOfSeq(lines, 2);
    const [moved] = lines.splice(a - 1, 1);
    lines.splice(a + 2, 0, moved as string);
    writeLines(file, lines);
    expect(await verify()).toMatchObject({ ok: false, problem: 'reordered', seq: 3, line: a });
  });

  it('detects a forged checkpoint signed by another key', async () => {
    const lines = [...original];
    const at = lineOfSeq(lines, 10);
    const cp = JSON.parse(lines[at - 1] as string) as { seq: number; upTo: number; prev: string; time: string };
    const message = Buffer.from(`trustzone-audit-checkpoint/v1\n${cp.seq}\n${cp.upTo}\n${cp.prev}\n${cp.time}`);
    const forgedSig = sign('sha256', message, createPrivateKey(other.keyPem)).toString('base64');
    lines[at - 1] = rehash(setField(lines[at - 1] as string, 'sig', forgedSig));
    writeLines(file, lines);
    expect(await verify()).toMatchObject({ ok: false, problem: 'bad-signature', seq: 10, line: at });
  });

  it('detects a chain re-hashed from an edit up to the next checkpoint (the signature no longer matches)', async () => {
    const lines = [...original];
    const from = lineOfSeq(lines, 7);
    const cpLine = lineOfSeq(lines, 10);
    for (let i = from - 1; i < cpLine; i++) {
      let line = lines[i] as string;
      if (i === from - 1) line = setField(line, 'outcome', 'success');
      lines[i] = rehash(setField(line, 'prev', lineHash(lines[i - 1] as string)));
    }
    writeLines(file, lines);
    expect(await verify()).toMatchObject({ ok: false, problem: 'bad-signature', seq: 10, line: cpLine });
  });

  it('reports a line that is not a record as malformed', async () => {
    const lines = [...original];
    lines[3] = '{"seq":4,"oops"';
    writeLines(file, lines);
    expect(await verify()).toMatchObject({ ok: false, problem: 'malformed', seq: 4, line: 4 });
  });

  it('treats a torn last line as a write in progress, not a record', async () => {
    appendFileSync(file, '{"seq":14,"time":"20');
    expect(await verify()).toMatchObject({ ok: true, records: EVENTS, lastSeq: 13, incompleteTail: true });
    // The same bytes followed by a newline are a line, and a malformed one.
    appendFileSync(file, '\n');
    expect(await verify()).toMatchObject({ ok: false, problem: 'malformed', line: 14 });
  });

  it('says so when the audit directory does not exist', async () => {
    await expect(verifyAuditLog({ dir: `${dir}/nope`, trustedCertPem: signer.certPem })).rejects.toMatchObject({ code: 'LOG_MISSING' });
  });

  it('follows the chain across rotated files and names a deleted file', async () => {
    const rotated = tempDir('tz-audit-rotate-');
    try {
      await buildLog(rotated.dir, 40, signer, { maxFileBytes: 2000 });
      const ok = await verifyAuditLog({ dir: rotated.dir, trustedCertPem: signer.certPem });
      expect(ok).toMatchObject({ ok: true, records: 40, unsignedTail: 0 });
      const second = readLines(logFile(rotated.dir, 2));
      const firstSeqOfSecond = (JSON.parse(second[0] as string) as { seq: number }).seq;
      const firstSeqOfThird = (JSON.parse(readLines(logFile(rotated.dir, 3))[0] as string) as { seq: number }).seq;
      rmSync(logFile(rotated.dir, 2));
      expect(await verifyAuditLog({ dir: rotated.dir, trustedCertPem: signer.certPem })).toMatchObject({
        ok: false, problem: 'deleted', file: 'audit-000003.jsonl', line: 1, seq: firstSeqOfThird,
        detail: expect.stringContaining(`records ${firstSeqOfSecond}–${firstSeqOfThird - 1}`),
      });
    } finally {
      rotated.cleanup();
    }
  });

  it('verifies from a date, starting at the last signed checkpoint before it', async () => {
    const times = original.map((l) => JSON.parse(l) as { seq: number; time: string; kind?: string });
    const cp10 = times.find((t) => t.seq === 10);
    const expectedRecords = times.filter((t) => t.seq > 10 && t.kind === undefined).length;
    const result = await verifyAuditLog({ dir, trustedCertPem: signer.certPem, from: new Date(Date.parse(cp10?.time ?? '') + 0) });
    expect(result).toMatchObject({ ok: true, firstSeq: 10, records: expectedRecords, checkpoints: 2 });
    // An edit before the anchor is outside the verified range; one after it is still caught.
    const lines = [...original];
    lines[lineOfSeq(lines, 11) - 1] = (lines[lineOfSeq(lines, 11) - 1] as string).replace('"i":', '"i":1');
    writeLines(file, lines);
    expect(await verifyAuditLog({ dir, trustedCertPem: signer.certPem, from: new Date(Date.parse(cp10?.time ?? '')) })).toMatchObject({ ok: false, problem: 'edited', seq: 11 });
  });
});
