import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { AppAuthKey, openKeyStore, writeDataFile, type KeyStore } from '@trustzone/app-store';
import { encodeQvd } from '@trustzone/qvd';
import { createTestCertificate } from '@trustzone/testing';
import { runReload, type ReloadOutcome } from './reload-runner';

/**
 * Encrypted QVDs end to end through the real sandboxed worker: it has no write permission (no
 * --allow-fs-write) and no keys, so a script's STORE bytes go to the engine over IPC and are
 * encrypted before they touch the disk; an encrypted QVD is opened by the engine and only its
 * verified plaintext reaches the worker.
 */
const workerPath = fileURLToPath(new URL('../../../../dist/apps/engine/reload-worker.cjs', import.meta.url));
const MARKER = 'MARKER-5eed-quarterly-secret-9d1f';
let root: string;
let data: string;
let keys: KeyStore;
const authKey = AppAuthKey.fromBytes(randomBytes(32));

beforeAll(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'tz-encqvd-')));
  data = join(root, 'data', 'finance');
  mkdirSync(data, { recursive: true });
  mkdirSync(join(root, 'apps'));
  keys = await openKeyStore(join(root, 'keys'), { watch: false });
  const cert = createTestCertificate({ commonName: 'site data key' });
  await keys.addKey(cert.certPem, cert.keyPem);
});
afterAll(() => {
  keys.close();
  rmSync(root, { recursive: true, force: true });
});

const everyFile = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
const files = () => ({ keyStore: keys, authKey, lockDir: join(root, 'apps') });
const ok = (o: ReloadOutcome) => {
  if (!o.ok) throw new Error(JSON.stringify(o.error));
  return o;
};

describe('encrypted QVDs through the sandboxed reload', () => {
  it('a STORE from the sandbox writes an encrypted QVD: the marker is nowhere under the data directory (temp files included), and it reads back', async () => {
    const script = [
      `T: LOAD * INLINE [Account, Amount\n${MARKER}, 1234.5\nother,\n];`,
      'STORE T INTO [lib://finance/q3.qvd] (qvd);',
      'DROP TABLE T;',
      'Back: LOAD * FROM [lib://finance/q3.qvd] (qvd);',
    ].join('\n');
    const outcome = ok(await runReload({ workerPath, script, connections: [{ name: 'finance', dir: data, writable: true }], timeoutMs: 20_000, maxOldSpaceMb: 128, files: files() }));
    expect(outcome.result.tables.map((t) => [t.name, t.columns])).toEqual([['Back', [[MARKER, 'other'], [1234.5, null]]]]);
    const stored = readFileSync(join(data, 'q3.qvd'));
    expect(stored.subarray(0, 4).toString()).toBe('TZAP');
    const all = everyFile(root);
    expect(all.length).toBeGreaterThan(3);
    for (const f of all) expect(readFileSync(f).includes(MARKER), `${f} holds the plaintext`).toBe(false);
  });

  it('a STORE into a connection the reload may only read is refused', async () => {
    const script = 'T: LOAD * INLINE [A\n1];\nSTORE T INTO [lib://finance/nope.qvd];';
    const outcome = await runReload({ workerPath, script, connections: [{ name: 'finance', dir: data, writable: false }], timeoutMs: 20_000, maxOldSpaceMb: 128, files: files() });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toMatchObject({ line: 3, column: 1, message: expect.stringMatching(/lib:\/\/finance\/nope\.qvd: .*may not be written by this reload/) });
    expect(everyFile(data).some((f) => f.endsWith('nope.qvd'))).toBe(false);
  });

  it('the real worker loads an encrypted QVD (LOAD … (qvd)); without the key, or without the engine, it fails clearly', async () => {
    const qvd = encodeQvd({ name: 'Budget', fields: ['Dept', 'Budget'], columns: [['R&D', MARKER], [100, 200]] });
    await writeDataFile(join(data, 'budget.qvd'), qvd, { seal: true, keyStore: keys, auth: authKey, lockDir: join(root, 'apps') });
    expect(readFileSync(join(data, 'budget.qvd')).includes(MARKER)).toBe(false);
    const script = 'B: LOAD * FROM [lib://finance/budget.qvd] (qvd);';
    const outcome = ok(await runReload({ workerPath, script, connections: [{ name: 'finance', dir: data }], timeoutMs: 20_000, maxOldSpaceMb: 128, files: files() }));
    expect(outcome.result.tables[0]!.columns).toEqual([['R&D', MARKER], [100, 200]]);
    const noEngine = await runReload({ workerPath, script, connections: [{ name: 'finance', dir: data }], timeoutMs: 20_000, maxOldSpaceMb: 128 });
    expect(!noEngine.ok && noEngine.error.message).toMatch(/does not write or decrypt files/);
    const otherKeys = await openKeyStore(join(root, 'other-keys'), { watch: false });
    const wrongKey = await runReload({ workerPath, script, connections: [{ name: 'finance', dir: data }], timeoutMs: 20_000, maxOldSpaceMb: 128, files: { keyStore: otherKeys, authKey, lockDir: join(root, 'apps') } });
    otherKeys.close();
    expect(!wrongKey.ok && wrongKey.error.message).toMatch(/lib:\/\/finance\/budget\.qvd: .*key this site does not hold/);
    // Another site's engine (another app authentication key) holding the same certificate cannot open it either.
    const otherSite = await runReload({ workerPath, script, connections: [{ name: 'finance', dir: data }], timeoutMs: 20_000, maxOldSpaceMb: 128, files: { keyStore: keys, authKey: AppAuthKey.fromBytes(randomBytes(32)), lockDir: join(root, 'apps') } });
    expect(!otherSite.ok && otherSite.error.message).toMatch(/lib:\/\/finance\/budget\.qvd: .*the encrypted file failed authentication/);
    // Opening it for the worker left no plaintext behind either.
    for (const f of everyFile(root)) expect(readFileSync(f).includes(MARKER), `${f} holds the plaintext`).toBe(false);
  });
});
