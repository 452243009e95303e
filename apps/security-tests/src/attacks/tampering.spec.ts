import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFileName } from '@trustzone/app-store';
import { tailAuditLog, verifyAuditLog } from '@trustzone/logging';
import { sitePaths } from '@trustzone/trust';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { connectQix } from '../test-support/qix-client';
import { describeResponseScan } from '../test-support/response-scan';
import { createApp, inline } from '../test-support/site-content';

// Tampering: changing data at rest (app files, the audit trail), in transit from the client (the
// session cookie) or through the API (injection). Real site; the audit trail is verified with the
// library `tz audit verify` uses.
let a: AttackSite;
let victim: string;
let bystander: string;
const frames: string[] = [];

const ROWS = [[1, 10], [2, 20], [3, 30], [4, 40]];
const sumOf = (rows: number[][]) => rows.reduce((s, r) => s + (r[1] as number), 0);

async function sumThroughQix(appId: string): Promise<number> {
  const q = await connectQix(a, await a.login(ADMIN), appId);
  try {
    const doc = await q.global.openDoc(appId);
    return Number(await doc.evaluate('Sum(AMOUNT)'));
  } finally {
    frames.push(...q.frames);
    await q.close();
  }
}

async function openError(appId: string): Promise<unknown> {
  const q = await connectQix(a, await a.login(ADMIN), appId);
  try {
    await q.global.openDoc(appId);
    return null;
  } catch (e) {
    return e;
  } finally {
    frames.push(...q.frames);
    await q.close();
  }
}

