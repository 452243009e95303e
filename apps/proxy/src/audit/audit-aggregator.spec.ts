import { describe, expect, it } from 'vitest';
import { clientSource } from '../edge/client-source';
import { AuditAggregator, OTHER_SOURCES, type AggregatedEvent } from './audit-aggregator';
import type { AuditSink, ProxyAuditEvent } from './proxy-audit';

function sink(failures = 0): AuditSink & { records: ProxyAuditEvent[] } {
  let fail = failures;
  const records: ProxyAuditEvent[] = [];
  return {
    records,
    async record(e) {
      if (fail-- > 0) throw new Error('repository unavailable');
      records.push(e);
    },
  };
}

const csrf = (ip: string, reason = 'xrfkey query parameter missing'): AggregatedEvent => ({ action: 'csrf.refused', outcome: 'denied', reason, door: 'client', ip, virtualProxy: '' });
const counts = (records: ProxyAuditEvent[]) => Object.fromEntries(records.map((r) => [`${String(r.details?.['source'])} ${r.reason}`, r.details?.['count']]));

describe('AuditAggregator', () => {
  it('writes one record per source, event and interval, carrying the count', async () => {
    const out = sink();
    let t = 1_000;
    const agg = new AuditAggregator(out, { intervalMs: 60_000, now: () => t });
    for (let i = 0; i < 300; i++) agg.note(csrf('203.0.113.7'));
    for (let i = 0; i < 5; i++) agg.note(csrf('203.0.113.8'));
    t = 2_500;
    agg.note(csrf('203.0.113.7', 'X-Qlik-Xrfkey header missing'));
    expect(out.records).toEqual([]); // nothing is written before the interval ends
    await agg.flush();
    expect(counts(out.records)).toEqual({ '203.0.113.7 xrfkey query parameter missing': 300, '203.0.113.8 xrfkey query parameter missing': 5, '203.0.113.7 X-Qlik-Xrfkey header missing': 1 });
    expect(out.records[0]).toEqual({
      action: 'csrf.refused', outcome: 'denied', reason: 'xrfkey query parameter missing',
      details: { source: '203.0.113.7', door: 'client', virtualProxy: '', count: 300, from: new Date(1_000).toISOString(), to: new Date(1_000).toISOString() },
    });
    await agg.flush();
    expect(out.records).toHaveLength(3); // a new interval starts empty
  });

  it('keeps the user and virtual proxy apart, and gives every record the same details keys', async () => {
    const out = sink();
    const agg = new AuditAggregator(out, { intervalMs: 60_000 });
    agg.note({ action: 'request.refused', outcome: 'denied', reason: 'EDGE_RATE_LIMITED', door: 'client', ip: '10.0.0.1', user: 'CORP\\a' });
    agg.note({ action: 'request.refused', outcome: 'denied', reason: 'EDGE_RATE_LIMITED', door: 'client', ip: '10.0.0.1', user: 'CORP\\b' });
    agg.note({ action: 'csrf.refused', outcome: 'denied', reason: 'x', door: 'api', ip: '10.0.0.1' });
    await agg.close();
    expect(out.records.map((r) => r.user)).toEqual(['CORP\\a', 'CORP\\b', undefined]);
    for (const r of out.records) expect(Object.keys(r.details ?? {}).sort()).toEqual(['count', 'door', 'from', 'source', 'to', 'virtualProxy']);
  });

  it('groups an IPv6 client by its /64 and an IPv4-mapped address as IPv4', async () => {
    expect(clientSource('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientSource('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(clientSource('::1')).toBe('::1');
    expect(clientSource('')).toBe('unknown');
    const out = sink();
    const agg = new AuditAggregator(out, { intervalMs: 60_000 });
    for (let i = 1; i <= 200; i++) agg.note(csrf(`2001:db8:1:2::${i.toString(16)}`));
    await agg.flush();
    expect(counts(out.records)).toEqual({ '2001:db8:1:2::/64 xrfkey query parameter missing': 200 });
  });

  it('stays bounded: past maxGroups, new sources are counted together under *', async () => {
    const out = sink();
    const agg = new AuditAggregator(out, { intervalMs: 60_000, maxGroups: 10 });
    for (let i = 0; i < 5_000; i++) agg.note(csrf(`198.51.${i >> 8}.${i & 255}`));
    for (let i = 0; i < 3; i++) agg.note(csrf('198.51.0.0')); // a source that already has a group keeps it
    expect(agg.size).toBe(11);
    await agg.flush();
    expect(out.records).toHaveLength(11);
    expect(out.records.reduce((n, r) => n + Number(r.details?.['count']), 0)).toBe(5_003);
    expect(out.records.find((r) => r.details?.['source'] === OTHER_SOURCES)?.details?.['count']).toBe(4_990);
    expect(out.records.find((r) => r.details?.['source'] === '198.51.0.0')?.details?.['count']).toBe(4);
  });

  it('keeps a group whose write failed and adds it to the next interval', async () => {
    const out = sink(1);
    const errors: number[] = [];
    const agg = new AuditAggregator(out, { intervalMs: 60_000, onFlushError: (_e, lost) => errors.push(lost) });
    for (let i = 0; i < 7; i++) agg.note(csrf('192.0.2.9'));
    await agg.flush();
    expect(out.records).toEqual([]);
    expect(errors).toEqual([0]);
    agg.note(csrf('192.0.2.9'));
    await agg.close();
    expect(counts(out.records)).toEqual({ '192.0.2.9 xrfkey query parameter missing': 8 });
  });

  it('flushes on its interval timer', async () => {
    const out = sink();
    const agg = new AuditAggregator(out, { intervalMs: 50 });
    agg.start();
    agg.note(csrf('192.0.2.1'));
    await expect.poll(() => out.records.length, { timeout: 2_000 }).toBe(1);
    await agg.close();
  });
});
