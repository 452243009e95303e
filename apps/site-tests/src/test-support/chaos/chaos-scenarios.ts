import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  httpRequest, QixCallError, QixWire, runTzCli, ticketLogin, type ProxyInstance, type RunningSite,
} from '@trustzone/site-harness';
import { certificateAuthorityFromPem, issueCertificate, readSiteManifest, sitePaths, writeFileAtomic } from '@trustzone/trust';
import { AckWriter, auditChainOk, countLost, logLines, sleep, tempFiles, waitHealthy, type AdminCall, type ScenarioResult, type TcpRelay } from './chaos-kit';

export interface ChaosSite {
  site: RunningSite;
  admin: AdminCall;
  cert: { cert: string; key: string };
}

async function scenario(name: string, fn: (r: ScenarioResult) => Promise<void>): Promise<ScenarioResult> {
  const r: ScenarioResult = { name, acknowledged: 0, lost: 0, auditChainOk: false, statusesDuringFault: {}, observed: [], durationMs: 0 };
  const t = Date.now();
  try {
    await fn(r);
  } catch (e) {
    // A scenario that could not finish counts as a failure, never as a pass.
    r.observed.push(`scenario failed: ${e instanceof Error ? e.message : String(e)}`);
    r.lost = Math.max(r.lost, 1);
  }
  r.durationMs = Date.now() - t;
  console.log(`${r.skipped ? 'SKIP' : r.lost === 0 && r.auditChainOk ? 'ok  ' : 'FAIL'} ${name}: acknowledged ${r.acknowledged}, lost ${r.lost}, audit chain ${r.auditChainOk ? 'ok' : 'NOT ok'}${r.skipped ? ` (${r.skipped})` : ''} — ${r.observed.join('; ')}`);
  return r;
}

async function finishWrites(c: ChaosSite, w: AckWriter, r: ScenarioResult): Promise<void> {
  r.acknowledged = w.acked.length;
  r.statusesDuringFault = w.duringFault;
  const { lost, missing } = await countLost(c.site, c.admin, w.acked);
  r.lost = lost;
  if (missing.length) r.observed.push(`missing: ${missing.join(', ')}`);
  const audit = await auditChainOk(c.site);
  r.auditChainOk = audit.ok;
  if (!audit.ok) r.observed.push(`tz audit verify: ${audit.out}`);
}

/** kill -9 of the repository while a writer creates streams back to back; restart; everything acknowledged is there. */
export function repositoryKilledMidWrite(c: ChaosSite): Promise<ScenarioResult> {
  return scenario('kill -9 repository mid-write', async (r) => {
    const w = new AckWriter(c.admin, 'chaos-repo', 5);
    w.start();
    await sleep(1500);
    w.faultBegins();
    await c.site.supervisor.kill('repository', 'SIGKILL');
    await sleep(1000);
    await c.site.supervisor.startService('repository');
    r.observed.push(`healthy again: ${await waitHealthy(c.site)}`);
    w.faultEnds();
    await sleep(1000);
    await w.stop();
    await finishWrites(c, w, r);
    // No half-written row: every stream the writer's names match is whole (its full entity reads back).
    const all = (await c.admin('GET', `/qrs/stream/full?filter=${encodeURIComponent("name sw 'chaos-repo'")}`)).json as { id: string; name?: string; modifiedDate?: string; createdDate?: string }[];
    const torn = all.filter((s) => !s.name || !s.modifiedDate || !s.createdDate);
    if (torn.length) {
      r.lost += torn.length;
      r.observed.push(`${torn.length} partial rows`);
    }
    const extra = all.length - w.acked.length;
    r.observed.push(`${all.length} streams in the database: ${w.acked.length} acknowledged + ${extra} committed whose answer was cut off by the kill; none partial`);
  });
}

function writeBigCsv(site: RunningSite, version: number, rows: number): number {
  const dir = join(site.dataDir, 'data', 'big');
  mkdirSync(dir, { recursive: true });
  const lines = ['ID,GRP,AMOUNT'];
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const amount = ((i * 13) % 1000) + version; // each version sums differently
    sum += amount;
    lines.push(`${i},G${i % 50},${amount}`);
  }
  writeFileSync(join(dir, 'big.csv'), lines.join('\n'));
  return sum;
}

