import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSealed, openSecretBox } from './secret-box';

const dir = mkdtempSync(join(tmpdir(), 'tz-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('secret box (secrets sealed at rest)', () => {
  it('creates a 0600 key once, seals with a fresh IV, opens only with the same key and context', () => {
    const file = join(dir, 'k', 'secrets.key');
    const box = openSecretBox(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = readFileSync(file, 'utf8');
    const a = box.seal('client-secret-value', 'VirtualProxyConfig.oidcClientSecret');
    const b = box.seal('client-secret-value', 'VirtualProxyConfig.oidcClientSecret');
    expect(isSealed(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(a).not.toContain('client-secret-value');
    expect(openSecretBox(file).open(a, 'VirtualProxyConfig.oidcClientSecret')).toBe('client-secret-value');
    expect(readFileSync(file, 'utf8')).toBe(key);
    expect(box.open(a, 'DataConnection.password')).toBeNull();
    const tampered = a.slice(0, -2) + (a.endsWith('A') ? 'BB' : 'AA');
    expect(box.open(tampered, 'VirtualProxyConfig.oidcClientSecret')).toBeNull();
    expect(openSecretBox(join(dir, 'other', 'secrets.key')).open(a, 'VirtualProxyConfig.oidcClientSecret')).toBeNull();
  });

  it('refuses a key file others can read', () => {
    const file = join(dir, 'loose', 'secrets.key');
    openSecretBox(file);
    chmodSync(file, 0o644);
    expect(() => openSecretBox(file)).toThrow(/0600/);
  });
});
