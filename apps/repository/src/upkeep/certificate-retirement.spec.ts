import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, openSiteAuditLog, tailAuditLog, type AuditLog } from '@trustzone/logging';
import { createTestSite, type TestSite } from '@trustzone/testing';
import { loadTlsMaterial, normalizeSerial, parseCrls, rotateServiceCert } from '@trustzone/trust';
import { RepositoryAudit } from '../audit/repository-audit';
import { startRetirementSweep, type RetirementSweep } from './certificate-retirement';

let site: TestSite;
let log: AuditLog;
let sweep: RetirementSweep | undefined;

beforeEach(async () => {
  site = await createTestSite();
  const m = loadTlsMaterial({ certsDir: site.paths.certs, name: 'repository' });
  log = await openSiteAuditLog(site.paths, { keyPem: m.keyPem, certPem: m.certPem });
});
afterEach(async () => {
  sweep?.stop();
  await log.close();
  site.cleanup();
});

const onCrl = (serial: string) => parseCrls(readFileSync(site.paths.crl, 'utf8'), [new X509Certificate(readFileSync(site.paths.cert('root')))])[0]!.revokedSerials.has(serial);

describe('the repository completes rotations (tz certs rotate --no-wait, or an interrupted one)', () => {
  it('revokes a replaced certificate once its grace period is over, and audits it', async () => {
    const old = normalizeSerial(new X509Certificate(readFileSync(site.paths.cert('engine'))).serialNumber);
    const rotated = await rotateServiceCert(site.dataDir, 'engine', { graceSeconds: 1 });
    const audit = new RepositoryAudit(log, createLogger({ service: 'repository', level: 'error', stdout: false }));
    sweep = startRetirementSweep({ dataDir: site.dataDir, intervalMs: 100, audit, logger: createLogger({ service: 'repository', level: 'error', stdout: false }) });
    expect(await sweep.run()).toEqual([]); // still inside the grace period
    expect(onCrl(old)).toBe(false);
    await expect.poll(() => onCrl(old), { timeout: 5000, interval: 100 }).toBe(true);
    expect(Date.now()).toBeGreaterThanOrEqual(rotated.retireAt!.getTime());
    expect(onCrl(rotated.serial)).toBe(false);
    await log.flush();
    const records = await tailAuditLog({ dir: site.paths.audit, filter: { action: 'certificate.revoke' } });
    expect(records.entries.map((e) => ('target' in e ? e.target?.id : undefined))).toEqual([old]);
  });
});