/** The admin's Sum(AMOUNT) in the app over QIX through the proxy (the engine loads and checks the file). */
async function sumOverQix(c: ChaosSite, appId: string): Promise<number> {
  const { cookie } = await ticketLogin(c.site, c.cert, { userDirectory: 'CORP', userId: 'admin' });
  const wire = await QixWire.open(c.site, cookie, appId);
  try {
    const doc = await wire.openDoc(appId);
    const r = await wire.call('Evaluate', doc, { qExpression: 'Sum(AMOUNT)' });
    return Number(r['qReturn']);
  } finally {
    wire.close();
  }
}

async function bigApp(c: ChaosSite, rows: number): Promise<{ appId: string; sumV1: number }> {
  const sumV1 = writeBigCsv(c.site, 1, rows);
  const conns = (await c.admin('GET', `/qrs/dataconnection?filter=${encodeURIComponent("name eq 'big'")}`)).json as unknown[];
  if (conns.length === 0) await c.admin('POST', '/qrs/dataconnection', { name: 'big', connectionString: 'big' });
  const appId = ((await c.admin('POST', '/qrs/app', { name: 'chaos big' })).json as { id: string }).id;
  await c.admin('PUT', `/qrs/app/${appId}/script`, { script: "Big: LOAD ID, GRP, AMOUNT FROM [lib://big/big.csv] (txt, utf8, embedded labels, delimiter is ',');\n" });
  const first = await c.admin('POST', `/qrs/app/${appId}/reload`);
  if (first.status !== 200) throw new Error(`first reload: ${first.status} ${first.text.slice(0, 200)}`);
  return { appId, sumV1 };
}

/**
 * kill -9 of the engine during a reload (`at: 'reload'`: part way through the script) or while it
 * writes the new app file (`at: 'save'`: the moment a temp file appears in the apps dir). The reload
 * was never acknowledged, so the app must still be the previous version, load (checksums verified
 * by the engine), and no temp file may be left behind.
 */
export function engineKilled(c: ChaosSite, at: 'reload' | 'save', rows = 200_000): Promise<ScenarioResult> {
  return scenario(`kill -9 engine mid-${at}`, async (r) => {
    await waitEngines(c);
    const { appId, sumV1 } = await bigApp(c, rows);
    const t0 = Date.now();
    await c.admin('POST', `/qrs/app/${appId}/reload`); // a timing run: how long a reload takes here
    const reloadMs = Date.now() - t0;
    const sumV2 = writeBigCsv(c.site, 2, rows);
    const reload = c.admin('POST', `/qrs/app/${appId}/reload`).catch(() => undefined);
    let hit = false;
    if (at === 'reload') {
      await sleep(Math.round(reloadMs * 0.4));
    } else {
      const until = Date.now() + reloadMs * 3 + 5000;
      while (Date.now() < until && !(hit = tempFiles(c.site).length > 0)) await sleep(2);
    }
    await c.site.supervisor.kill('engine', 'SIGKILL');
    const answer = await reload;
    const acknowledged = answer?.status === 200;
    r.acknowledged = acknowledged ? 1 : 0;
    r.statusesDuringFault = { [String(answer?.status ?? 0)]: 1 };
    if (at === 'save') r.observed.push(hit ? 'killed while the temp file was being written' : 'the save window was missed (killed after the reload)');
    const orphansBefore = tempFiles(c.site).length;
    await c.site.supervisor.startService('engine');
    r.observed.push(`engine back in the pool: ${await waitEngines(c)}`);
    const orphans = tempFiles(c.site);
    r.observed.push(`reload answered ${answer?.status ?? 'nothing'}; ${orphansBefore} temp file(s) after the kill, ${orphans.length} after the engine restarted`);
    const sum = await sumOverQix(c, appId);
    const expected = acknowledged ? sumV2 : sumV1;
    // Unacknowledged: the previous version (or, if the rename had already happened, the complete new one).
    const whole = sum === expected || (!acknowledged && sum === sumV2);
    r.observed.push(`app opens with Sum(AMOUNT) ${sum} (previous version ${sumV1}, new ${sumV2})`);
    if (!whole) r.lost += 1;
    if (orphans.length) {
      r.lost += orphans.length;
      r.observed.push(`orphan temp files: ${orphans.join(', ')}`);
    }
    const audit = await auditChainOk(c.site);
    r.auditChainOk = audit.ok;
    if (!audit.ok) r.observed.push(`tz audit verify: ${audit.out}`);
  });
}

