import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '@trustzone/logging';
import { ok, sleep, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { auditBytes, auditRecords, detailsOf, eventsIn } from '../test-support/audit-trail';
import { rawUpgrade } from '../test-support/qix-client';
import { describeResponseScan } from '../test-support/response-scan';

// Unauthenticated traffic against the audit trail (issue 15, finding 3) and the one request
// pipeline (websocket upgrades limited, identified and audited like requests). Anyone who reaches
// the client-facing port can send refused requests for free; if each wrote a flushed record, a
// loop of curl calls would fill the disk the repository needs. Refusals before a login are
// aggregated per source, reason and interval; this site flushes every INTERVAL_MS.
const INTERVAL_MS = 3_000;
const IP_RATE = 20; // burst 2×: a full bucket lets 40 requests through at once; the bursts below are far faster
let a: AttackSite;

const GUID = '00000000-0000-4000-8000-00000000f100';
const ORIGIN = () => `https://localhost:${a.site.ports.proxy}`;
const statuses = (rs: readonly { status: number }[], s: number) => rs.filter((r) => r.status === s).length;

/** Runs `n` calls of `one`, `parallel` at a time. */
async function burst<T>(n: number, parallel: number, one: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += parallel) out.push(...(await Promise.all(Array.from({ length: Math.min(parallel, n - i) }, (_, j) => one(i + j)))));
  return out;
}

/** The records of one kind of refusal from this test's client address written since `since`. */
function refusals(records: AuditRecord[], since: number, action: string, match: Record<string, unknown>): AuditRecord[] {
  return records.filter((r) => r.action === action && Date.parse(r.time) >= since && detailsOf(r)['source'] === '127.0.0.1' && Object.entries(match).every(([k, v]) => detailsOf(r)[k] === v));
}

/** Waits until the proxy has flushed records whose counts add up to `expected` (or times out). */
async function flushedCount(since: number, action: string, match: Record<string, unknown>, expected: number): Promise<AuditRecord[]> {
  let found: AuditRecord[] = [];
  const end = Date.now() + 3 * INTERVAL_MS + 10_000;
  while (Date.now() < end) {
    found = refusals(await auditRecords(a.site, action), since, action, match);
    if (found.reduce((n, r) => n + eventsIn(r), 0) >= expected) break;
    await sleep(500);
  }
  return found;
}

