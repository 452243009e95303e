import { describe, expect, it } from 'vitest';
import type { RepositoryDefinition, TrustZoneClient } from '@trustzone/contracts';
import type { Logger } from '@trustzone/logging';
import { refusedCallAuditor } from './refused-call-audit';

type Sent = { action: string; outcome: string; reason: string; detailsJson: string };

function recorder(fail = false) {
  const sent: Sent[] = [];
  const repository = { unary: async (_m: string, req: Sent) => (fail ? Promise.reject(new Error('down')) : (sent.push(req), {})) } as unknown as TrustZoneClient<RepositoryDefinition>;
  const warnings: string[] = [];
  const logger = { warn: (m: string) => warnings.push(m) } as unknown as Logger;
  return { sent, warnings, repository, logger };
}

const refused = (i: number) => ({ method: '/trustzone.v1.Engine/Qix', caller: `integration:p${i}`, reason: 'identity may not assert an end user', assertedUser: true });

describe('refused call auditor', () => {
  it('records each refusal as call.refused with the method, the caller and whether a user was asserted', async () => {
    const r = recorder();
    refusedCallAuditor(r.repository, r.logger, 1000)(refused(1));
    await new Promise((res) => setImmediate(res));
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]).toMatchObject({ action: 'call.refused', outcome: 'denied', reason: 'identity may not assert an end user' });
    expect(JSON.parse(r.sent[0]!.detailsJson)).toEqual({ method: '/trustzone.v1.Engine/Qix', caller: 'integration:p1', assertedUser: true });
  });

  it('bounds a flood: beyond 20 per second the rest are counted, and the next record says how many', async () => {
    const r = recorder();
    const audit = refusedCallAuditor(r.repository, r.logger, 1000);
    const second = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 100; i++) audit(refused(i));
    await new Promise((res) => setImmediate(res));
    // All 100 ran within one second (or straddled one boundary): at most 2 windows' worth got through.
    const sameSecond = Math.floor(Date.now() / 1000) === second;
    expect(r.sent.length).toBeLessThanOrEqual(sameSecond ? 20 : 40);
    await new Promise((res) => setTimeout(res, 1100));
    audit(refused(999));
    await new Promise((res) => setImmediate(res));
    expect(JSON.parse(r.sent.at(-1)!.detailsJson)).toMatchObject({ caller: 'integration:p999', suppressedBefore: 100 - (r.sent.length - 1) });
  });

  it('a failing audit write is logged, never thrown at the refused caller', async () => {
    const r = recorder(true);
    expect(() => refusedCallAuditor(r.repository, r.logger, 1000)(refused(1))).not.toThrow();
    await new Promise((res) => setTimeout(res, 10));
    expect(r.warnings).toEqual(['audit of a refused call failed']);
  });
});