/** Waits until the proxy reports every engine 'ok' (a restarted engine is back in its pool). */
export async function waitEngines(c: ChaosSite, timeoutMs = 30_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const h = await httpRequest(c.site, c.site.ports.proxyApi, '/health', { xrfkey: false, cert: c.cert }).catch(() => undefined);
    const engines = Object.values((h?.json as { engines?: Record<string, string> } | undefined)?.engines ?? {});
    if (h?.status === 200 && engines.length > 0 && engines.every((e) => e === 'ok')) return true;
    await sleep(250);
  }
  return false;
}

/** The data volume fills up: writes must be refused with a clear status, reads keep working, and writes resume once space returns. */
export function diskFull(c: ChaosSite, mounted: string | undefined): Promise<ScenarioResult> {
  return scenario('disk full on the data volume', async (r) => {
    if (!mounted) {
      r.skipped = 'not root: no size-limited file system for the data dir';
      r.auditChainOk = (await auditChainOk(c.site)).ok;
      return;
    }
    r.observed.push(`data dir on ${mounted}`);
    const w = new AckWriter(c.admin, 'chaos-disk', 10);
    const before = await w.writeOne();
    const qix = await qixWriter(c);
    const filler = join(c.site.dataDir, '..', 'filler');
    const fd = openSync(filler, 'w');
    try {
      for (const size of [1 << 20, 64 << 10, 4 << 10, 512]) {
        const buf = Buffer.alloc(size, 1);
        for (;;) {
          try {
            writeSync(fd, buf);
          } catch {
            break;
          }
        }
      }
    } finally {
      closeSync(fd);
    }
    w.faultBegins();
    const refused: string[] = [];
    for (let i = 0; i < 3; i++) {
      const a = await w.writeOne();
      if (a && a.status !== 201 && refused.length < 2) refused.push(`${a.status} ${a.text.slice(0, 160)}`);
    }
    const read = await c.admin('GET', '/qrs/stream');
    const health = await httpRequest(c.site, c.site.ports.proxy, '/health', { xrfkey: false });
    // The same over QIX: the engine's app file is on the full volume too.
    const qixDuring = await qix.write('during');
    const qixRead = await qix.read();
    const orphans = tempFiles(c.site);
    w.faultEnds();
    r.observed.push(`QIX writes on a full disk answered ${qixDuring.join(' | ')}; a QIX read answered ${qixRead}; ${orphans.length} temp file(s) left`);
    // CreateObject writes the app file and must be refused with the disk-full error; DoSave then has
    // nothing left to write (a change is stored when it is made), so it may answer ok — but neither
    // may be an internal error.
    const diskFullText = /^QIX error 9008: the (engine|repository)'s data volume is full; nothing was written/;
    const qixClear = diskFullText.test(qixDuring[0] ?? '') && qixDuring.every((a) => a === 'ok' || diskFullText.test(a)) && qixRead === 'ok' && orphans.length === 0;
    if (!qixClear) r.observed.push('QIX writes on the full disk were not refused with the disk-full error, or reads failed');
    r.observed.push(`writes on a full disk answered ${JSON.stringify(w.duringFault)}${refused.length ? ` (${refused.join(' | ')})` : ''}; reads answered ${read.status}; /health ${health.status}`);
    // A full disk is told apart from an outage: 507 STORAGE_FULL naming the repository's volume.
    const bad = Object.keys(w.duringFault).filter((s) => !['201', '507'].includes(s));
    if (bad.length) r.observed.push(`unexpected status during the fault: ${bad.join(', ')}`);
    const unclear = refused.filter((t) => !/^507 .*STORAGE_FULL.*the repository's data volume is full; nothing was written/.test(t));
    if (unclear.length) r.observed.push(`refusals without the storage-full text: ${unclear.join(' | ')}`);
    if (!refused.length) r.observed.push('no write was refused on the full disk');
    rmSync(filler, { force: true });
    await sleep(1500);
    let after = await w.writeOne();
    for (let i = 0; i < 5 && after?.status !== 201; i++) {
      await sleep(500);
      after = await w.writeOne();
    }
    const qixAfter = await qix.write('after');
    qix.close();
    r.observed.push(`after space returned: ${after?.status}; QIX writes ${qixAfter.join(' | ')}; before the fault ${before?.status}`);
    await finishWrites(c, w, r);
    r.clearRefusal = bad.length === 0 && unclear.length === 0 && refused.length > 0 && read.status === 200 && after?.status === 201 && qixClear && qixAfter.every((a) => a === 'ok');
  });
}

/**
 * A QIX session of the admin on a small app, for the disk-full scenario: `write` changes the app
 * (CreateObject of a sheet, then DoSave) and reports each answer ("ok" or the QIX error), `read`
 * evaluates over the loaded data.
 */
async function qixWriter(c: ChaosSite): Promise<{ write(tag: string): Promise<string[]>; read(): Promise<string>; close(): void }> {
  const appId = ((await c.admin('POST', '/qrs/app', { name: 'chaos disk' })).json as { id: string }).id;
  await c.admin('PUT', `/qrs/app/${appId}/script`, { script: 'T: LOAD * INLINE [\nK, V\na, 1\nb, 2\n];' });
  const reload = await c.admin('POST', `/qrs/app/${appId}/reload`);
  if (reload.status !== 200) throw new Error(`reload of the disk-full app: ${reload.status} ${reload.text.slice(0, 200)}`);
  const { cookie } = await ticketLogin(c.site, c.cert, { userDirectory: 'CORP', userId: 'admin' });
  const wire = await QixWire.open(c.site, cookie, appId);
  const doc = await wire.openDoc(appId);
  const answer = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof QixCallError ? e.message : `failed: ${e instanceof Error ? e.message : String(e)}`));
  return {
    write: async (tag) => [
      await answer(wire.call('CreateObject', doc, [{ qInfo: { qType: 'sheet' }, qMetaDef: { title: `chaos ${tag}` } }])),
      await answer(wire.call('DoSave', doc, [''])),
    ],
    read: () => answer(wire.call('Evaluate', doc, { qExpression: 'Sum(V)' }).then((x) => {
      if (Number(x['qReturn']) !== 3) throw new Error(`Sum(V) ${String(x['qReturn'])}`);
    })),
    close: () => wire.close(),
  };
}