beforeAll(async () => {
  a = await startAttackSite({ TZ_RATE_IP_PER_SECOND: String(IP_RATE), TZ_REFUSAL_AUDIT_INTERVAL_MS: String(INTERVAL_MS) });
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

describe('Denial of service › audit trail flood', () => {
  it('a burst of hundreds of anonymous refused requests and upgrades grows the audit trail by kilobytes, and each aggregated record carries the count of its refusals', async () => {
    await sleep(2_500); // a full per-IP bucket
    const since = Date.now();
    const before = auditBytes(a.site);
    // A full bucket before each burst, so each kind of refusal is seen besides the limit's 429s (a
    // proxy fast enough to finish one burst within a few ms leaves the next one an empty bucket).
    const noXrfkey = await burst(150, 50, () => a.client('/qrs/about', { xrfkey: false }));
    await sleep(2_500);
    const qlikUser = await burst(150, 50, () => a.client('/qrs/about', { headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' } }));
    await sleep(2_500);
    const upgrades = await burst(150, 50, () => rawUpgrade(a, `/app/${GUID}`, { Origin: ORIGIN() }));
    await sleep(2_500);
    const apiNoXrfkey = await burst(50, 25, () => a.api('/qrs/about', { xrfkey: false, headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' } }));
    // Every request was refused: by the per-IP limit or by the check it was built to fail.
    for (const [name, rs, expected] of [['no xrfkey', noXrfkey, 403], ['X-Qlik-User', qlikUser, 401], ['upgrade', upgrades, 401], ['api no xrfkey', apiNoXrfkey, 403]] as const) {
      expect(statuses(rs, expected) + statuses(rs, 429), name).toBe(rs.length);
      expect(statuses(rs, expected), name).toBeGreaterThan(0);
    }

    // Every refusal is counted in exactly one aggregated record: by the limit, or by the check it failed.
    const refusalActions = ['request.refused', 'csrf.refused', 'auth.login', 'websocket.refused'];
    const all = [...noXrfkey, ...qlikUser, ...upgrades, ...apiNoXrfkey];
    let records: AuditRecord[] = [];
    const end = Date.now() + 3 * INTERVAL_MS + 10_000;
    while (Date.now() < end) {
      records = (await auditRecords(a.site)).filter((r) => Date.parse(r.time) >= since && detailsOf(r)['source'] === '127.0.0.1');
      if (records.filter((r) => refusalActions.includes(r.action)).reduce((n, r) => n + eventsIn(r), 0) >= all.length) break;
      await sleep(500);
    }
    const grown = auditBytes(a.site) - before;
    const sum = (action: string, door?: string) => records.filter((r) => r.action === action && (door === undefined || detailsOf(r)['door'] === door)).reduce((n, r) => n + eventsIn(r), 0);
    expect(records.filter((r) => refusalActions.includes(r.action)).reduce((n, r) => n + eventsIn(r), 0)).toBe(all.length);
    expect(sum('request.refused')).toBe(statuses(all, 429));
    expect(sum('csrf.refused', 'client')).toBe(statuses(noXrfkey, 403));
    expect(sum('csrf.refused', 'api')).toBe(statuses(apiNoXrfkey, 403));
    expect(sum('auth.login', 'client')).toBe(statuses(qlikUser, 401));
    expect(sum('auth.header-ignored', 'client')).toBe(statuses(qlikUser, 401));
    expect(sum('auth.login', 'upgrade')).toBe(statuses(upgrades, 401));
    for (const r of records) expect(detailsOf(r)['count'], r.action).toBeTypeOf('number');
    // Hundreds of refusals, a handful of records: one per source, event and interval.
    expect(records.length, JSON.stringify(records.map((r) => [r.action, detailsOf(r)['door'], eventsIn(r)]))).toBeLessThanOrEqual(24);
    expect(grown, `audit trail grew by ${grown} bytes`).toBeLessThan(24 * 1024);
  }, 120_000);

  it('websocket upgrades are rate-limited per client address like requests', async () => {
    await sleep(2_500);
    const upgrades = await burst(400, 100, () => rawUpgrade(a, `/app/${GUID}`, { Origin: ORIGIN() }));
    expect(statuses(upgrades, 429)).toBeGreaterThan(100);
    expect(statuses(upgrades, 401) + statuses(upgrades, 429)).toBe(upgrades.length);
    // Plain requests from the same address share the bucket: they are limited now too.
    const r = await a.client('/qrs/about');
    expect([401, 429]).toContain(r.status);
    await sleep(2_500);
    expect((await a.client('/qrs/about')).status).toBe(401); // control: refilled, the request is answered
  }, 60_000);

  it('xrfkey refusals on both ports are audited once each, with one record shape', async () => {
    await sleep(2_500);
    const since = Date.now();
    expect((await a.client('/qrs/about?xrfkey=abcdefghijklmnop', { xrfkey: false, headers: { 'X-Qlik-Xrfkey': 'abcdefghijklmnoq' } })).status).toBe(403);
    expect((await a.api('/qrs/about?xrfkey=abcdefghijklmnop', { xrfkey: false, headers: { 'X-Qlik-Xrfkey': 'abcdefghijklmnoq', 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' } })).status).toBe(403);
    const reason = 'xrfkey query and header differ';
    const client = await flushedCount(since, 'csrf.refused', { door: 'client' }, 1);
    const api = await flushedCount(since, 'csrf.refused', { door: 'api' }, 1);
    const mismatch = (rs: AuditRecord[]) => rs.filter((r) => r.reason === reason);
    expect(mismatch(client).map(eventsIn)).toEqual([1]);
    expect(mismatch(api).map(eventsIn)).toEqual([1]);
    const shape = (r: AuditRecord) => ({ outcome: r.outcome, user: r.actor.user, service: r.actor.service, details: Object.keys(detailsOf(r)).sort() });
    expect(shape(mismatch(api)[0] as AuditRecord)).toEqual(shape(mismatch(client)[0] as AuditRecord));
  }, 60_000);
});

describe('Repudiation › websocket logins', () => {
  it('a ticket login through a websocket upgrade writes the same audit records as one through the hub', async () => {
    await sleep(2_500);
    await a.login('CORP\\hubuser');
    const issued = ok<{ Ticket: string }>(await a.api('/qps/ticket', { method: 'POST', body: { UserDirectory: 'CORP', UserId: 'wsuser' } }), 'ticket');
    const upgrade = await rawUpgrade(a, `/app/${GUID}?qlikTicket=${encodeURIComponent(issued.Ticket)}`, { Origin: ORIGIN() });
    upgrade.socket?.terminate();
    expect([101, 404]).toContain(upgrade.status); // logged in; the app does not exist
    const records = await auditRecords(a.site);
    const of = (user: string, action: string) => records.filter((r) => r.actor.user === user && r.action === action);
    for (const action of ['ticket.redeem', 'session.start']) {
      const [hub] = of('CORP\\hubuser', action);
      const ws = of('CORP\\wsuser', action);
      expect(ws, action).toHaveLength(1);
      expect(hub, action).toBeDefined();
      const shape = (r: AuditRecord) => ({ outcome: r.outcome, service: r.actor.service, details: Object.keys(detailsOf(r)).sort() });
      expect(shape(ws[0] as AuditRecord), action).toEqual(shape(hub as AuditRecord));
    }
    expect(detailsOf(of('CORP\\wsuser', 'session.start')[0] as AuditRecord)).toMatchObject({ via: 'ticket', door: 'upgrade' });
  }, 60_000);
});

describeResponseScan(() => a);
