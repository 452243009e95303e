import { describe, expect, it } from 'vitest';
import { EdgeErrorCode } from '../edge/edge.error';
import { parseVirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { authenticateTicket } from './ticket-authenticator';
import { MemoryTicketStore } from './ticket-store';
import type { TicketBody } from './ticket-store';

const config = parseVirtualProxyConfig({ prefix: 'tkt' });
const header = parseVirtualProxyConfig({ prefix: 'hdr', authenticationMethod: 'header-static', headerAuthenticationHeaderName: 'hdr-user', headerAuthenticationStaticUserDirectory: 'CORP' });
const body: TicketBody = { userDirectory: 'CORP', userId: 'alice', attributes: { group: ['Sales'] }, targetId: 'abc', prefix: 'tkt' };
const facts = (query: string) => ({ headers: {}, query: new URLSearchParams(query) });

describe('ticket authentication', () => {
  it('redeems ?qlikTicket= into the ticket user with attributes and target', async () => {
    const store = new MemoryTicketStore();
    const t = await store.issue(body);
    const r = await authenticateTicket(facts(`qlikTicket=${t}`), config, store);
    expect(r).toEqual({ kind: 'authenticated', user: { userDirectory: 'CORP', userId: 'alice', attributes: { group: ['Sales'] }, anonymous: false }, via: 'ticket', targetId: 'abc' });
  });

  it('refuses the same ticket the second time', async () => {
    const store = new MemoryTicketStore();
    const t = await store.issue(body);
    await authenticateTicket(facts(`qlikTicket=${t}`), config, store);
    expect(await authenticateTicket(facts(`qlikTicket=${t}`), config, store)).toMatchObject({ kind: 'rejected', status: 401, code: EdgeErrorCode.TicketInvalid });
  });

  it('refuses a ticket issued for another virtual proxy (and it is spent)', async () => {
    const store = new MemoryTicketStore();
    const t = await store.issue({ ...body, prefix: 'other' });
    expect(await authenticateTicket(facts(`qlikTicket=${t}`), config, store)).toMatchObject({ kind: 'rejected', status: 401 });
    expect(await store.redeem(t)).toBeNull();
  });

  it('refuses a repeated qlikTicket parameter', async () => {
    const store = new MemoryTicketStore();
    const [t1, t2] = [await store.issue(body), await store.issue(body)];
    expect(await authenticateTicket(facts(`qlikTicket=${t1}&qlikTicket=${t2}`), config, store)).toMatchObject({ kind: 'rejected' });
  });

  it('is none without a ticket, and none on a non-ticket proxy (the ticket is not consumed there)', async () => {
    const store = new MemoryTicketStore();
    const t = await store.issue({ ...body, prefix: 'hdr' });
    expect(await authenticateTicket(facts(''), config, store)).toEqual({ kind: 'none' });
    expect(await authenticateTicket(facts(`qlikTicket=${t}`), header, store)).toEqual({ kind: 'none' });
    expect(await store.redeem(t)).not.toBeNull();
  });
});
