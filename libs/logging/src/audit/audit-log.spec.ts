import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LoggingErrorCode } from '../logging.error';
import { logFile, readLines, sampleEvent, tempDir } from '../testing/audit-fixture';
import type { TestCertificate } from '@trustzone/testing';
import { createTestCertificate } from '@trustzone/testing';
import { openAuditLog } from './audit-log';
import type { AuditEvent } from './audit-record';
import { recoverHead } from './audit-recovery';
import { listAuditFiles } from './audit-files';
import { createCheckpointSigner } from './checkpoint-signer';
import type { AppendTarget } from './audit-writer';
import { AuditWriter } from './audit-writer';
import { verifyAuditLog } from './audit-verifier';

let signer: TestCertificate;
let dir: string;
let cleanup: () => void;
beforeAll(() => {
  signer = createTestCertificate({ commonName: 'repository' });
});
beforeEach(() => {
  ({ dir, cleanup } = tempDir('tz-audit-log-'));
});
afterEach(() => cleanup());

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const parse = (line: string) => JSON.parse(line) as { seq: number; prev: string; kind?: string; reason?: string; details?: Record<string, unknown> };
const verify = () => verifyAuditLog({ dir, trustedCertPem: signer.certPem });

describe('openAuditLog', () => {
  it('numbers and chains concurrent appends without gaps, one line each', async () => {
    const log = await openAuditLog({ dir, signer, checkpointEvery: 1000 });
    const records = await Promise.all(Array.from({ length: 300 }, (_, i) => log.append(sampleEvent(i))));
    await log.close();
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    const lines = readLines(logFile(dir));
    expect(lines).toHaveLength(301);
    lines.forEach((line, i) => expect(parse(line).prev).toBe(i === 0 ? '0'.repeat(64) : sha256(lines[i - 1] as string)));
    expect(parse(lines[300] as string).kind).toBe('checkpoint');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(logFile(dir)).mode & 0o777).toBe(0o600);
  });

  it('writes a signed checkpoint every N records', async () => {
    const log = await openAuditLog({ dir, signer, checkpointEvery: 5 });
    for (let i = 0; i < 12; i++) await log.append(sampleEvent(i));
    await log.flush();
    const kinds = readLines(logFile(dir)).map((l) => parse(l).kind ?? 'record');
    expect(kinds.map((k, i) => (k === 'checkpoint' ? i + 1 : 0)).filter((n) => n > 0)).toEqual([6, 12]);
    await log.close();
    expect(await verify()).toMatchObject({ ok: true, records: 12, checkpoints: 3, unsignedTail: 0 });
  });

  it('writes a checkpoint after M ms when records are unsigned', async () => {
    const log = await openAuditLog({ dir, signer, checkpointEvery: 1000, checkpointMs: 40 });
    await log.append(sampleEvent(1));
    const deadline = Date.now() + 5000;
    while (!readLines(logFile(dir)).some((l) => parse(l).kind === 'checkpoint') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(readLines(logFile(dir)).map((l) => parse(l).kind ?? 'record')).toEqual(['record', 'checkpoint']);
    await log.close();
  });

  it('refuses malformed events and leaves the log untouched', async () => {
    const log = await openAuditLog({ dir, signer });
    const bad: unknown[] = [
      { ...sampleEvent(1), action: 'Login\nok' },
      { ...sampleEvent(1), actor: { user: 'DIR\\alice\u2028x' } },
      { ...sampleEvent(1), actor: { user: 'alice' } },
      { ...sampleEvent(1), actor: {} },
      { ...sampleEvent(1), outcome: 'maybe' },
      { ...sampleEvent(1), target: { type: 'app', id: 'a\rb' } },
      { ...sampleEvent(1), extra: true },
    ];
    for (const event of bad) await expect(log.append(event as AuditEvent)).rejects.toMatchObject({ code: LoggingErrorCode.InvalidEvent });
    await log.close();
    expect(readLines(logFile(dir))).toHaveLength(0);
  });

  it('stores hostile free text on one line and returns it intact', async () => {
    const fake = `\n{"seq":2,"time":"2030-01-01T00:00:00.000Z","actor":{"user":"DIR\\\\admin"},"action":"auth.login","outcome":"success"}\u2028\u2029\u0085`;
    const log = await openAuditLog({ dir, signer });
    await log.append({ ...sampleEvent(1), reason: fake, details: { note: fake } });
    await log.close();
    const lines = readLines(logFile(dir));
    expect(lines).toHaveLength(2);
    expect(readFileSync(logFile(dir), 'utf8')).not.toMatch(/[\u2028\u2029\u0085]/);
    expect(parse(lines[0] as string).reason).toBe(fake);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('redacts secrets in details and reason', async () => {
    const log = await openAuditLog({ dir, signer });
    await log.append({ ...sampleEvent(1), reason: 'Bearer abc.def-123', details: { ticketId: 'T-1234567890', user: 'x' } });
    await log.close();
    const record = parse(readLines(logFile(dir))[0] as string);
    expect(record.reason).toBe('Bearer [REDACTED]');
    expect(record.details).toEqual({ ticketId: '[REDACTED]', user: 'x' });
  });

  it('refuses an oversized record without disturbing the others in its batch', async () => {
    const log = await openAuditLog({ dir, signer });
    const big = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, 'x'.repeat(1000)]));
    const results = await Promise.allSettled([log.append(sampleEvent(1)), log.append({ ...sampleEvent(2), details: big }), log.append(sampleEvent(3))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[1]).toMatchObject({ reason: { code: LoggingErrorCode.RecordTooLarge } });
    await log.close();
    expect(await verify()).toMatchObject({ ok: true, records: 2 });
  });

  it('cuts a torn last line into a side file on open and continues the chain', async () => {
    const first = await openAuditLog({ dir, signer });
    for (let i = 0; i < 3; i++) await first.append(sampleEvent(i));
    await first.close();
    const torn = '{"seq":5,"time":"2030-01-01T00:00:00.0';
    appendFileSync(logFile(dir), torn);
    const second = await openAuditLog({ dir, signer });
    expect(second.recoveredTornFile).toBeDefined();
    expect(readFileSync(second.recoveredTornFile ?? '', 'utf8')).toBe(torn);
    const next = await second.append(sampleEvent(9));
    expect(next.seq).toBe(5);
    await second.close();
    expect(await verify()).toMatchObject({ ok: true, records: 4 });
  });

  it('allows one writer at a time and refuses appends after close', async () => {
    const log = await openAuditLog({ dir, signer });
    await expect(openAuditLog({ dir, signer })).rejects.toMatchObject({ code: LoggingErrorCode.LogLocked });
    await log.close();
    await expect(log.append(sampleEvent(1))).rejects.toMatchObject({ code: LoggingErrorCode.LogClosed });
    const again = await openAuditLog({ dir, signer });
    await again.close();
  });

  // Containers on one volume (the repository, the CLI in `init`) each number their pids from 1: the
  // real compose run failed `tz certs export` with "already open in this process" (the repository's
  // pid was the CLI's own), and a pid not alive in the CLI's namespace would have been taken over.
  it('never takes over a lock another host (container) holds, whatever its pid is here', async () => {
    for (const pid of [process.pid, 2 ** 22 + 7 /* no such process here */]) {
      writeFileSync(join(dir, 'audit.lock'), `${pid}@another-container-4f2a`);
      await expect(openAuditLog({ dir, signer })).rejects.toMatchObject({ code: LoggingErrorCode.LogLocked, message: expect.stringContaining('on host another-container-4f2a') });
      expect(readFileSync(join(dir, 'audit.lock'), 'utf8')).toBe(`${pid}@another-container-4f2a`);
    }
  });

  it('takes over stale locks of this host: a dead pid, or our own pid left by an earlier process (a restarted container)', async () => {
    for (const stale of [`${2 ** 22 + 7}@${hostname()}`, `${process.pid}@${hostname()}`, `${2 ** 22 + 7}` /* written before hosts were recorded */]) {
      writeFileSync(join(dir, 'audit.lock'), stale);
      const log = await openAuditLog({ dir, signer });
      expect(readFileSync(join(dir, 'audit.lock'), 'utf8')).toBe(`${process.pid}@${hostname()}`);
      await log.close();
    }
  });

  it('refuses a symlinked audit file', async () => {
    const elsewhere = join(dir, 'elsewhere');
    appendFileSync(elsewhere, '');
    symlinkSync(elsewhere, logFile(dir));
    await expect(openAuditLog({ dir, signer })).rejects.toThrow();
  });

  it('rejects the appends of a failed write, rolls the file back and reuses their numbers', async () => {
    const log = await openAuditLog({ dir, signer });
    await log.append(sampleEvent(0));
    await log.close();
    const head = await recoverHead(dir, await listAuditFiles(dir));
    const real = await open(logFile(dir), 'a');
    let failNext = true;
    // A disk that accepts half of one write and then reports ENOSPC.
    const flaky: AppendTarget = {
      write: (async (buffer: Buffer, offset: number, length: number) => {
        if (!failNext) return real.write(buffer, offset, length, null);
        failNext = false;
        await real.write(buffer, offset, Math.floor(length / 2), null);
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      }) as AppendTarget['write'],
      datasync: () => real.datasync(),
      truncate: (len) => real.truncate(len),
      close: () => real.close(),
    };
    const writer = new AuditWriter({ dir, signer: createCheckpointSigner(signer), checkpointEvery: 1000, maxFileBytes: 1 << 30, now: () => new Date() }, head, flaky);
    const failed = await Promise.allSettled([writer.enqueue(sampleEvent(1)), writer.enqueue(sampleEvent(2))]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(failed[0]).toMatchObject({ reason: { code: LoggingErrorCode.WriteFailed } });
    expect(readLines(logFile(dir))).toHaveLength(2);
    expect((await writer.enqueue(sampleEvent(3))).seq).toBe(head.seq + 1);
    await writer.close();
    expect(await verify()).toMatchObject({ ok: true, records: 2 });
    expect(readdirSync(dir).filter((n) => n.includes('torn'))).toEqual([]);
  });
});
