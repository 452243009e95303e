import { randomBytes } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildLog, logFile, readLines, sampleEvent, tempDir } from '../testing/audit-fixture';
import type { TestCertificate } from '@trustzone/testing';
import { createTestCertificate } from '@trustzone/testing';
import { openAuditLog } from './audit-log';
import type { AuditRecord } from './audit-record';
import { tailAuditLog } from './audit-tail';
import { linesBackward } from './backward-lines';

let signer: TestCertificate;
let dir: string;
let cleanup: () => void;
beforeAll(() => {
  signer = createTestCertificate();
});
beforeEach(() => {
  ({ dir, cleanup } = tempDir('tz-audit-tail-'));
});
afterEach(() => cleanup());

const seqs = (entries: { seq: number }[]) => entries.map((e) => e.seq);

describe('tailAuditLog', () => {
  it('returns the newest matching records, oldest first, across rotated files', async () => {
    await buildLog(dir, 60, signer, { maxFileBytes: 3000 });
    const all = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((i) => {
      try {
        return readLines(logFile(dir, i)).map((l) => JSON.parse(l) as AuditRecord & { kind?: string });
      } catch {
        return [];
      }
    });
    expect(all.length).toBeGreaterThan(60);
    const records = all.filter((e) => e.kind === undefined);
    const expectFiltered = (pred: (r: AuditRecord) => boolean, limit: number) => seqs(records.filter(pred).slice(-limit));

    expect(seqs((await tailAuditLog({ dir, limit: 5 })).entries)).toEqual(expectFiltered(() => true, 5));
    expect(seqs((await tailAuditLog({ dir, limit: 7, filter: { action: 'auth.*', outcome: 'denied' } })).entries)).toEqual(
      expectFiltered((r) => r.action.startsWith('auth.') && r.outcome === 'denied', 7),
    );
    expect(seqs((await tailAuditLog({ dir, limit: 100, filter: { user: 'DIR\\user2' } })).entries)).toEqual(
      expectFiltered((r) => r.actor.user === 'DIR\\user2', 100),
    );
    expect(seqs((await tailAuditLog({ dir, limit: 100, filter: { service: 'repository', targetId: 'app-9' } })).entries)).toEqual(
      expectFiltered((r) => r.actor.service === 'repository' && r.target?.id === 'app-9', 100),
    );
    const withCheckpoints = await tailAuditLog({ dir, limit: 3, filter: { includeCheckpoints: true } });
    expect(seqs(withCheckpoints.entries)).toEqual(seqs(all.slice(-3)));
  });

  it('stops at `since` and bounds the scan', async () => {
    let clock = Date.UTC(2030, 0, 1);
    const log = await openAuditLog({ dir, signer, now: () => new Date((clock += 1000)) });
    for (let i = 0; i < 20; i++) await log.append(sampleEvent(i));
    await log.close();
    const records = readLines(logFile(dir)).map((l) => JSON.parse(l) as AuditRecord & { kind?: string }).filter((e) => e.kind === undefined);
    const cut = new Date(Date.parse((records[14] as AuditRecord).time));
    const tail = await tailAuditLog({ dir, limit: 100, filter: { since: cut } });
    expect(seqs(tail.entries)).toEqual(seqs(records.filter((r) => Date.parse(r.time) >= cut.getTime())));
    const bounded = await tailAuditLog({ dir, limit: 100, maxScan: 4 });
    expect(bounded).toMatchObject({ incomplete: true, scanned: 4 });
  });

  it('skips a torn last line and counts malformed lines', async () => {
    await buildLog(dir, 5, signer);
    appendFileSync(logFile(dir), 'garbage\n{"seq":99,"tim');
    const result = await tailAuditLog({ dir, limit: 2 });
    expect(result.malformed).toBe(1);
    expect(result.entries).toHaveLength(2);
  });

  it('refuses an unbounded limit', async () => {
    await expect(tailAuditLog({ dir, limit: 0 })).rejects.toThrow(/limit/);
    await expect(tailAuditLog({ dir, limit: 1e9 })).rejects.toThrow(/limit/);
  });
});

describe('linesBackward', () => {
  it('yields exactly the complete lines in reverse, across chunk boundaries, skipping over-long ones', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => (i % 97 === 0 ? 'L'.repeat(5000) : randomBytes(1 + (i % 300)).toString('hex')));
    const file = join(dir, 'lines.txt');
    writeFileSync(file, `${lines.join('\n')}\ntorn-tail`);
    const got: string[] = [];
    for await (const line of linesBackward(file, 4000)) got.push(line);
    expect(got).toEqual(lines.filter((l) => l.length <= 4000).reverse());
  });
});
