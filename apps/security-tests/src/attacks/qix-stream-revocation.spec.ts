import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { revokeCert, sitePaths } from '@trustzone/trust';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { connectQix, type QixConnection } from '../test-support/qix-client';
import { createApp, everyoneStream, inline, publish } from '../test-support/site-content';

// Elevation of privilege through a long-lived QIX stream (issue 15): the engine checked the proxy's
// certificate and the user's access when the stream opened, and never again. A proxy whose
// certificate was revoked, or a user who was blocked or lost the rule that let them read the app,
// kept a working session for as long as the socket lived. The engine must re-check and close.
const RECHECK_MS = 1_000;
const CLOSE_WITHIN_MS = 10_000;

let a: AttackSite;
let everyoneApp: string;
let teamApp: string;
let teamRule: string;

beforeAll(async () => {
  a = await startAttackSite({ TZ_QIX_RECHECK_MS: String(RECHECK_MS) });
  const data = inline('T', ['K', 'V'], [['a', 1], ['b', 2]]);
  everyoneApp = await createApp(a, 'For everyone', data);
  await publish(a, everyoneApp, await everyoneStream(a));
  teamApp = await createApp(a, 'For the team', data);
  const team = ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/stream', { name: 'Team' }), 'team stream').id;
  teamRule = ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/systemrule', { name: 'Team is carol', resourceFilter: 'Stream_*', rule: 'resource.name = "Team" and user.userId = "carol"', actions: 2, ruleContext: 0 }), 'team rule').id;
  await publish(a, teamApp, team);
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

/** An open session with the app open and answering; `closed` resolves when the socket closes. */
async function openSession(user: string, app: string): Promise<{ q: QixConnection; closed: Promise<number>; ask(): Promise<unknown> }> {
  const q = await connectQix(a, await a.login(user), app);
  const closed = new Promise<number>((resolve) => q.socket.once('close', () => resolve(Date.now())));
  const doc = await q.global.openDoc(app);
  const ask = () => doc.evaluate('Sum(V)');
  expect(Number(await ask())).toBe(3);
  return { q, closed, ask };
}

async function closesWithin(s: { closed: Promise<number> }, from: number): Promise<number> {
  const at = await Promise.race([s.closed, new Promise<null>((r) => setTimeout(() => r(null), CLOSE_WITHIN_MS))]);
  expect(at, `the QIX socket was still open ${CLOSE_WITHIN_MS} ms after the change`).not.toBeNull();
  return (at as number) - from;
}

describe('Elevation of privilege › QIX stream revocation', () => {
  it('a blocked user, and a user who lost the rule that let them read the app, lose their open QIX session', async () => {
    const bob = await openSession('CORP\\bob', everyoneApp);
    const carol = await openSession('CORP\\carol', teamApp);
    const dave = await openSession('CORP\\dave', everyoneApp); // control: nothing changes for him
    const bobId = (ok<{ id: string }[]>(await a.as(ADMIN, 'GET', `/qrs/user?filter=${encodeURIComponent("userId eq 'bob'")}`), 'bob id')[0] as { id: string }).id;
    const record = ok<Record<string, unknown>>(await a.as(ADMIN, 'GET', `/qrs/user/${bobId}`), 'bob');
    const t0 = Date.now();
    ok(await a.as(ADMIN, 'PUT', `/qrs/user/${bobId}`, { ...record, inactive: true }), 'block bob');
    expect((await a.as(ADMIN, 'DELETE', `/qrs/systemrule/${teamRule}`)).status).toBe(204);
    await closesWithin(bob, t0);
    await closesWithin(carol, t0);
    // dave was re-checked too (several intervals have passed) and keeps working.
    expect(Number(await dave.ask())).toBe(3);
    await dave.q.close();
  });

  it("streams opened under a proxy certificate are closed within seconds of that certificate's revocation", async () => {
    const s = await openSession('CORP\\erin', everyoneApp);
    const serial = new X509Certificate(readFileSync(sitePaths(a.site.dataDir).cert('proxy'))).serialNumber;
    const t0 = Date.now();
    await revokeCert(a.site.dataDir, serial);
    const ms = await closesWithin(s, t0);
    expect(ms).toBeLessThan(CLOSE_WITHIN_MS);
    // Nothing more is answered on it.
    await expect(s.ask()).rejects.toBeTruthy();
  });
});
