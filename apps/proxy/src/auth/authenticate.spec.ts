import { describe, expect, it } from 'vitest';
import { parseVirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { ANONYMOUS_DIRECTORY } from './anonymous-user';
import { authenticate } from './authenticate';
import { MemoryTicketStore } from './ticket-store';

const headerCfg = (anonymousAccessMode: 0 | 1 | 2) =>
  parseVirtualProxyConfig({ prefix: 'hdr', authenticationMethod: 'header-static', headerAuthenticationHeaderName: 'x-user', headerAuthenticationStaticUserDirectory: 'CORP', anonymousAccessMode });
const facts = (user?: string) => ({ headers: user === undefined ? {} : { 'x-user': user }, query: new URLSearchParams() });
const deps = { tickets: new MemoryTicketStore() };

describe('authenticate (method + anonymous access)', () => {
  it('mode 0: a credential authenticates, no credential is none', async () => {
    expect(await authenticate(facts('alice'), headerCfg(0), deps)).toMatchObject({ kind: 'authenticated', user: { userId: 'alice', anonymous: false }, via: 'header' });
    expect(await authenticate(facts(), headerCfg(0), deps)).toEqual({ kind: 'none' });
  });

  it('mode 1: anonymous only when no credential was presented', async () => {
    const anon = await authenticate(facts(), headerCfg(1), deps);
    expect(anon).toMatchObject({ kind: 'authenticated', via: 'anonymous', user: { userDirectory: ANONYMOUS_DIRECTORY, anonymous: true, attributes: {} } });
    expect(await authenticate(facts('alice'), headerCfg(1), deps)).toMatchObject({ kind: 'authenticated', user: { userId: 'alice' }, via: 'header' });
  });

  it('mode 1: a bad credential stays rejected and never degrades to anonymous', async () => {
    expect(await authenticate(facts('a\\b'), headerCfg(1), deps)).toMatchObject({ kind: 'rejected', status: 401 });
  });

  it('mode 2: always anonymous, credentials are ignored', async () => {
    expect(await authenticate(facts('alice'), headerCfg(2), deps)).toMatchObject({ kind: 'authenticated', via: 'anonymous', user: { anonymous: true } });
  });

  it('gives every anonymous visitor a distinct id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const r = await authenticate(facts(), headerCfg(2), deps);
      if (r.kind === 'authenticated') ids.add(r.user.userId);
    }
    expect(ids.size).toBe(50);
  });

  it('dispatches to the ticket method on a ticket proxy', async () => {
    const tickets = new MemoryTicketStore();
    const t = await tickets.issue({ userDirectory: 'CORP', userId: 'bob', attributes: {}, prefix: '' });
    const r = await authenticate({ headers: { 'x-user': 'alice' }, query: new URLSearchParams({ qlikTicket: t }) }, parseVirtualProxyConfig({}), { tickets });
    expect(r).toMatchObject({ kind: 'authenticated', user: { userId: 'bob' }, via: 'ticket' });
  });
});
