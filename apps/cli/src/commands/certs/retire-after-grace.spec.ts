import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIssuedRegistry, retireDueCertificates, rotateServiceCert, sitePaths } from '@trustzone/trust';
import { type CommandContext } from '../../command';
import { runTz } from '../../test-support/run-tz';
import { retireAfterGrace } from './retire-after-grace';

// `tz certs rotate` waits out the grace period and revokes the replaced certificate — unless the
// running repository's sweep (same library call, on a timer) got there first. Either way the
// operator is told. Here the "repository" sweeps at the moment the grace ends, 50 ms before the
// command looks, so the command always finds the work done by someone else.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tz-retire-'));
  const init = runTz(['init', '--data-dir', dir, '--hosts', 'localhost']);
  expect(init.code, init.stderr).toBe(0);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('retireAfterGrace', () => {
  it('reports a replaced certificate the running repository revoked first, without auditing it twice', async () => {
    const r = await rotateServiceCert(dir, 'engine', { graceSeconds: 1 });
    expect(r.retireAt).toBeDefined();
    const lines: string[] = [];
    const ctx: CommandContext = { env: {}, cwd: dir, out: (l) => lines.push(l), warn: (l) => lines.push(`warn: ${l}`), commands: [] };
    const sweep = new Promise<string[]>((resolve) => setTimeout(() => void retireDueCertificates(dir).then((x) => resolve(x.map((c) => c.serial))), r.retireAt!.getTime() - Date.now()));
    await retireAfterGrace(ctx, dir, r.retireAt, false);
    expect(await sweep).toEqual([r.previousSerial]);
    expect(lines).toContain(`revoked engine ${r.previousSerial} (replaced by a rotation; grace period over; by the running repository)`);
    expect(lines.filter((l) => l.startsWith('revoked '))).toHaveLength(1);
    expect(readIssuedRegistry(sitePaths(dir).issued).certificates.find((c) => c.serial === r.previousSerial)?.revokedAt).toBeDefined();
  }, 30_000);
});
