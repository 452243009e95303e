import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tailAuditLog } from '@trustzone/logging';
import { sitePaths } from '@trustzone/trust';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { runTz } from '../test-support/tz-process';

// Denial of service through the disk: the audit trail must not grow without bound (files rotate by
// size and old ones are dropped by an explicit retention policy that keeps the chain verifiable),
// and a data directory running out of space is announced, not discovered when writes fail.
let a: AttackSite;
const MAX_FILE = 16 * 1024;
const RETAIN = 48 * 1024;

function auditFiles(): { name: string; size: number }[] {
  const dir = sitePaths(a.site.dataDir).audit;
  return readdirSync(dir).filter((n) => /^audit-\d{6}\.jsonl$/.test(n)).sort().map((name) => ({ name, size: statSync(join(dir, name)).size }));
}

function metrics(): Promise<string> {
  const paths = sitePaths(a.site.dataDir);
  return new Promise((resolve, reject) => {
    const req = request({ host: 'localhost', port: Number(a.site.env['TZ_REPOSITORY_METRICS_PORT']), path: '/metrics', ca: readFileSync(paths.cert('root'), 'utf8'), cert: readFileSync(paths.cert('cli'), 'utf8'), key: readFileSync(paths.key('cli'), 'utf8') }, (res) => {
      let body = '';
      res.on('data', (c) => (body += String(c)));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  a = await startAttackSite({
    TZ_AUDIT_MAX_FILE_BYTES: String(MAX_FILE),
    TZ_AUDIT_RETAIN_BYTES: String(RETAIN),
    TZ_AUDIT_CHECKPOINT_EVERY: '20',
    // Far more free space than any disk has: the data dir counts as low on space from the start.
    TZ_DISK_LOW_FREE_BYTES: String(2 ** 50),
  });
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

describe('Denial of service › audit trail and disk', () => {
  it('the audit trail stays within its retention budget and still verifies; deleting more by hand is detected', async () => {
    for (let i = 0; i < 240; i++) ok(await a.as(ADMIN, 'POST', '/qrs/stream', { name: `Flood ${i} ${'x'.repeat(200)}` }), `stream ${i}`);
    const files = auditFiles();
    const total = files.reduce((n, f) => n + f.size, 0);
    expect(files.length).toBeGreaterThan(1);
    expect(files[0]?.name).not.toBe('audit-000001.jsonl'); // old files were dropped…
    expect(total).toBeLessThanOrEqual(RETAIN + MAX_FILE); // …down to the budget (plus the file being written)
    const retention = await tailAuditLog({ dir: sitePaths(a.site.dataDir).audit, limit: 5, filter: { action: 'audit.retention' } });
    expect(retention.entries.length).toBeGreaterThan(0);

    const verified = await runTz(a.site, ['audit', 'verify']);
    expect(verified.code, `${verified.stdout}\n${verified.stderr}`).toBe(0);
    expect(verified.stdout).toMatch(/^OK: /);

    // Someone with write access drops one more file: no retention record accounts for it.
    rmSync(join(sitePaths(a.site.dataDir).audit, files[0]?.name ?? 'missing'));
    const cut = await runTz(a.site, ['audit', 'verify']);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toMatch(/^BAD: /);
  });

  it('low free space on the data dir is reported by /metrics and tz site status while the repository keeps serving', async () => {
    const text = await metrics();
    expect(text).toMatch(/^tz_data_dir_free_bytes \d+/m);
    expect(text).toMatch(/^tz_data_dir_low_disk 1$/m);
    const status = await runTz(a.site, ['site', 'status']);
    expect(`${status.stdout}\n${status.stderr}`).toMatch(/warning: .*low on disk space/);
    expect(status.code, status.stdout).toBe(0); // an alert, not a failure: every service is healthy
    // Nothing the repository needs is refused: management writes go on.
    ok(await a.as(ADMIN, 'POST', '/qrs/stream', { name: 'After the alert' }), 'a write while the disk is low');
  });
});
