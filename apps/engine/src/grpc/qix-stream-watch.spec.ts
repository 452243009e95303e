import { ErrorCode, ServiceError, type PeerCheck } from '@trustzone/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { QixStreamWatch, type CloseCause, type WatchedStream } from './qix-stream-watch';

const proxy: PeerCheck = { ok: true, identity: { kind: 'service', siteId: 's', service: 'proxy' } };

function stream(key: string, o: { caller?: () => PeerCheck; read?: () => Promise<boolean> } = {}): WatchedStream & { closedWith: string | null; cause: CloseCause | null; asked: number } {
  const s = {
    closedWith: null as string | null,
    cause: null as CloseCause | null,
    asked: 0,
    accessKey: key,
    callerValid: o.caller ?? (() => proxy),
    userMayRead: async () => {
      s.asked += 1;
      return (o.read ?? (async () => true))();
    },
    close: (reason: string, cause: CloseCause) => {
      s.closedWith = reason;
      s.cause = cause;
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
    // The proxy's credential, not the user's: the stream tells the client to reconnect, not to log in.
    expect(s.cause).toBe('caller');
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
    expect([denied.cause, inactive.cause]).toEqual(['access', 'access']);
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

  // Issue 21: a round of every stream at once meant a thousand repository calls in one turn of the loop.
  it('re-checks every stream at least once per interval, spread over the interval rather than all at once', async () => {
    const interval = 400;
    watch = new QixStreamWatch({ intervalMs: interval, maxUnverifiedMs: 60_000 });
    const asks = new Map<string, number[]>();
    const added = Date.now();
    const streams = Array.from({ length: 40 }, (_, i) => {
      const key = `u${i}`;
      asks.set(key, []);
      return stream(key, { read: async () => (asks.get(key)!.push(Date.now()), true) });
    });
    for (const s of streams) watch.add(s); // opened together, as after a handover
    await new Promise((r) => setTimeout(r, 3 * interval + 100));
    const slack = 150; // timers on a loaded machine
    for (const [key, times] of asks) {
      expect(times.length, key).toBeGreaterThanOrEqual(3);
      const gaps = [times[0]! - added, ...times.slice(1).map((t, k) => t - times[k]!)];
      expect(Math.max(...gaps), key).toBeLessThanOrEqual(interval + slack);
    }
    // Spread: the first re-checks of streams opened together fall in many ticks, not one.
    const firstTicks = new Set([...asks.values()].map((t) => Math.floor((t[0]! - added) / (interval / 20))));
    expect(firstTicks.size).toBeGreaterThanOrEqual(8);
    expect(streams.every((s) => s.closedWith === null)).toBe(true);
  });

  // Reconnect storm (issue 21): a rotation retires the proxy certificate of every open stream at once.
  it('closes the streams of an ended proxy certificate spread evenly over the window, every one by detection + window', async () => {
    const window = 1_000;
    const n = 40;
    watch = new QixStreamWatch({ intervalMs: 60_000, maxUnverifiedMs: 60_000, callerCloseSpreadMs: window });
    let retired = false;
    const closedAt: number[] = [];
    const streams = Array.from({ length: n }, (_, i) => {
      const s = stream(`k${i}`, { caller: () => (retired ? { ok: false, reason: 'certificate 0a is revoked' } : proxy) });
      const close = s.close;
      s.close = (reason, cause) => {
        closedAt.push(performance.now() - detected);
        close(reason, cause);
      };
      watch.add(s);
      return s;
    });
    await watch.checkAll();
    retired = true;
    const detected = performance.now();
    await watch.checkAll();
    // Not all at once: right after detection only the first has been closed; the rest are scheduled,
    // no longer re-checked, and not asked about again.
    expect(closedAt).toHaveLength(1);
    expect([watch.size, watch.closing]).toEqual([0, n - 1]);
    const asked = streams.reduce((a, s) => a + s.asked, 0);
    await watch.checkAll();
    expect(streams.reduce((a, s) => a + s.asked, 0)).toBe(asked);
    const slack = 400; // a busy machine fires timers late, never early
    await new Promise((r) => setTimeout(r, window + slack));
    expect(closedAt).toHaveLength(n);
    expect(watch.closing).toBe(0);
    expect(streams.every((s) => s.cause === 'caller' && /certificate 0a is revoked/.test(s.closedWith ?? ''))).toBe(true);
    const sorted = [...closedAt].sort((a, b) => a - b);
    // The k-th close comes no earlier than its slot k·window/n, and all by the bound.
    sorted.forEach((t, k) => expect(t).toBeGreaterThanOrEqual((k * window) / n - 2));
    expect(sorted[n - 1]).toBeLessThanOrEqual(window + slack);
    // Spread: the second half of the streams closes in the second half of the window.
    expect(sorted[n / 2]).toBeGreaterThanOrEqual(window / 2 - 2);
  });

  it('does not delay an access revocation while caller closes are spread, and close() cancels the pending ones', async () => {
    watch = new QixStreamWatch({ intervalMs: 60_000, maxUnverifiedMs: 60_000, callerCloseSpreadMs: 10_000 });
    const gone = [0, 1, 2].map((i) => stream(`c${i}`, { caller: () => ({ ok: false, reason: 'certificate revoked' }) }));
    const denied = stream('d', { read: async () => false });
    for (const s of [...gone, denied]) watch.add(s);
    await watch.checkAll();
    expect(denied.closedWith).toBe('the user may no longer read the app');
    expect(gone.map((s) => s.closedWith !== null)).toEqual([true, false, false]);
    expect(watch.closing).toBe(2);
    watch.close();
    expect(watch.closing).toBe(0);
  });

  it('with no window (0) closes them all at once, as before', async () => {
    watch = new QixStreamWatch({ intervalMs: 60_000, maxUnverifiedMs: 60_000, callerCloseSpreadMs: 0 });
    const gone = [0, 1, 2, 3].map((i) => stream(`z${i}`, { caller: () => ({ ok: false, reason: 'certificate revoked' }) }));
    for (const s of gone) watch.add(s);
    await watch.checkAll();
    expect(gone.every((s) => s.cause === 'caller')).toBe(true);
  });

  it('reports the streams a round closes for their caller once per round (one log line per rotation, not one per stream)', async () => {
    const told: [number, number, string][] = [];
    watch = new QixStreamWatch({ intervalMs: 60_000, maxUnverifiedMs: 60_000, callerCloseSpreadMs: 0, onCallerGone: (n, spread, reason) => told.push([n, spread, reason]) });
    let retired = false;
    const streams = [0, 1, 2, 3, 4].map((i) => stream(`r${i}`, { caller: () => (retired ? { ok: false, reason: 'certificate 0b is revoked' } : proxy) }));
    const denied = stream('d', { read: async () => false });
    for (const s of [...streams, denied]) watch.add(s);
    await watch.checkAll();
    expect(told).toEqual([]); // an access revocation is not a caller close
    retired = true;
    await watch.checkAll();
    await watch.checkAll();
    expect(told).toHaveLength(1);
    expect(told[0]![0]).toBe(streams.length);
    expect(told[0]![1]).toBe(0);
    expect(told[0]![2]).toMatch(/certificate 0b is revoked/);
    expect(streams.every((s) => s.cause === 'caller')).toBe(true);
  });
});