/**
 * A proxy certificate issued on a host whose clock runs two hours ahead (valid only from then) is
 * put in place of the proxy's: the services must refuse it with a clear log line, nothing written is
 * lost, and a rotation (a certificate issued now) recovers.
 */
export function clockSkew(c: ChaosSite): Promise<ScenarioResult> {
  return scenario('clock skew of a service certificate', async (r) => {
    const paths = sitePaths(c.site.dataDir);
    const manifest = readSiteManifest(paths.siteJson);
    const ca = certificateAuthorityFromPem(readFileSync(paths.cert('root'), 'utf8'), readFileSync(paths.key('root'), 'utf8'));
    const ahead = new Date(Date.now() + 2 * 3600_000);
    const skewed = await issueCertificate({ ca, commonName: 'proxy', identity: { kind: 'service', siteId: manifest.siteId, service: 'proxy' }, dnsNames: ['proxy', 'localhost'], ipAddresses: ['127.0.0.1'], usage: ['serverAuth', 'clientAuth'], notBefore: ahead, validityDays: 30 });
    const w = new AckWriter(c.admin, 'chaos-skew', 20);
    w.start();
    await sleep(500);
    w.faultBegins();
    writeFileAtomic(paths.key('proxy'), skewed.keyPem, 0o600);
    writeFileAtomic(paths.cert('proxy'), skewed.certPem, 0o644);
    await sleep(4000);
    w.faultEnds();
    const lines = ['proxy', 'repository', 'engine'].flatMap((s) => logLines(c.site, s, /certificate [0-9a-f:]+ (is not valid before|is outside its validity)|not yet valid/i).map((l) => `${s}: ${l.slice(0, 240)}`));
    r.observed.push(lines.length ? `log: ${lines.slice(-2).join(' || ')}` : 'no log line named the certificate');
    r.clearRefusal = lines.length > 0;
    const rotated = await runTzCli(c.site, ['certs', 'rotate', 'proxy', '--grace', '0', '--no-wait']);
    r.observed.push(`tz certs rotate proxy: exit ${rotated.code}`);
    await sleep(3000);
    const after = await w.writeOne();
    r.observed.push(`after the rotation a write answered ${after?.status}`);
    await w.stop();
    await finishWrites(c, w, r);
  });
}

