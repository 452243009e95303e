import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logFile, readLines, sampleEvent, tempDir } from '../testing/audit-fixture';
import { createTestCertificate } from '@trustzone/testing';
import { openAuditLog } from './audit-log';
import { listAuditFiles } from './audit-files';
import { verifyAuditLog } from './audit-verifier';

const CHILD = fileURLToPath(new URL('../testing/audit-crash-child.ts', import.meta.url));

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('tz-audit-crash-'));
});
afterEach(() => cleanup());

/** Runs the appending child until it has acknowledged `acks` appends, then SIGKILLs it mid-stream. */
function runAndKill(auditDir: string, keyFile: string, certFile: string, acks: number): Promise<Map<number, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, auditDir, keyFile, certFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged = new Map<number, string>();
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [seq, hash] = line.split(' ');
        if (seq !== undefined && hash !== undefined) acknowledged.set(Number(seq), hash);
      }
      if (acknowledged.size >= acks && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acknowledged);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

describe('audit log durability under kill -9', () => {
  it('keeps every acknowledged append, verifies after reopen, and continues the chain', async () => {
    const signer = createTestCertificate({ commonName: 'repository' });
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    writeFileSync(keyFile, signer.keyPem, { mode: 0o600 });
    writeFileSync(certFile, signer.certPem);
    const auditDir = join(dir, 'audit');

    for (const acks of [400, 250]) {
      const acknowledged = await runAndKill(auditDir, keyFile, certFile, acks);
      expect(acknowledged.size).toBeGreaterThanOrEqual(acks);
      // Reopening repairs a torn tail (if the kill landed mid-write) and signs what survived.
      const reopened = await openAuditLog({ dir: auditDir, signer });
      await reopened.close();
      const result = await verifyAuditLog({ dir: auditDir, trustedCertPem: signer.certPem });
      expect(result).toMatchObject({ ok: true, unsignedTail: 0 });
      const files = await listAuditFiles(auditDir);
      const stored = new Map<number, string>();
      for (const file of files) for (const line of readLines(file.path)) {
        const entry = JSON.parse(line) as { seq: number; hash: string };
        stored.set(entry.seq, entry.hash);
      }
      for (const [seq, hash] of acknowledged) expect(stored.get(seq), `acknowledged record ${seq}`).toBe(hash);
    }

    const log = await openAuditLog({ dir: auditDir, signer });
    const before = readLines(logFile(auditDir)).length;
    const next = await log.append(sampleEvent(1));
    await log.close();
    expect(next.seq).toBe(before + 1);
    expect(await verifyAuditLog({ dir: auditDir, trustedCertPem: signer.certPem })).toMatchObject({ ok: true });
  });
});
