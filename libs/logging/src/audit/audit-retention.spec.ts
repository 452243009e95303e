import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestCertificate } from '@trustzone/testing';
import { createTestCertificate } from '@trustzone/testing';
import { readLines, sampleEvent, tempDir } from '../testing/audit-fixture';
import { openAuditLog, type AuditLogOptions } from './audit-log';
import { RETENTION_ANCHOR_FILE } from './audit-retention';
import { tailAuditLog } from './audit-tail';
import { verifyAuditLog } from './audit-verifier';

const MAX_FILE = 4096;
const RETAIN = 3 * MAX_FILE;
let signer: TestCertificate;
let other: TestCertificate;
let dir: string;
let cleanup: () => void;

beforeAll(() => {
  signer = createTestCertificate({ commonName: 'repository' });
  other = createTestCertificate({ commonName: 'attacker' });
});
beforeEach(() => ({ dir, cleanup } = tempDir('tz-audit-retain-')));
afterEach(() => cleanup());

const files = () => readdirSync(dir).filter((n) => /^audit-\d{6}\.jsonl$/.test(n)).sort();
const bytes = () => files().reduce((n, f) => n + statSync(join(dir, f)).size, 0);
const verify = () => verifyAuditLog({ dir, trustedCertPem: signer.certPem });

async function write(count: number, options: Partial<AuditLogOptions> = {}): Promise<void> {
  const log = await openAuditLog({ dir, signer, checkpointEvery: 10, maxFileBytes: MAX_FILE, retainBytes: RETAIN, ...options });
  for (let i = 0; i < count; i++) await log.append(sampleEvent(i));
  await log.close();
}

describe('audit retention by size', () => {
  it('drops the oldest files down to the budget, and the rest verifies from the retention anchor', async () => {
    const steps: unknown[] = [];
    await write(400, { onRetention: (r) => steps.push(r) });
    expect(files()[0]).not.toBe('audit-000001.jsonl');
    expect(bytes()).toBeLessThanOrEqual(RETAIN + MAX_FILE);
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((s) => typeof s === 'object' && s !== null && 'upToSeq' in s)).toBe(true);
    const r = await verify();
    expect(r).toMatchObject({ ok: true, lastSeq: expect.any(Number) });
    if (!r.ok) return;
    const firstKept = JSON.parse(readLines(join(dir, files()[0] as string))[0] as string) as { seq: number };
    expect(r.retainedFrom).toBe(firstKept.seq);
    const retention = await tailAuditLog({ dir, limit: 100, filter: { action: 'audit.retention' } });
    expect(retention.entries.length).toBeGreaterThan(0);
  });

  it('keeps everything with retainBytes 0, and refuses a budget smaller than two files', async () => {
    await write(200, { retainBytes: 0 });
    expect(files()[0]).toBe('audit-000001.jsonl');
    expect(files().length).toBeGreaterThan(3);
    await expect(openAuditLog({ dir, signer, maxFileBytes: MAX_FILE, retainBytes: MAX_FILE })).rejects.toThrow(/at least twice maxFileBytes/);
  });

  it('detects a file deleted beyond the policy', async () => {
    await write(400);
    rmSync(join(dir, files()[0] as string));
    expect(await verify()).toMatchObject({ ok: false, problem: 'deleted', detail: expect.stringMatching(/retention anchor .* does not reach/) });
  });

  it('detects a genuine later checkpoint put in the anchor\'s place to cover more deletions', async () => {
    await write(400);
    const [first, second] = files();
    const lastOfSecond = readLines(join(dir, second as string)).at(-1) as string;
    writeFileSync(join(dir, RETENTION_ANCHOR_FILE), `${lastOfSecond}\n`);
    rmSync(join(dir, first as string));
    rmSync(join(dir, second as string));
    expect(await verify()).toMatchObject({ ok: false, problem: 'deleted', detail: expect.stringMatching(/no audit\.retention record/) });
  });

  it('detects an anchor the trusted key did not sign, and a missing anchor', async () => {
    await write(400, { signer: other });
    expect(await verifyAuditLog({ dir, trustedCertPem: signer.certPem })).toMatchObject({ ok: false, problem: 'bad-signature' });
    rmSync(join(dir, RETENTION_ANCHOR_FILE));
    expect(await verifyAuditLog({ dir, trustedCertPem: other.certPem })).toMatchObject({ ok: false, problem: 'deleted', detail: expect.stringMatching(/no retention anchor/) });
  });

  it('a retention step cut short by a crash still verifies, and the next open finishes it', async () => {
    await write(160, { retainBytes: 0 });
    const kept = files().map((f) => [f, readFileSync(join(dir, f))] as const);
    await write(1); // now with the budget: drops the oldest files
    const dropped = kept.filter(([f]) => !files().includes(f));
    expect(dropped.length).toBeGreaterThan(1);
    // The crash: the newest of the dropped files was not deleted yet.
    const [name, content] = dropped.at(-1) as (typeof dropped)[number];
    writeFileSync(join(dir, name), content);
    expect(await verify()).toMatchObject({ ok: true });
    await write(0);
    expect(files()).not.toContain(name);
    expect(await verify()).toMatchObject({ ok: true });
  });
});
