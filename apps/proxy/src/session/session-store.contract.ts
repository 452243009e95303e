import { expect, it } from 'vitest';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import type { SessionStore } from './session-store';
import type { NewSession, SessionEndReason, SessionPolicy } from './session.types';

/**
 * Behaviour every SessionStore must have, run against the memory store always and against Redis when
 * TZ_TEST_REDIS_URL is set. `make` returns a store on a controllable clock.
 */
export interface ContractSubject {
  store: SessionStore;
  advance(ms: number): void;
  cleanup(): Promise<void>;
}

const MIN = 60_000;
export const policy = (max = 5, sessionLimitPolicy: SessionPolicy['sessionLimitPolicy'] = 'evict-oldest'): SessionPolicy => ({ inactivityTimeoutMs: 30 * MIN, maxSessionsPerUser: max, sessionLimitPolicy });
export const alice = (prefix = ''): NewSession => ({ prefix, user: { userDirectory: 'CORP', userId: 'alice', attributes: { group: ['Sales'] }, anonymous: false }, ip: '10.0.0.1' });

/** Collects ended events; `waitFor(n)` resolves once n have arrived (Redis delivers them asynchronously). */
export function recordEnded(store: SessionStore) {
  const events: Array<[string, SessionEndReason]> = [];
  store.onEnded((id, reason) => events.push([id, reason]));
  return {
    events,
    async waitFor(n: number, timeoutMs = 2000): Promise<Array<[string, SessionEndReason]>> {
      const deadline = Date.now() + timeoutMs;
      while (events.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      return events;
    },
  };
}

async function created(store: SessionStore, input: NewSession, p: SessionPolicy) {
  const r = await store.create(input, p);
  if (r.kind !== 'created') throw new Error(`expected created, got ${r.reason}`);
  return r;
}

export function sessionStoreContract(make: () => Promise<ContractSubject>): void {
  const withSubject = (fn: (s: ContractSubject) => Promise<void>) => async () => {
    const subject = await make();
    try {
      await fn(subject);
    } finally {
      await subject.cleanup();
    }
  };

  it('creates sessions with distinct ≥128-bit ids and CSRF tokens, found again by id', withSubject(async ({ store }) => {
    const a = (await created(store, alice(), policy())).session;
    const b = (await created(store, alice(), policy())).session;
    expect(a.id).not.toBe(b.id);
    expect(a.csrfToken).not.toBe(b.csrfToken);
    expect(Buffer.from(a.id, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(await store.get(a.id)).toMatchObject({ id: a.id, userDirectory: 'CORP', userId: 'alice', attributes: { group: ['Sales'] }, csrfToken: a.csrfToken, ip: '10.0.0.1', anonymous: false });
  }));

  it('slides the inactivity timeout on use and ends an idle session as timeout', withSubject(async ({ store, advance }) => {
    const ended = recordEnded(store);
    const { session } = await created(store, alice(), policy());
    advance(29 * MIN);
    expect(await store.get(session.id)).not.toBeNull();
    advance(29 * MIN);
    expect(await store.get(session.id)).not.toBeNull();
    advance(30 * MIN + 1);
    expect(await store.get(session.id)).toBeNull();
    expect(await ended.waitFor(1)).toEqual([[session.id, 'timeout']]);
    expect(await store.get(session.id)).toBeNull();
  }));

  it('logout ends the session once and announces it', withSubject(async ({ store }) => {
    const ended = recordEnded(store);
    const { session } = await created(store, alice(), policy());
    expect(await store.delete(session.id)).toBe(true);
    expect(await store.delete(session.id)).toBe(false);
    expect(await store.get(session.id)).toBeNull();
    expect(await ended.waitFor(1)).toEqual([[session.id, 'logout']]);
  }));

  it('lists and counts a user per virtual proxy, case-insensitively', withSubject(async ({ store }) => {
    const s1 = (await created(store, alice(), policy())).session;
    const s2 = (await created(store, { ...alice(), user: { ...alice().user, userId: 'ALICE', userDirectory: 'corp' } }, policy())).session;
    await created(store, alice('other'), policy());
    expect((await store.listByUser('', 'Corp', 'Alice')).map((s) => s.id)).toEqual([s1.id, s2.id]);
    expect(await store.countByUser('other', 'CORP', 'alice')).toBe(1);
    expect(await store.countByUser('', 'CORP', 'bob')).toBe(0);
  }));

  it('evict-oldest: the next login over the limit ends the oldest session', withSubject(async ({ store }) => {
    const ended = recordEnded(store);
    const first = (await created(store, alice(), policy(2))).session;
    const second = (await created(store, alice(), policy(2))).session;
    const third = await created(store, alice(), policy(2));
    expect(third.evicted).toEqual([first.id]);
    expect(await store.get(first.id)).toBeNull();
    expect((await store.listByUser('', 'CORP', 'alice')).map((s) => s.id)).toEqual([second.id, third.session.id]);
    expect(await ended.waitFor(1)).toEqual([[first.id, 'evicted']]);
  }));

  it('refuse: the next login over the limit is refused until a session ends or times out', withSubject(async ({ store, advance }) => {
    const first = (await created(store, alice(), policy(2, 'refuse'))).session;
    advance(10 * MIN);
    await created(store, alice(), policy(2, 'refuse'));
    expect(await store.create(alice(), policy(2, 'refuse'))).toEqual({ kind: 'refused', reason: 'session-limit' });
    await store.delete(first.id);
    advance(10 * MIN);
    await created(store, alice(), policy(2, 'refuse'));
    expect(await store.create(alice(), policy(2, 'refuse'))).toMatchObject({ kind: 'refused' });
    advance(20 * MIN);
    // The older remaining session is now idle past its timeout: it no longer counts.
    await created(store, alice(), policy(2, 'refuse'));
    expect(await store.countByUser('', 'CORP', 'alice')).toBe(2);
  }));

  it('logs a user out everywhere on one virtual proxy only', withSubject(async ({ store }) => {
    const ended = recordEnded(store);
    const a = (await created(store, alice(), policy())).session;
    const b = (await created(store, alice(), policy())).session;
    const elsewhere = (await created(store, alice('other'), policy())).session;
    expect(await store.deleteUser('', 'corp', 'ALICE')).toBe(2);
    expect(await store.get(a.id)).toBeNull();
    expect(await store.get(b.id)).toBeNull();
    expect(await store.get(elsewhere.id)).not.toBeNull();
    const events = await ended.waitFor(2);
    expect(events.map(([id, reason]) => [id, reason]).sort()).toEqual([[a.id, 'logout'], [b.id, 'logout']].sort());
  }));

  it('sweep ends idle sessions as timeout and keeps live ones', withSubject(async ({ store, advance }) => {
    const ended = recordEnded(store);
    const idle = (await created(store, alice(), policy())).session;
    advance(20 * MIN);
    const live = (await created(store, alice(), policy())).session;
    advance(11 * MIN);
    expect(await store.sweep()).toBe(1);
    expect(await ended.waitFor(1)).toEqual([[idle.id, 'timeout']]);
    expect(await store.get(live.id)).not.toBeNull();
  }));

  it('registers a session id made elsewhere, once, and refuses malformed ids', withSubject(async ({ store }) => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect((await created(store, { ...alice(), id }, policy())).session.id).toBe(id);
    expect(await store.create({ ...alice(), id }, policy())).toEqual({ kind: 'refused', reason: 'id-in-use' });
    for (const bad of ['short', 'x'.repeat(129), 'a/b'.repeat(20), `${'a'.repeat(40)}\n`]) {
      const err = await store.create({ ...alice(), id: bad }, policy()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EdgeError);
      expect((err as EdgeError).code).toBe(EdgeErrorCode.InvalidRequest);
    }
  }));

  it('returns null for unknown or garbage ids without throwing', withSubject(async ({ store }) => {
    for (const id of ['', 'nope', 'a'.repeat(43), '*', '__proto__', 'x'.repeat(5000)]) expect(await store.get(id)).toBeNull();
    expect(await store.delete('a'.repeat(43))).toBe(false);
  }));

  it('hands out copies: mutating a result does not change the stored session', withSubject(async ({ store }) => {
    const { session } = await created(store, alice(), policy());
    session.userId = 'root';
    session.attributes['group']?.push('Admins');
    expect(await store.get(session.id)).toMatchObject({ userId: 'alice', attributes: { group: ['Sales'] } });
  }));

  it('a throwing listener does not break ending sessions or other listeners', withSubject(async ({ store }) => {
    store.onEnded(() => {
      throw new Error('listener bug');
    });
    const ended = recordEnded(store);
    const { session } = await created(store, alice(), policy());
    expect(await store.delete(session.id)).toBe(true);
    expect(await ended.waitFor(1)).toEqual([[session.id, 'logout']]);
  }));
}
