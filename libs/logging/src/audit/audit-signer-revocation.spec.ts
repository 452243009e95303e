import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestCertificate } from '@trustzone/testing';
import { createTestCertificate } from '@trustzone/testing';
import { sampleEvent, tempDir } from '../testing/audit-fixture';
import { openAuditLog } from './audit-log';
import { verifyAuditLog } from './audit-verifier';

// A rotated repository key is revoked after the grace period. Checkpoints it signed before then
// stay valid; anything it signs later (a thief with a copy of it) must not verify, however the
// thief dates it.
const T0 = Date.parse('2030-01-01T00:00:00Z');
const REVOKED = new Date(T0 + 60_000);
let oldKey: TestCertificate;
let newKey: TestCertificate;
let dir: string;
let cleanup: () => void;
let clock: number;
const now = () => new Date(clock);

beforeAll(() => {
  oldKey = createTestCertificate({ commonName: 'repository-old' });
  newKey = createTestCertificate({ commonName: 'repository-new' });
});
beforeEach(() => {
  ({ dir, cleanup } = tempDir('tz-audit-revoked-'));
  clock = T0;
});
afterEach(() => cleanup());

const trusted = () => [{ pem: oldKey.certPem, revokedAt: REVOKED }, { pem: newKey.certPem }];

/** Records 0..n-1 one second apart, signed by `signer` every 3 records and at close. */
async function append(signer: TestCertificate, n: number, switchTo?: TestCertificate): Promise<void> {
  const log = await openAuditLog({ dir, signer, checkpointEvery: 3, now });
  for (let i = 0; i < n; i++) {
    await log.append(sampleEvent(i));
    clock += 1000;
  }
  if (switchTo) {
    log.setSigner(switchTo);
    for (let i = 0; i < n; i++) {
      await log.append(sampleEvent(i));
      clock += 1000;
    }
  }
  await log.close();
}

describe('audit verification with a revoked signer', () => {
  it('accepts what the key signed before its revocation, and what its successor signed after', async () => {
    await append(oldKey, 7, newKey); // the rotation: the repository switches keys before the old one is revoked
    clock = REVOKED.getTime() + 10_000;
    await append(newKey, 5);
    expect(await verifyAuditLog({ dir, trustedCertPem: trusted() })).toMatchObject({ ok: true, records: 19 });
  });

  it('refuses a checkpoint the revoked key signed after its revocation', async () => {
    await append(oldKey, 7, newKey);
    clock = REVOKED.getTime() + 1000;
    await append(oldKey, 2);
    expect(await verifyAuditLog({ dir, trustedCertPem: trusted() })).toMatchObject({ ok: false, problem: 'bad-signature', detail: expect.stringMatching(/revoked at 2030-01-01T00:01:00\.000Z/) });
    // Without the revocation (the pre-issue-15 verifier) the same log passed.
    expect(await verifyAuditLog({ dir, trustedCertPem: [oldKey.certPem, newKey.certPem] })).toMatchObject({ ok: true });
  });

  it('refuses a back-dated checkpoint of the revoked key once the log has passed the revocation time', async () => {
    await append(oldKey, 4, newKey);
    clock = REVOKED.getTime() + 5000;
    await append(newKey, 3); // the log moves past the revocation
    clock = T0 + 30_000; // the thief's clock: before the revocation
    await append(oldKey, 2);
    expect(await verifyAuditLog({ dir, trustedCertPem: trusted() })).toMatchObject({ ok: false, problem: 'bad-signature' });
  });
});