/** PostgreSQL goes away (its relay drops every connection and refuses new ones) for a few seconds, then returns. */
export function databaseOutage(c: ChaosSite, relay: TcpRelay): Promise<ScenarioResult> {
  return scenario('PostgreSQL restart (relay dropped and restored)', async (r) => {
    const w = new AckWriter(c.admin, 'chaos-pg', 20);
    w.start();
    await sleep(1000);
    w.faultBegins();
    await relay.drop();
    await sleep(4000);
    const read = await c.admin('GET', '/qrs/about');
    await relay.restore();
    w.faultEnds();
    await sleep(3000);
    await w.stop();
    r.observed.push(`writes during the outage answered ${JSON.stringify(w.duringFault)}; /qrs/about ${read.status}${w.samples.length ? `; e.g. ${w.samples[0]}` : ''}`);
    r.clearRefusal = !w.duringFault['500'];
    if (w.duringFault['500']) r.observed.push('500 during the outage (expected 503)');
    await finishWrites(c, w, r);
  });
}

/** Redis goes away and returns: sessions may be lost (users log in again); nothing written is. */
export function redisOutage(c: ChaosSite, relay: TcpRelay): Promise<ScenarioResult> {
  return scenario('Redis restart (relay dropped and restored)', async (r) => {
    const { cookie } = await ticketLogin(c.site, c.cert, { userDirectory: 'CORP', userId: 'admin' });
    const w = new AckWriter(c.admin, 'chaos-redis', 20);
    w.start();
    await sleep(500);
    w.faultBegins();
    await relay.drop();
    await sleep(3000);
    const during = await httpRequest(c.site, c.site.ports.proxy, '/qps/user', { headers: { Cookie: cookie } });
    const loginDuring = await ticketLogin(c.site, c.cert, { userDirectory: 'CORP', userId: 'admin' }).then(() => 'ok', (e: unknown) => String(e).slice(0, 120));
    await relay.restore();
    w.faultEnds();
    await sleep(3000);
    const after = await httpRequest(c.site, c.site.ports.proxy, '/qps/user', { headers: { Cookie: cookie } });
    const relogin = await ticketLogin(c.site, c.cert, { userDirectory: 'CORP', userId: 'admin' }).then(() => 'ok', (e: unknown) => String(e).slice(0, 120));
    await w.stop();
    r.observed.push(`during the outage: the session's /qps/user ${during.status}, a new login ${loginDuring}; after: the old session ${after.status}, a new login ${relogin}; integration-certificate writes ${JSON.stringify(w.duringFault)}`);
    if (relogin !== 'ok') r.lost += 1;
    await finishWrites(c, w, r);
  });
}

