import { describe, expect, it } from 'vitest';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { MemoryTicketStore, isTicketShaped } from './ticket-store';
import type { TicketBody } from './ticket-store';

const body: TicketBody = { userDirectory: 'CORP', userId: 'alice', attributes: { group: ['Sales'] }, prefix: '' };

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('MemoryTicketStore', () => {
  it('issues url-safe tickets of at least 128 bits that differ every time', async () => {
    const store = new MemoryTicketStore();
    const tickets = await Promise.all(Array.from({ length: 200 }, () => store.issue(body)));
    expect(new Set(tickets).size).toBe(200);
    for (const t of tickets) {
      expect(t).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(t, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    }
  });

  it('redeems a ticket once with its body', async () => {
    const store = new MemoryTicketStore();
    const t = await store.issue(body);
    expect(await store.redeem(t)).toEqual(body);
    expect(await store.redeem(t)).toBeNull();
  });

  it('accepts a 59 s old ticket and refuses a 61 s old one', async () => {
    const c = clock();
    const store = new MemoryTicketStore({ now: c.now });
    const young = await store.issue(body);
    const old = await store.issue(body);
    c.advance(59_000);
    expect(await store.redeem(young)).not.toBeNull();
    c.advance(2_000);
    expect(await store.redeem(old)).toBeNull();
  });

  it('lets exactly one of many concurrent redemptions win', async () => {
    const store = new MemoryTicketStore();
    const t = await store.issue(body);
    const results = await Promise.all(Array.from({ length: 20 }, () => store.redeem(t)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it('bounds the outstanding tickets, reclaiming expired ones first', async () => {
    const c = clock();
    const store = new MemoryTicketStore({ now: c.now, maxOutstanding: 3 });
    for (let i = 0; i < 3; i++) await store.issue(body);
    const err = await store.issue(body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EdgeError);
    expect((err as EdgeError).code).toBe(EdgeErrorCode.TicketCapacity);
    c.advance(60_000);
    await expect(store.issue(body)).resolves.toSatisfy(isTicketShaped);
    expect(store.outstanding).toBe(1);
  });

  it('returns null for garbage without throwing', async () => {
    const store = new MemoryTicketStore();
    for (const t of ['', 'x', 'a'.repeat(10_000), '../../etc', '__proto__']) expect(await store.redeem(t)).toBeNull();
  });

  it('is not affected by the caller mutating the issued body', async () => {
    const store = new MemoryTicketStore();
    const mine: TicketBody = { ...body, attributes: { group: ['Sales'] } };
    const t = await store.issue(mine);
    mine.attributes['group']?.push('Admins');
    expect((await store.redeem(t))?.attributes).toEqual({ group: ['Sales'] });
  });
});
