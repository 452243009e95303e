import { ErrorCode, ServiceError } from '@trustzone/contracts';
import { describe, expect, it } from 'vitest';
import { ReloadAdmission } from './reload-admission';

const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as ServiceError);

describe('ReloadAdmission', () => {
  it('runs up to `concurrency`, queues up to `queueLength` in order, and refuses beyond with a Retry-After', async () => {
    const ad = new ReloadAdmission({ concurrency: 2, queueLength: 2, perUser: 10 });
    const positions: Record<string, number[]> = { c: [], d: [] };
    const a = await ad.admit('u1', () => undefined);
    const b = await ad.admit('u2', () => undefined);
    const c = ad.admit('u3', (p) => positions['c']!.push(p));
    const d = ad.admit('u4', (p) => positions['d']!.push(p));
    expect(ad.stats).toEqual({ running: 2, queued: 2 });
    const e = await refusal(ad.admit('u5', () => undefined));
    expect(e).toMatchObject({ code: ErrorCode.TooManyRequests, detail: { retryAfterSeconds: expect.any(Number) } });
    expect((e!.detail!['retryAfterSeconds'] as number) >= 1).toBe(true);
    a();
    const releaseC = await c;
    expect(positions).toEqual({ c: [1], d: [2, 1] });
    expect(ad.stats).toEqual({ running: 2, queued: 1 });
    a(); // a second call is ignored
    expect(ad.stats).toEqual({ running: 2, queued: 1 });
    b();
    (await d)();
    releaseC();
    expect(ad.stats).toEqual({ running: 0, queued: 0 });
  });

  it('one user holds at most `perUser` reloads, running and waiting together', async () => {
    const ad = new ReloadAdmission({ concurrency: 1, queueLength: 10, perUser: 2 });
    const first = await ad.admit('CORP\\A', () => undefined);
    const second = ad.admit('CORP\\A', () => undefined);
    expect(await refusal(ad.admit('CORP\\A', () => undefined))).toMatchObject({ code: ErrorCode.TooManyRequests, message: expect.stringContaining('limit 2') });
    // Someone else still gets in line.
    const other = ad.admit('CORP\\B', () => undefined);
    first();
    (await second)();
    (await other)();
    // Once done, the user may reload again.
    (await ad.admit('CORP\\A', () => undefined))();
  });

  it('an abort while waiting leaves the queue and moves the others up', async () => {
    const ad = new ReloadAdmission({ concurrency: 1, queueLength: 5, perUser: 5 });
    const running = await ad.admit('a', () => undefined);
    const ac = new AbortController();
    const gone = ad.admit('b', () => undefined, ac.signal);
    const moved: number[] = [];
    const stays = ad.admit('c', (p) => moved.push(p));
    ac.abort();
    expect(await refusal(gone)).toMatchObject({ code: ErrorCode.Unavailable });
    expect(moved).toEqual([2, 1]);
    running();
    (await stays)();
    expect(ad.stats).toEqual({ running: 0, queued: 0 });
    await expect(ad.admit('d', () => undefined, AbortSignal.abort())).rejects.toBeInstanceOf(ServiceError);
  });

  it('refuses nonsense limits', () => {
    expect(() => new ReloadAdmission({ concurrency: 0, queueLength: 1, perUser: 1 })).toThrow(RangeError);
  });
});
