import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Logger } from '@trustzone/logging';
import type { Upstreams } from '../upstreams';
import { VirtualProxyRegistry } from './virtual-proxy-registry';

const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const jwt = { authenticationMethod: 'jwt', jwtPublicKeyCertificate: pem, jwtAttributeUserId: 'sub', jwtAttributeUserDirectory: '[CORP]' };

/** A registry over what a repository's ListVirtualProxies returns, with the warnings it logs. */
function registry(stored: () => unknown[]) {
  const warnings: { message: string; meta: Record<string, unknown> }[] = [];
  const logger = { warn: (message: string, meta: Record<string, unknown>) => warnings.push({ message, meta }) } as unknown as Logger;
  const upstreams = { repository: { unary: async () => ({ json: JSON.stringify(stored()) }) } } as unknown as Upstreams;
  return { r: new VirtualProxyRegistry(upstreams, logger, 1_000), warnings };
}

describe('VirtualProxyRegistry', () => {
  it('skips a config that fails validation and a second one with the same prefix, naming why', async () => {
    const { r, warnings } = registry(() => [{ id: '1', prefix: '' }, { id: '2', prefix: 'BAD' }, { id: '3', prefix: 'a' }, { id: '4', prefix: 'a', description: 'twin' }]);
    await r.refresh();
    expect(r.all().map((c) => c.prefix)).toEqual(['', 'a']);
    expect(r.all()[1]?.description).toBe('');
    expect(warnings.map((w) => [w.meta['id'], String(w.meta['error'])])).toEqual([['2', expect.stringMatching(/prefix/)], ['4', expect.stringMatching(/duplicate prefix 'a'/)]]);
  });

  it('keeps the last good set when the repository cannot be read', async () => {
    let fail = false;
    const upstreams = { repository: { unary: async () => (fail ? Promise.reject(new Error('unavailable')) : { json: JSON.stringify([{ prefix: 'x' }]) }) } } as unknown as Upstreams;
    const r = new VirtualProxyRegistry(upstreams, { warn: () => undefined } as unknown as Logger, 1_000);
    await r.refresh();
    fail = true;
    await expect(r.refresh()).rejects.toThrow();
    expect(r.all().map((c) => c.prefix)).toEqual(['x']);
  });

  it('loads a JWT virtual proxy without jwtIssuer or jwtAudience and says once that it refuses logins', async () => {
    let stored: unknown[] = [{ prefix: 'j', ...jwt, jwtAudience: 'tz' }];
    const { r, warnings } = registry(() => stored);
    await r.refresh();
    await r.refresh();
    expect(r.all().map((c) => c.prefix)).toEqual(['j']);
    expect(warnings).toEqual([{ message: 'JWT virtual proxy refuses every login until it is configured', meta: { prefix: 'j', missing: ['jwtIssuer'] } }]);
    stored = [{ prefix: 'j', ...jwt, jwtAudience: 'tz', jwtIssuer: 'https://idp' }];
    await r.refresh();
    expect(warnings).toHaveLength(1);
  });
});
