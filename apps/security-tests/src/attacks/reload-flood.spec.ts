import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpResult } from '@trustzone/site-harness';
import { ADMIN, ok, sleep, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { connectQix } from '../test-support/qix-client';
import { createApp, everyoneStream, inline, publish } from '../test-support/site-content';

// Denial of service by reloads (issue 15, finding 4): every reload forks a sandboxed worker with a
// large heap, and nothing bounded how many ran at once — a dozen parallel reloads by one user took
// the engine's memory and every QIX session with it. Acceptance: 16 parallel reloads of a heavy app
// by one user through the real path; the engine stays up, a QIX session opened meanwhile answers
// within 1 s, the reloads beyond the limits get 429 with Retry-After, every accepted one finishes.
const LIMITS = { concurrency: 2, queue: 8, perUser: 4 };
const PARALLEL = 16;
const QIX_BOUND_MS = 1_000;

// Half a million rows built by self-doubling RESIDENT loads: seconds of work and a heap of its own
// in each worker, while the stored result stays small.
const HEAVY = [
  'T: LOAD * INLINE [A, B\n1, x];',
  ...Array.from({ length: 19 }, () => "LOAD A + 1 AS A, B & 'y' AS B RESIDENT T;"),
  'Small: LOAD A AS N RESIDENT T WHERE A >= 19;',
  'DROP TABLE T;',
].join('\n');

let a: AttackSite;
let heavy: string;
let sales: string;

beforeAll(async () => {
  a = await startAttackSite({
    TZ_RATE_IP_PER_SECOND: '100000',
    TZ_RELOAD_CONCURRENCY: String(LIMITS.concurrency),
    TZ_RELOAD_QUEUE_LENGTH: String(LIMITS.queue),
    TZ_RELOAD_PER_USER: String(LIMITS.perUser),
  });
  heavy = await createApp(a, 'Heavy');
  ok(await a.as(ADMIN, 'PUT', `/qrs/app/${heavy}/script`, { script: HEAVY }), 'set heavy script');
  sales = await createApp(a, 'Sales', inline('Sales', ['ID', 'AMOUNT'], Array.from({ length: 40 }, (_, i) => [i + 1, 100 + i])));
  await publish(a, sales, await everyoneStream(a));
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

interface Line { type: string; position?: number; status?: string }
const lines = (r: HttpResult): Line[] => r.text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Line);

/** Login, socket, OpenDoc and one calculation as carol, each timed. */
async function qixRound(): Promise<number[]> {
  const cookie = await a.login('CORP\\carol');
  let t = performance.now();
  const q = await connectQix(a, cookie, sales);
  const times = [performance.now() - t];
  try {
    t = performance.now();
    const doc = await q.global.openDoc(sales);
    times.push(performance.now() - t);
    t = performance.now();
    expect(Number(await doc.evaluate('Sum(AMOUNT)'))).toBe(40 * 100 + (39 * 40) / 2);
    times.push(performance.now() - t);
  } finally {
    await q.close();
  }
  return times;
}

describe('Denial of service › reload flood', () => {
  it('16 parallel reloads of a heavy app by one user: 429 beyond the limits, QIX answers within 1 s, every accepted reload finishes', async () => {
    const started = Date.now();
    const reloads = Array.from({ length: PARALLEL }, () =>
      a.api(`/qrs/app/${heavy}/reload`, { method: 'POST', headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin', Accept: 'application/x-ndjson' } }));
    let settled = false;
    const all = Promise.all(reloads).finally(() => (settled = true));
    // A QIX session opened while the reloads run, and again and again until they are done.
    const qix: number[] = [];
    await sleep(300);
    do qix.push(...(await qixRound()));
    while (!settled);
    const results = await all;
    const elapsed = Date.now() - started;

    const refused = results.filter((r) => r.status === 429);
    const accepted = results.filter((r) => r.status === 200);
    expect(refused.length + accepted.length, results.map((r) => `${r.status} ${r.text.slice(0, 120)}`).join('\n')).toBe(PARALLEL);
    // One user: the per-user limit admits perUser reloads (running + queued); the rest are refused.
    expect(accepted.length).toBeGreaterThanOrEqual(LIMITS.perUser);
    expect(refused.length).toBeGreaterThanOrEqual(PARALLEL - LIMITS.perUser - 2);
    for (const r of refused) {
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((r.json as { error: { code: string } }).error.code).toBe('TOO_MANY_REQUESTS');
    }
    // Every accepted reload finished, and those that waited said so while they waited.
    for (const r of accepted) expect(lines(r).at(-1)).toMatchObject({ type: 'done', status: 'succeeded' });
    expect(accepted.filter((r) => lines(r).some((l) => l.type === 'queued' && (l.position ?? 0) >= 1)).length).toBeGreaterThanOrEqual(LIMITS.perUser - LIMITS.concurrency);

    expect(qix.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...qix), `QIX timings during ${elapsed} ms of reloads: ${qix.map(Math.round).join(', ')}`).toBeLessThan(QIX_BOUND_MS);
    // The engine is up, and the app holds the result of a finished reload.
    expect((await a.client('/health', { xrfkey: false })).status).toBe(200);
    const q = await connectQix(a, await a.login(ADMIN), heavy);
    try {
      expect(Number(await (await q.global.openDoc(heavy)).evaluate('Count(N)'))).toBe(20);
    } finally {
      await q.close();
    }
  });
});