beforeAll(async () => {
  // Checkpoint every 5 records, so the chain is anchored by signatures throughout this run.
  a = await startAttackSite({ TZ_AUDIT_CHECKPOINT_EVERY: '5' });
  victim = await createApp(a, 'Victim', inline('Sales', ['ID', 'AMOUNT'], ROWS));
  bystander = await createApp(a, 'Bystander', inline('Sales', ['ID', 'AMOUNT'], ROWS.slice(0, 2)));
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

describe('Tampering', () => {
  it('an app file whose bytes were changed is refused whole; other apps keep working; the refusal is audited', async () => {
    expect(await sumThroughQix(victim)).toBe(sumOf(ROWS)); // control: intact
    const file = join(sitePaths(a.site.dataDir).apps, appFileName(victim));
    const original = readFileSync(file);
    for (const tamper of [
      (b: Buffer) => { const c = Buffer.from(b); c[c.length - 40] = (c[c.length - 40] as number) ^ 0x01; return c; }, // one bit in the payload
      (b: Buffer) => { const c = Buffer.from(b); c[20] = (c[20] as number) ^ 0xff; return c; }, // the header
      (b: Buffer) => b.subarray(0, b.length - 1), // truncated
      (b: Buffer) => Buffer.concat([b, Buffer.from('x')]), // appended
    ]) {
      writeFileSync(file, tamper(original));
      const err = await openError(victim);
      expect(err, 'a tampered app must not open').not.toBeNull();
      // Refused with an error naming the app and the reason, not passed off as a missing app.
      expect(err).toMatchObject({ code: 1003, parameter: `${victim}: integrity check failed (the app file was changed or damaged)` });
      expect(await sumThroughQix(bystander)).toBe(sumOf(ROWS.slice(0, 2)));
    }
    writeFileSync(file, original);
    expect(await sumThroughQix(victim)).toBe(sumOf(ROWS)); // restoring the file restores the app
    const audit = await tailAuditLog({ dir: sitePaths(a.site.dataDir).audit, limit: 20, filter: { action: 'app.open', targetId: victim } });
    expect(audit.entries.filter((e) => 'outcome' in e && e.outcome !== 'success').length).toBeGreaterThanOrEqual(4);
  });

  it('an edited, deleted or re-chained audit record is detected by verification, naming the record', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'tz-audit-copy-'));
    try {
      cpSync(sitePaths(a.site.dataDir).audit, copy, { recursive: true });
      const trusted = [readFileSync(sitePaths(a.site.dataDir).cert('repository'), 'utf8')];
      expect(await verifyAuditLog({ dir: copy, trustedCertPem: trusted })).toMatchObject({ ok: true }); // control
      const file = join(copy, readdirSync(copy).filter((f) => /^audit-\d{6}\.jsonl$/.test(f)).sort().at(-1) as string);
      const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
      // A record in the middle of the file, signed over by a later checkpoint: an app open (the
      // evidence of the tampered-app refusals above).
      const target = lines.findIndex((l, i) => i > 0 && l.includes('"action":"app.open"'));
      expect(target).toBeGreaterThan(0);
      const seq = (JSON.parse(lines[target] as string) as { seq: number }).seq;

      // 1. Edit one field in place.
      const edited = [...lines];
      edited[target] = (lines[target] as string).replace(/"outcome":"([a-z]+)"/, (_m, o: string) => `"outcome":"${o === 'success' ? 'failure' : 'success'}"`);
      expect(edited[target]).not.toBe(lines[target]);
      writeFileSync(file, `${edited.join('\n')}\n`);
      expect(await verifyAuditLog({ dir: copy, trustedCertPem: trusted })).toMatchObject({ ok: false, seq, problem: 'edited' });

      // 2. Delete it.
      writeFileSync(file, `${lines.filter((_, i) => i !== target).join('\n')}\n`);
      expect(await verifyAuditLog({ dir: copy, trustedCertPem: trusted })).toMatchObject({ ok: false });

      // 3. Edit it and recompute every hash after it (an attacker with write access but no key):
      //    the signed checkpoints no longer vouch for the chain.
      writeFileSync(file, `${rechain(lines, target).join('\n')}\n`);
      expect(await verifyAuditLog({ dir: copy, trustedCertPem: trusted })).toMatchObject({ ok: false, problem: 'bad-signature' });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('a client editing its session cookie gets no session (changed, forged, or doubled cookies)', async () => {
    const cookie = await a.login('CORP\\mallory');
    const [name, value] = cookie.split('=') as [string, string];
    expect((await a.client('/qrs/about', { headers: { Cookie: cookie } })).status).toBe(200); // control
    const flipped = `${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}`;
    for (const forged of [`${name}=${flipped}`, `${name}=${'A'.repeat(value.length)}`, `${name}=${value}; ${name}=${flipped}`, `${name}=${value}x`, `${name}=${value.slice(1)}`]) {
      const r = await a.client('/qrs/about', { headers: { Cookie: forged } });
      expect(r.status, forged).toBe(401);
    }
  });

  it('SQL-like and quote-breaking text in names is stored and returned literally, and executes nothing', async () => {
    const hostile = [`x'); DROP TABLE "App"; --`, `' OR '1'='1`, `Robert"); DELETE FROM "Stream"; --`, `%_\\'"\``];
    const before = ok<{ value: number }>(await a.as(ADMIN, 'GET', '/qrs/stream/count'), 'count').value;
    for (const name of hostile) {
      const created = ok<{ id: string; name: string }>(await a.as(ADMIN, 'POST', '/qrs/stream', { name }), 'create');
      expect(created.name).toBe(name);
      expect(ok<{ name: string }>(await a.as(ADMIN, 'GET', `/qrs/stream/${created.id}`), 'get').name).toBe(name);
    }
    expect(ok<{ value: number }>(await a.as(ADMIN, 'GET', '/qrs/stream/count'), 'count').value).toBe(before + hostile.length);
    expect(ok<{ name: string }[]>(await a.as(ADMIN, 'GET', '/qrs/app'), 'apps').map((x) => x.name).sort()).toEqual(['Bystander', 'Victim']);
  });

  it('injection through a /qrs filter is parsed as data: quotes are literal, and nothing widens the result', async () => {
    const streams = ok<{ id: string; name: string }[]>(await a.as(ADMIN, 'GET', '/qrs/stream/full'), 'streams');
    const q = async (filter: string) => a.as(ADMIN, 'GET', `/qrs/stream?filter=${encodeURIComponent(filter)}`);
    // A quote doubled inside a literal is one quote: the filter finds exactly the stream named so.
    const exact = await q(`name eq 'x''); DROP TABLE "App"; --'`);
    expect(exact.status).toBe(200);
    expect((exact.json as { name: string }[]).map((s) => s.name)).toEqual(streams.filter((s) => s.name === `x'); DROP TABLE "App"; --`).map((s) => s.name));
    for (const attempt of [`name eq 'nothing' or 1 eq 1`, `name eq 'nothing'' or ''1'' eq ''1'`, `name eq 'nothing'; DROP TABLE App`, `name eq 'nothing' -- '`, `name eq nothing or name ne 'z'`]) {
      const r = await q(attempt);
      if (r.status === 200) expect((r.json as unknown[]).length, attempt).toBe(0);
      else expect(r.status, attempt).toBe(400);
    }
    expect(ok<{ value: number }>(await a.as(ADMIN, 'GET', '/qrs/app/count'), 'apps').value).toBe(2);
  });

  it('rule text and load scripts with hostile content are stored and returned byte for byte', async () => {
    const condition = 'resource.name = "x\\"); DROP TABLE SystemRule; --" or user.name = "\'; DELETE FROM User; --"';
    const rule = ok<{ id: string; rule: string }>(await a.as(ADMIN, 'POST', '/qrs/systemrule', { name: `r'; --`, resourceFilter: 'Stream_*', rule: condition, actions: 2, ruleContext: 0 }), 'rule');
    expect(ok<{ rule: string; name: string }>(await a.as(ADMIN, 'GET', `/qrs/systemrule/${rule.id}`), 'get rule')).toMatchObject({ rule: condition, name: `r'; --` });
    const script = `// '); DROP TABLE "App"; --\n/* </script><script>alert(1)</script> */\n${inline('T', ['A'], [[1]])}`;
    ok(await a.as(ADMIN, 'PUT', `/qrs/app/${bystander}/script`, { script }), 'set script');
    expect(ok<{ script: string }>(await a.as(ADMIN, 'GET', `/qrs/app/${bystander}/script`), 'get script').script).toBe(script);
    expect(ok<{ value: number }>(await a.as(ADMIN, 'GET', '/qrs/app/count'), 'apps').value).toBe(2);
  });

  it('a stale update (someone else changed the entity since it was read) is refused with 409, not silently applied', async () => {
    const s = ok<{ id: string; modifiedDate: string; name: string }>(await a.as(ADMIN, 'POST', '/qrs/stream', { name: 'Versioned' }), 'create');
    ok(await a.as(ADMIN, 'PUT', `/qrs/stream/${s.id}`, { ...s, name: 'First writer' }), 'first update');
    expect((await a.as(ADMIN, 'PUT', `/qrs/stream/${s.id}`, { ...s, name: 'Lost update' })).status).toBe(409);
    expect(ok<{ name: string }>(await a.as(ADMIN, 'GET', `/qrs/stream/${s.id}`), 'get').name).toBe('First writer');
  });
});

/** Re-hashes the chain from `from` on after changing that record's outcome, as a keyless attacker would. */
function rechain(lines: string[], from: number): string[] {
  const out = lines.slice(0, from);
  let prev = createHash('sha256').update(out.at(-1) ?? '').digest('hex');
  for (let i = from; i < lines.length; i++) {
    const entry = JSON.parse(lines[i] as string) as Record<string, unknown>;
    delete entry['hash'];
    entry['prev'] = prev;
    if (i === from) entry['outcome'] = entry['outcome'] === 'success' ? 'failure' : 'success';
    const body = JSON.stringify(entry);
    const hash = createHash('sha256').update(body).digest('hex');
    const line = `${body.slice(0, -1)},"hash":"${hash}"}`;
    out.push(line);
    prev = createHash('sha256').update(line).digest('hex');
  }
  return out;
}

describeResponseScan(() => a, () => frames.map((f) => ({ where: 'qix frame', text: f })));
