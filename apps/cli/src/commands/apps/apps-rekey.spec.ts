import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appAuthKeyPath, loadAppAuthKey, openKeyStore, readDataFile, writeDataFile } from '@trustzone/app-store';
import { createTestCertificate } from '@trustzone/testing';
import { runTz } from '../../test-support/run-tz';

/** `tz apps rekey` also re-wraps the encrypted QVDs reloads stored on the data volume. */
let base: string;
let site: string;
const MARKER = 'QVD-payload-for-rekey';

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'tz-rekey-qvd-'));
  site = join(base, 'site');
  expect(runTz(['init', '--data-dir', site, '--site-name', 'Rekey', '--hosts', 'tz.test', '--admin', 'CORP\\admin']).code).toBe(0);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

function pem(name: string): { cert: string; key: string } {
  const c = createTestCertificate({ commonName: name });
  const cert = join(base, `${name}.crt`);
  const key = join(base, `${name}.key`);
  writeFileSync(cert, c.certPem);
  writeFileSync(key, c.keyPem, { mode: 0o600 });
  return { cert, key };
}

describe('tz apps rekey', () => {
  it('re-wraps every encrypted QVD under the new key and leaves plain QVDs plain', async () => {
    const a = pem('key-a');
    expect(runTz(['keys', 'add', a.cert, a.key, '--data-dir', site]).code).toBe(0);
    const folder = join(site, 'data', 'finance');
    mkdirSync(folder, { recursive: true });
    const keys = await openKeyStore(join(site, 'keys'), { watch: false });
    const auth = await loadAppAuthKey(appAuthKeyPath(join(site, 'keys')));
    await writeDataFile(join(folder, 'q.qvd'), Buffer.from(MARKER), { seal: true, keyStore: keys, auth, lockDir: join(site, 'apps') });
    keys.close();
    writeFileSync(join(folder, 'plain.qvd'), MARKER);
    const b = pem('key-b');
    const added = runTz(['keys', 'add', b.cert, b.key, '--data-dir', site]);
    const thumbB = /added key ([0-9a-f]{64})/.exec(added.stdout)?.[1];
    expect(thumbB).toBeDefined();
    const r = runTz(['apps', 'rekey', '--to', thumbB!, '--data-dir', site]);
    expect(r.stdout).toContain('rekeyed 1 encrypted QVD(s)');
    expect(r.code).toBe(0);
    // Only key B is needed now.
    const onlyB = await openKeyStore(join(base, 'only-b'), { watch: false });
    await onlyB.addKey(readFileSync(b.cert, 'utf8'), readFileSync(b.key, 'utf8'));
    expect((await readDataFile(join(folder, 'q.qvd'), onlyB, auth, 1 << 20)).bytes.toString()).toBe(MARKER);
    onlyB.close();
    expect(readFileSync(join(folder, 'plain.qvd'), 'utf8')).toBe(MARKER);
    expect(runTz(['apps', 'rekey', '--to', thumbB!, '--data-dir', site]).stdout).toContain('rekeyed 0 encrypted QVD(s) in');
  });
});