/** With two proxies sharing sessions through Redis, one is killed: the other serves every session. */
export function proxyKilled(c: ChaosSite, second: ProxyInstance): Promise<ScenarioResult> {
  return scenario('kill -9 of one of two proxies', async (r) => {
    const sessions = await Promise.all(Array.from({ length: 5 }, (_, i) => ticketLogin(c.site, c.cert, { userDirectory: 'CORP', userId: `chaos${i}` }).then((s) => s.cookie)));
    const w = new AckWriter(c.admin, 'chaos-proxy', 20);
    w.start();
    w.faultBegins();
    await c.site.supervisor.kill('proxy', 'SIGKILL');
    await sleep(1000);
    const kept = await Promise.all(sessions.map((cookie) => httpRequest(c.site, second.port, '/qps/user', { headers: { Cookie: cookie } }).then((x) => x.status === 200 && (x.json as { userId?: string }).userId !== undefined)));
    w.faultEnds();
    r.observed.push(`${kept.filter(Boolean).length} of ${sessions.length} sessions made on the killed proxy answered by the other one`);
    if (kept.some((k) => !k)) r.lost += kept.filter((k) => !k).length;
    await c.site.supervisor.startService('proxy');
    await waitHealthy(c.site);
    await w.stop();
    await finishWrites(c, w, r);
  });
}

/**
 * The proxy's certificate is rotated with QIX sessions open. The proxy moves its sessions to streams
 * under the new certificate (a handover) before the replaced one retires, so the open socket keeps
 * working and keeps its state; the engine closes only streams still under the retired certificate
 * (a stolen copy of that key must die). Should a session not be moved in time, the client must be
 * told OnEngineWebsocketFailed (reconnect) — never OnSessionLoggedOut — and its cookie must still work.
 */
export function rotationWithOpenSessions(c: ChaosSite): Promise<ScenarioResult> {
  return scenario('proxy certificate rotation with open QIX sessions', async (r) => {
    await waitEngines(c);
    const { appId, sumV1 } = await bigApp(c, 1000);
    const { cookie } = await ticketLogin(c.site, c.cert, { userDirectory: 'CORP', userId: 'admin' });
    const wire = await QixWire.open(c.site, cookie, appId);
    const openDoc = await wire.openDoc(appId);
    const w = new AckWriter(c.admin, 'chaos-rotate', 50);
    w.start();
    w.faultBegins();
    const rotated = await runTzCli(c.site, ['certs', 'rotate', 'proxy', '--grace', '3', '--no-wait']);
    // Grace 3 s, the retirement sweep (1 s) and engine re-checks (1 s): by 12 s any stream still
    // under the old certificate has been closed.
    const until = Date.now() + 12_000;
    while (!wire.closed && Date.now() < until) await sleep(100);
    w.faultEnds();
    r.observed.push(`rotate exit ${rotated.code}; the open socket ${wire.closed ? `was closed (${wire.closed.code}) after ${wire.notifications.filter((n) => n.startsWith('OnEngine') || n.startsWith('OnSession')).join(', ')}` : 'stayed open'}`);
    if (wire.closed && !wire.notifications.includes('OnEngineWebsocketFailed')) r.lost += 1;
    if (!wire.closed) {
      const sum = Number((await wire.call('Evaluate', openDoc, { qExpression: 'Sum(AMOUNT)' }))['qReturn']);
      r.observed.push(`the open socket still answers: Sum(AMOUNT) ${sum} (expected ${sumV1})`);
      if (sum !== sumV1) r.lost += 1;
    }
    if (wire.notifications.includes('OnSessionLoggedOut')) r.observed.push('told OnSessionLoggedOut: the client would send the user to log in again');
    const again = await QixWire.open(c.site, cookie, appId);
    try {
      const doc = await again.openDoc(appId);
      const sum = Number((await again.call('Evaluate', doc, { qExpression: 'Sum(AMOUNT)' }))['qReturn']);
      r.observed.push(`the same session cookie reconnected: Sum(AMOUNT) ${sum} (expected ${sumV1})`);
      if (sum !== sumV1) r.lost += 1;
    } finally {
      again.close();
      wire.close();
    }
    await w.stop();
    await finishWrites(c, w, r);
  });
}
