import { ErrorCode, ServiceError, type PeerCheck } from '@trustzone/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { QixStreamWatch, type WatchedStream } from './qix-stream-watch';

const proxy: PeerCheck = { ok: true, identity: { kind: 'service', siteId: 's', service: 'proxy' } };

function stream(key: string, o: { caller?: () => PeerCheck; read?: () => Promise<boolean> } = {}): WatchedStream & { closedWith: string | null; asked: number } {
  const s = {
    closedWith: null as string | null,
    asked: 0,
    accessKey: key,
    callerValid: o.caller ?? (() => proxy),
    userMayRead: async () => {
      s.asked += 1;
      return (o.read ?? (async () => true))();
    },
    close: (reason: string) => {
      s.closedWith = reason;
    },
  };
  return s;
}

let watch: QixStreamWatch;
afterEach(() => watch.close());

describe('QixStreamWatch', () => {
  it('closes a stream whose proxy certificate no longer checks out, without asking the repository', async () => {
    watch = new QixStreamWatch({ intervalMs: 60_000, maxUnverifiedMs: 60_000 });
    let revoked = false;
    const s = stream('k', { caller: () => (revoked ? { ok: false, reason: 'certificate revoked' } : proxy) });
    watch.add(s);
    await watch.checkAll();
    expect(s.closedWith).toBeNull();
    revoked = true;
    await watch.checkAll();
    expect(s.closedWith).toMatch(/certificate revoked/);
    expect(s.asked).toBe(1);
    expect(watch.size).toBe(0);
  });

  it('closes on a definite no from the repository (denied, inactive user, gone app), once', async () => {
    watch = new QixStreamWatch({ intervalMs: 60_000, maxUnverifiedMs: 60_000 });
    const denied = stream('a', { read: async () => false });
    const inactive = stream('b', { read: async () => { throw new ServiceError(ErrorCode.PermissionDenied, 'the user is inactive'); } });
    const fine = stream('c');
    for (const s of [denied, inactive, fine]) watch.add(s);
    await watch.checkAll();
    expect([denied.closedWith, inactive.closedWith, fine.closedWith]).toEqual(['the user may no longer read the app', expect.stringContaining('PERMISSION_DENIED'), null]);
    await watch.checkAll();
    expect([denied.asked, inactive.asked, fine.asked]).toEqual([1, 1, 2]);
  });

  it('survives a lost call, but closes a stream the repository could not vouch for in time', async () => {
    watch = new QixStreamWatch({ intervalMs: 60_000, maxUnverifiedMs: 150 });
    const s = stream('k', { read: async () => { throw new ServiceError(ErrorCode.Unavailable, 'down'); } });
    watch.add(s);
    await watch.checkAll();
    expect(s.closedWith).toBeNull();
    await new Promise((r) => setTimeout(r, 200));
    await watch.checkAll();
    expect(s.closedWith).toBe('access could not be re-checked in time');
  });

  it('asks once per user and app in a round, however many streams share them; a removed stream is not checked', async () => {
    watch = new QixStreamWatch({ intervalMs: 60_000, maxUnverifiedMs: 60_000 });
    let asked = 0;
    const read = async () => {
      asked += 1;
      return true;
    };
    const streams = [stream('same', { read }), stream('same', { read }), stream('other', { read })];
    const removers = streams.map((s) => watch.add(s));
    await watch.checkAll();
    expect(asked).toBe(2);
    removers.forEach((r) => r());
    await watch.checkAll();
    expect(asked).toBe(2);
  });

  it('runs by itself every interval', async () => {
    watch = new QixStreamWatch({ intervalMs: 50, maxUnverifiedMs: 60_000 });
    const s = stream('k', { read: async () => false });
    watch.add(s);
    await new Promise((r) => setTimeout(r, 200));
    expect(s.closedWith).not.toBeNull();
  });
});
