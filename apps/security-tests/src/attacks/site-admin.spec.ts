import { X509Certificate } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '@trustzone/logging';
import { trustedAuditSigners } from '@trustzone/service-host';
import { sitePaths } from '@trustzone/trust';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { auditRecords } from '../test-support/audit-trail';

// The console's site administration on a real site (issue 22): the certificate inventory, the site
// status and the audit-chain check. Who may ask, what the answers may hold (never a private key),
// and that the chain check finds the record an attacker edited on disk — the same one the audit
// library finds on its own.
let a: AttackSite;
const BOB = 'CORP\\bob';

interface Cert { name: string; kind: string; serial: string; fingerprint: string | null; current: boolean; notAfter: string; daysLeft: number }

beforeAll(async () => {
  a = await startAttackSite();
  ok(await a.client('/qrs/app', { headers: { Cookie: await a.login(BOB) } }), 'bob exists');
}, 180_000);

afterAll(async () => {
  await a?.stop();
});

describe('Information disclosure › console site administration', { timeout: 60_000 }, () => {
  it('site administration: a user without admin roles is refused the certificates, the site status and the chain check', async () => {
    for (const [method, path] of [['GET', '/qrs/sitecertificates'], ['GET', '/qrs/sitestatus'], ['POST', '/qrs/audit/verify']] as const) {
      const r = await a.as(BOB, method, path, method === 'POST' ? {} : undefined);
      expect(r.status, path).toBe(403);
      expect(r.text, path).not.toMatch(/BEGIN|fingerprint|127\.0\.0\.1/);
    }
    const denials = await auditRecords(a.site, 'access.denied');
    expect(denials.filter((r) => r.actor.user === BOB).map((r) => (r.details as { operation?: string }).operation)).toEqual(expect.arrayContaining(['SiteCertificates', 'VerifyAudit']));
  });

  it('site administration: the certificate inventory matches the certificate files and never carries a private key', async () => {
    const r = await a.as(ADMIN, 'GET', '/qrs/sitecertificates');
    const inv = ok<{ certificates: Cert[] }>(r, 'inventory');
    expect(r.text).not.toMatch(/PRIVATE KEY|BEGIN|"key"|privateKey/i);
    const paths = sitePaths(a.site.dataDir);
    for (const name of ['proxy', 'repository', 'engine'] as const) {
      const x = new X509Certificate(readFileSync(paths.cert(name)));
      const shown = inv.certificates.find((c) => c.current && c.name === name);
      expect(shown, name).toMatchObject({ fingerprint: x.fingerprint256, notAfter: new Date(x.validTo).toISOString() });
      expect(shown?.daysLeft).toBe(Math.floor((Date.parse(x.validTo) - Date.now()) / 86_400_000));
    }
    // The portal's exported integration certificate is listed too.
    expect(inv.certificates.some((c) => c.kind === 'integration' && c.name === 'portal')).toBe(true);
  });

  it('site administration: the site status lists the repository and each engine with versions and certificate expiry', async () => {
    const s = ok<{ services: { service: string; status: string; version?: string; certificateNotAfter?: string }[] }>(await a.as(ADMIN, 'GET', '/qrs/sitestatus'), 'status');
    const repo = s.services.find((x) => x.service === 'repository');
    expect(repo).toMatchObject({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    const x = new X509Certificate(readFileSync(sitePaths(a.site.dataDir).cert('repository')));
    expect(new Date(repo?.certificateNotAfter ?? '').getTime()).toBe(new Date(x.validTo).getTime());
    expect(s.services.filter((e) => e.service === 'engine' && e.status === 'ok').length).toBeGreaterThanOrEqual(1);
  });

  it('site administration: the console\'s chain check names the audit record an attacker edited on disk, as the audit library does', async () => {
    const okBefore = ok<{ ok: boolean; records: number }>(await a.as(ADMIN, 'POST', '/qrs/audit/verify', {}), 'verify');
    expect(okBefore).toMatchObject({ ok: true });
    expect(okBefore.records).toBeGreaterThan(0);
    const paths = sitePaths(a.site.dataDir);
    const file = join(paths.audit, readdirSync(paths.audit).filter((f) => /^audit-\d{6}\.jsonl$/.test(f)).sort()[0] as string);
    const text = readFileSync(file, 'utf8');
    // A successful record well inside the file; flipped in place (same length, so records the
    // repository appends meanwhile are kept).
    const lines = text.split('\n');
    const target = lines.findIndex((l, i) => i > 2 && l.includes('"outcome":"success"'));
    expect(target).toBeGreaterThan(2);
    const seq = (JSON.parse(lines[target] as string) as { seq: number }).seq;
    const offset = Buffer.byteLength(lines.slice(0, target).join('\n') + '\n') + Buffer.byteLength((lines[target] as string).slice(0, (lines[target] as string).indexOf('"outcome":"success"')));
    const fd = openSync(file, 'r+');
    try {
      writeSync(fd, Buffer.from('"outcome":"failure"'), 0, undefined, offset);
    } finally {
      closeSync(fd);
    }
    const independent = await verifyAuditLog({ dir: paths.audit, trustedCertPem: trustedAuditSigners(paths) });
    expect(independent).toMatchObject({ ok: false, seq, problem: 'edited' });
    const answer = ok<{ ok: boolean; seq: number; problem: string }>(await a.as(ADMIN, 'POST', '/qrs/audit/verify', {}), 'verify');
    expect(answer).toMatchObject({ ok: false, seq, problem: 'edited' });
    // Each check is itself recorded, with its result.
    const checks = await auditRecords(a.site, 'audit.verify');
    expect(checks.at(-1)?.details).toMatchObject({ result: 'broken', seq });
  });
});
