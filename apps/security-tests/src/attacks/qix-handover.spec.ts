import { randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QixHandoverWire as Wire, type AssertedUser } from '@trustzone/contracts';
import { normalizeSerial, readIssuedRegistry, rotateServiceCert, sitePaths } from '@trustzone/trust';
import { sleep, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { connectQix } from '../test-support/qix-client';
import { createApp, everyoneStream, inline, publish } from '../test-support/site-content';
import { assertedUser, closeZoneStores, siteTls, zoneClients, type ZoneClients } from '../test-support/zone-client';

// A rotated proxy moves its QIX sessions to streams opened under its new certificate (a handover),
// so retiring the old certificate ends no user's session. The move is the one way a stream joins a
// session it did not open, so it is attacked here: Spoofing another user's session by presenting a
// guessed resume key, or a known one for another user or app, must be refused and leave the session
// answering where it was.
const RECHECK_MS = 1_000;

let a: AttackSite;
let appId: string;
let otherApp: string;
let zone: ZoneClients;

beforeAll(async () => {
  a = await startAttackSite({ TZ_QIX_RECHECK_MS: String(RECHECK_MS), TZ_CERT_RETIRE_CHECK_MS: '500' });
  const data = inline('T', ['K', 'V'], [['a', 1], ['b', 2], ['c', 4]]);
  const everyone = await everyoneStream(a);
  appId = await createApp(a, 'Handover', data);
  await publish(a, appId, everyone);
  otherApp = await createApp(a, 'Other', data);
  await publish(a, otherApp, everyone);
  zone = zoneClients(a.site, siteTls(a.site, 'proxy'));
}, 120_000);

afterAll(async () => {
  zone?.close();
  closeZoneStores();
  await a?.stop();
});

type Frame = { text: string; closeReason: string };
type Stream = ReturnType<ZoneClients['engine']['bidi']>;

/** A QIX stream to the engine as the proxy would open it; frames are collected as they come. */
function qixStream(user: AssertedUser, app: string, metadata: Record<string, string>): { s: Stream; frames: Frame[]; ended: Promise<void>; next(pred: (f: Frame) => boolean): Promise<Frame> } {
  const s = zone.engine.bidi('Qix', { deadlineMs: 60_000, user, metadata: { 'x-tz-app-id': app, ...metadata } });
  const frames: Frame[] = [];
  const waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  s.on('data', (f: Frame) => {
    frames.push(f);
    for (const w of [...waiters]) {
      if (!w.pred(f)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(f);
    }
  });
  const ended = new Promise<void>((resolve) => {
    s.on('end', () => resolve());
    s.on('error', () => resolve());
  });
  const next = (pred: (f: Frame) => boolean) => {
    const seen = frames.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise<Frame>((resolve, reject) => {
      waiters.push({ pred, resolve });
      setTimeout(() => reject(new Error(`no such frame in 10 s; got ${JSON.stringify(frames.slice(-3))}`)), 10_000).unref();
    });
  };
  return { s, frames, ended, next };
}

let rpcId = 100;
/** Asks EngineVersion on a stream and waits for its answer there. */
async function answers(st: ReturnType<typeof qixStream>): Promise<boolean> {
  const id = ++rpcId;
  st.s.write({ text: JSON.stringify({ jsonrpc: '2.0', id, method: 'EngineVersion', handle: -1, params: {} }), closeReason: '' });
  const f = await st.next((x) => x.text.includes(`"id":${id}`));
  return (JSON.parse(f.text) as { result?: unknown }).result !== undefined;
}

const key = () => randomBytes(32).toString('base64url');

describe('Spoofing › QIX session handover', () => {
  it('a resume with an unknown key, or a known key for another user or another app, is refused and the session keeps answering on its stream', async () => {
    const erin = assertedUser('CORP\\erin', 'hub');
    const k = key();
    const own = qixStream(erin, appId, { [Wire.keyHeader]: k });
    await own.next((f) => f.text.includes('OnConnected'));
    expect(await answers(own)).toBe(true);

    const attempts: [string, AssertedUser, string, string][] = [
      ['a guessed key', erin, appId, key()],
      ['a malformed key', erin, appId, 'not-a-key'],
      ['the key, for another user', assertedUser('CORP\\mallory', 'hub'), appId, k],
      ['the key, for another app', erin, otherApp, k],
    ];
    for (const [what, user, app, presented] of attempts) {
      // The old stream says it hands over, as a proxy would, so only the checks can refuse.
      own.s.write({ text: '', closeReason: Wire.handover });
      const thief = qixStream(user, app, { [Wire.resumeHeader]: presented });
      const first = await thief.next(() => true);
      expect(first.closeReason, what).toBe(Wire.refused);
      await thief.ended;
      expect(thief.frames.some((f) => f.text !== ''), `${what}: no QIX frame reached the thief`).toBe(false);
      expect(await answers(own), `${what}: the session still answers on its own stream`).toBe(true);
    }
    own.s.end();
  });

  it('the proxy itself moves a session: the old stream ends after its last answer and the new one answers from then on', async () => {
    const erin = assertedUser('CORP\\erin', 'hub');
    const k = key();
    const old = qixStream(erin, appId, { [Wire.keyHeader]: k });
    await old.next((f) => f.text.includes('OnConnected'));
    // A request still in flight on the old stream is answered there, before it ends.
    const id = ++rpcId;
    old.s.write({ text: JSON.stringify({ jsonrpc: '2.0', id, method: 'EngineVersion', handle: -1, params: {} }), closeReason: '' });
    old.s.write({ text: '', closeReason: Wire.handover });
    const moved = qixStream(erin, appId, { [Wire.resumeHeader]: k });
    expect((await moved.next(() => true)).closeReason).toBe(Wire.resumed);
    await old.ended;
    expect(old.frames.some((f) => f.text.includes(`"id":${id}`))).toBe(true);
    expect(await answers(moved)).toBe(true);
    // The key was the session's: it now lives on `moved`, and nobody can take it over twice at once.
    moved.s.end();
  });

  it('a proxy certificate rotation ends no open session: the same socket keeps its selection and answers after the old certificate retired', async () => {
    const q = await connectQix(a, await a.login('CORP\\erin'), appId);
    let closed: number | null = null;
    q.socket.once('close', (code: number) => (closed = code));
    const doc = await q.global.openDoc(appId);
    await (await doc.getField('K')).selectValues([{ qText: 'b' }]);
    expect(Number(await doc.evaluate('Sum(V)'))).toBe(2);
    const before = new X509Certificate(readFileSync(sitePaths(a.site.dataDir).cert('proxy'))).serialNumber;
    const rotated = await rotateServiceCert(a.site.dataDir, 'proxy', { graceSeconds: 1 });
    expect(rotated.retiring.map(normalizeSerial)).toContain(normalizeSerial(before));
    // Grace 1 s, the repository's retirement sweep (0.5 s) and two engine re-checks (1 s each),
    // with room for the proxy to notice its new files (1 s poll) and spread its handovers (4 s).
    await sleep(9_000);
    const old = readIssuedRegistry(sitePaths(a.site.dataDir).issued).certificates.find((c) => normalizeSerial(c.serial) === normalizeSerial(before));
    expect(old?.revokedAt, 'the replaced certificate was retired (revoked) meanwhile').toBeDefined();
    expect(closed, 'the socket was closed by the rotation').toBeNull();
    expect(Number(await doc.evaluate('Sum(V)')), 'the selection survived the move').toBe(2);
    await q.close();
  }, 60_000);
});

