// npm run soak — a whole site under a mixed, closed-loop load for TZ_SOAK_SECONDS (default 60) with
// TZ_SOAK_SESSIONS users (default 1000): each logs in by ticket and holds a QIX session on a
// section-access app (selection + hypercube, Evaluate, ClearAll, every TZ_SOAK_THINK_MS ± 50 %);
// REST workers list /qrs/app with a filter, create and publish apps; a background reload runs
// continuously; the proxy's certificate is rotated a third of the way in (old one retired after the grace). SQLite and one proxy/engine by default;
// PostgreSQL + Redis + two proxies + two engines when TZ_TEST_PG_URL and TZ_TEST_REDIS_URL are set.
// Every answer is checked against numbers computed here from the rows written to the CSV.
// Writes bench/results/soak.json (summary: qix_sessions_held, errors, cube_p99_ms, rss_growth_mb), or
// bench/results/soak-pg.json in the PostgreSQL + Redis mode. What limits p99: the details name the
// share of a core each service and the generator used in the steady phase (coresUsedSteady), and
// TZ_SOAK_PROFILE_DIR=<dir> makes every service write a V8 CPU profile there when it stops
// (TZ_NODE_ARGS, if set, is passed to every service otherwise).
import {
  auditCounts, createSalesApp, freshPgSchema, httpRequest, integrationCert, loadUser, QixWire, regionOf, parseMetrics, runTzCli, serviceCpuSeconds, serviceMetrics, serviceRssMb,
  startExtraProxy, startSiteProcesses, ticketLogin, type RunningSite, type SalesApp,
} from '../libs/site-harness/src';
import { Metrics, registerProcessMetrics } from '../libs/service-host/src';
import { percentile, writeResult } from './bench-util';

const SECONDS = Number(process.env['TZ_SOAK_SECONDS'] ?? 60);
const SESSIONS = Number(process.env['TZ_SOAK_SESSIONS'] ?? 1000);
const THINK_MS = Number(process.env['TZ_SOAK_THINK_MS'] ?? 1000);
const REST_WORKERS = Number(process.env['TZ_SOAK_REST_WORKERS'] ?? 4);
const LOGIN_CONCURRENCY = 16;
const P99_TARGET_MS = 250;
// The rotation happens a third of the way in; its grace period ends well before the run does.
const GRACE_S = Math.max(1, Math.min(10, Math.floor(SECONDS / 4)));
const PG = process.env['TZ_TEST_PG_URL'];
const REDIS = process.env['TZ_TEST_REDIS_URL'];
const MULTI = Boolean(PG && REDIS);
const PROFILE_DIR = process.env['TZ_SOAK_PROFILE_DIR'];
// A hard stop whatever happens (setup of a big N included): the command always ends by itself.
const HARD_LIMIT_MS = (SECONDS + 120 + SESSIONS * 0.2) * 1000;

for (const [k, v] of Object.entries({ SECONDS, SESSIONS, THINK_MS, REST_WORKERS })) if (!Number.isFinite(v) || v <= 0) throw new Error(`${k} must be a positive number`);

type Kind = 'ticket_login' | 'qix_open' | 'select_cube' | 'evaluate' | 'clear_all' | 'qrs_app_list' | 'app_create' | 'app_publish' | 'reload' | 'cert_rotate' | 'qix_reconnect';

class Recorder {
  readonly lat = new Map<Kind, number[]>();
  readonly errors = new Map<string, number>();
  readonly samples: string[] = [];
  /** select_cube: sessions open when each started (the N sweep), latency, and when it started (Date.now()). */
  readonly cubeAtLevel: [number, number, number][] = [];
  ok(kind: Kind, ms: number) {
    const a = this.lat.get(kind) ?? [];
    a.push(ms);
    this.lat.set(kind, a);
  }
  fail(kind: Kind, e: unknown) {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
    if (this.samples.length < 20) this.samples.push(`${kind}: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300));
  }
  /** Calls cut off by a socket the site closed with OnEngineWebsocketFailed (a rotation): retried after a reconnect. */
  interrupted = 0;
  async time<T>(kind: Kind, fn: () => Promise<T>, wire?: QixWire): Promise<T | undefined> {
    const t = performance.now();
    try {
      const r = await fn();
      this.ok(kind, performance.now() - t);
      return r;
    } catch (e) {
      // The documented client path (docs/operations.md): OnEngineWebsocketFailed means reconnect.
      if (wire?.closed && wire.notifications.includes('OnEngineWebsocketFailed')) this.interrupted++;
      else this.fail(kind, e);
      return undefined;
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = (ms: number) => ms * (0.5 + Math.random());

interface User {
  i: number;
  cookie: string;
  proxyPort: number;
  wire?: QixWire;
  cube?: number;
  doc?: number;
  reconnects: number;
}

async function main() {
  const started = Date.now();
  const hard = setTimeout(() => {
    console.error(`soak: hard time limit (${HARD_LIMIT_MS} ms) reached, exiting`);
    process.exit(2);
  }, HARD_LIMIT_MS);
  hard.unref();
  const db = MULTI ? freshPgSchema(PG as string, 'tz_soak') : undefined;
  const env: NodeJS.ProcessEnv = {
    TZ_RATE_IP_PER_SECOND: '1000000', TZ_RATE_USER_PER_SECOND: '1000000', TZ_LOG_LEVEL: 'warn',
    // The rotation's old certificate retires 10 s after it; the repository checks every second.
    TZ_CERT_RETIRE_CHECK_MS: '1000',
    ...(MULTI ? { TZ_DATABASE_URL: db!.url, TZ_REDIS_URL: REDIS } : {}),
    // TZ_SOAK_PROFILE_DIR: every service writes a V8 CPU profile there when it stops (what limits p99).
    ...(process.env['TZ_NODE_ARGS'] ? { TZ_NODE_ARGS: process.env['TZ_NODE_ARGS'] } : {}),
    ...(PROFILE_DIR ? { TZ_NODE_ARGS: `--cpu-prof --cpu-prof-dir=${PROFILE_DIR}` } : {}),
  };
  console.log(`soak: ${SESSIONS} sessions, ${SECONDS} s, think ${THINK_MS} ms ±50 %, ${REST_WORKERS} REST workers, ${MULTI ? 'PostgreSQL + Redis, 2 proxies, 2 engines' : 'SQLite, 1 proxy, 1 engine'}`);
  const site: RunningSite = await startSiteProcesses({ env, ...(MULTI ? { extraEngines: 1 } : {}) });
  const rec = new Recorder();
  try {
    const proxies = [site.ports.proxy];
    if (MULTI) proxies.push((await startExtraProxy(site, 'proxy2')).port);
    const cert = await integrationCert(site, 'soak');
    const admin = (method: string, path: string, body?: unknown) => httpRequest(site, site.ports.proxyApi, path, { method, cert, headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' }, ...(body === undefined ? {} : { body }) });
    if (MULTI) await allowProxyOrigins(admin, proxies);
    const sales: SalesApp = await createSalesApp(site, admin, { users: SESSIONS, orders: 2000 });
    const reloadApp = await createSalesApp(site, admin, { users: 4, orders: 2000, name: 'Reload target' });
    const soakStream = (await admin('POST', '/qrs/stream', { name: 'Soak' })).json as { id: string };
    const { cookie: adminCookie } = await ticketLogin(site, cert, { userDirectory: 'CORP', userId: 'admin' });
    await sleep(1500); // let the setup's audit records land before the baseline count
    const auditBefore = auditCounts(site);
    const rssStart = serviceRssMb(site);
    console.log(`setup ${((Date.now() - started) / 1000).toFixed(1)} s; RSS at start ${JSON.stringify(rssStart)}`);

    const expected = { 'ticket.issue': 0, 'ticket.redeem': 0, 'session.start': 0, 'entity.create': 0, 'app.reload': 0 };
    let stop = false;
    let open = 0;
    let rotatedAt: number | undefined;
    let heldBeforeRotation = 0;
    const users: User[] = [];

    const connect = async (u: User, kind: Kind): Promise<boolean> => {
      const ok = await rec.time(kind, async () => {
        const wire = await QixWire.open(site, u.cookie, sales.appId, u.proxyPort);
        try {
          const doc = await wire.openDoc(sales.appId);
          const cube = await wire.createCube(doc, 'REGION', ['Sum(AMOUNT)', 'Count(ORDERID)']);
          const rows = await wire.cubeRows(cube);
          const t = sales.truth.get(regionOf(u.i))!;
          if (rows.length !== 1 || rows[0]![0] !== regionOf(u.i) || rows[0]![1] !== t.sum || rows[0]![2] !== t.count) throw new Error(`user ${u.i}: reduced cube ${JSON.stringify(rows)} ≠ ${regionOf(u.i)} ${t.sum}/${t.count}`);
          Object.assign(u, { wire, doc, cube });
        } catch (e) {
          wire.close();
          throw e;
        }
        return true;
      });
      return ok === true;
    };

    // One user's closed loop: think, select their region + read the cube, Evaluate, sometimes ClearAll.
    const userLoop = async (u: User) => {
      let n = 0;
      const t = sales.truth.get(regionOf(u.i))!;
      while (!stop) {
        await sleep(jitter(THINK_MS));
        if (stop) break;
        if (!u.wire || u.wire.closed) {
          // The socket was closed under us (see the rotation note in docs/operations.md): a client reconnects.
          if (u.wire?.closed && !u.wire.notifications.includes('OnEngineWebsocketFailed')) rec.fail('qix_reconnect', new Error(`session closed without OnEngineWebsocketFailed (${u.wire.closed.code}; ${u.wire.notifications.join()})`));
          if (u.wire?.closed && u.i < 3) console.log(`  ${((Date.now() - started) / 1000).toFixed(1)} s: session ${u.i} closed by the site (${u.wire.closed.code} ${u.wire.closed.reason}; ${u.wire.notifications.slice(-1).join()}), reconnecting`);
          open--;
          u.reconnects++;
          if (await connect(u, 'qix_reconnect')) open++;
          else break;
          continue;
        }
        const wire = u.wire;
        const level = open;
        const t0 = performance.now();
        const ok = await rec.time('select_cube', async () => {
          const field = (await wire.call('GetField', u.doc!, { qFieldName: 'REGION' }))['qReturn'] as { qHandle: number };
          await wire.call('SelectValues', field.qHandle, { qFieldValues: [{ qText: regionOf(u.i) }], qToggleMode: false });
          const rows = await wire.cubeRows(u.cube!);
          if (rows.length !== 1 || rows[0]![1] !== t.sum) throw new Error(`select_cube for user ${u.i}: ${JSON.stringify(rows)}`);
          return true;
        }, wire);
        if (ok) rec.cubeAtLevel.push([level, performance.now() - t0, Date.now() - (performance.now() - t0)]);
        if (stop) break;
        await rec.time('evaluate', async () => {
          const r = await wire.call('Evaluate', u.doc!, { qExpression: 'Sum(AMOUNT)' });
          if (Number(r['qReturn']) !== t.sum) throw new Error(`Evaluate gave ${String(r['qReturn'])}, expected ${t.sum}`);
        }, wire);
        if (++n % 3 === 0 && !stop) await rec.time('clear_all', () => wire.call('ClearAll', u.doc!, {}), wire);
      }
    };

    const filter = encodeURIComponent("name sw 'Soak'");
    const restLoop = async (w: number) => {
      let n = 0;
      while (!stop) {
        await rec.time('qrs_app_list', async () => {
          const r = await httpRequest(site, site.ports.proxy, `/qrs/app?filter=${filter}`, { headers: { Cookie: adminCookie } });
          if (r.status !== 200 || !Array.isArray(r.json)) throw new Error(`GET /qrs/app: ${r.status} ${r.text.slice(0, 200)}`);
        });
        if (++n % 5 === 0 && !stop) {
          const app = await rec.time('app_create', async () => {
            const r = await httpRequest(site, site.ports.proxy, '/qrs/app', { method: 'POST', headers: { Cookie: adminCookie }, body: { name: `Soak ${w}-${n}` } });
            if (r.status !== 201) throw new Error(`POST /qrs/app: ${r.status} ${r.text.slice(0, 200)}`);
            expected['entity.create']++;
            return r.json as { id: string };
          });
          if (app) await rec.time('app_publish', async () => {
            const r = await httpRequest(site, site.ports.proxy, `/qrs/app/${app.id}/publish?stream=${soakStream.id}`, { method: 'PUT', headers: { Cookie: adminCookie } });
            if (r.status !== 200) throw new Error(`publish: ${r.status} ${r.text.slice(0, 200)}`);
          });
        }
        await sleep(jitter(100));
      }
    };

    const reloadLoop = async () => {
      while (!stop) {
        await rec.time('reload', async () => {
          const r = await admin('POST', `/qrs/app/${reloadApp.appId}/reload`);
          if (r.status !== 200) throw new Error(`reload: ${r.status} ${r.text.slice(0, 200)}`);
          expected['app.reload']++;
        });
        await sleep(2000);
      }
    };

    // Ramp: log users in (ticket on the proxy API, redeemed on a proxy, round robin) and open their
    // sessions, LOGIN_CONCURRENCY at a time; each starts its loop as soon as it holds a session.
    const loops: Promise<void>[] = [];
    const rampStart = Date.now();
    loops.push(...Array.from({ length: REST_WORKERS }, (_, w) => restLoop(w)), reloadLoop());
    let nextUser = 0;
    await Promise.all(Array.from({ length: LOGIN_CONCURRENCY }, async () => {
      while (nextUser < SESSIONS && Date.now() - rampStart < HARD_LIMIT_MS / 2) {
        const i = nextUser++;
        const proxyPort = proxies[i % proxies.length] as number;
        const login = await rec.time('ticket_login', async () => {
          const issued = await httpRequest(site, site.ports.proxyApi, '/qps/ticket', { method: 'POST', cert, body: { UserDirectory: 'CORP', UserId: loadUser(i), Attributes: [] } });
          if (issued.status !== 201) throw new Error(`ticket: ${issued.status} ${issued.text.slice(0, 200)}`);
          expected['ticket.issue']++;
          const landed = await httpRequest(site, proxyPort, `/hub/?qlikTicket=${encodeURIComponent((issued.json as { Ticket: string }).Ticket)}`, { xrfkey: false });
          const cookie = ([] as string[]).concat(landed.headers['set-cookie'] ?? []).map((c) => c.split(';')[0] ?? '').find((c) => c.includes('=') && !c.endsWith('='));
          if (!cookie) throw new Error(`redeem: ${landed.status} ${landed.text.slice(0, 200)}`);
          expected['ticket.redeem']++;
          expected['session.start']++;
          return cookie;
        });
        if (!login) continue;
        const u: User = { i, cookie: login, proxyPort, reconnects: 0 };
        users.push(u);
        if (await connect(u, 'qix_open')) {
          open++;
          loops.push(userLoop(u));
        }
        if (nextUser % 100 === 0) console.log(`  ${open} sessions open (${((Date.now() - rampStart) / 1000).toFixed(1)} s)`);
      }
    }));
    const rampMs = Date.now() - rampStart;
    const heldAfterRamp = open;
    console.log(`ramp: ${open} of ${SESSIONS} sessions open in ${(rampMs / 1000).toFixed(1)} s; steady load for ${SECONDS} s`);
    const steadyFrom = rec.cubeAtLevel.length;
    const steadyStart = Date.now();
    // What limits p99: CPU each process (the services, and this load generator) used in the steady phase.
    const cpuStart = { ...serviceCpuSeconds(site), generator: cpuSecondsOfThisProcess() };

    // A third of the way in: rotate the proxy's certificate (new key, the old one retired after the 10 s grace).
    const rotation = (async () => {
      await sleep((SECONDS * 1000) / 3);
      if (stop) return;
      rotatedAt = Date.now() - steadyStart;
      heldBeforeRotation = users.filter((u) => u.wire && !u.wire.closed).length;
      await rec.time('cert_rotate', async () => {
        const r = await runTzCli(site, ['certs', 'rotate', 'proxy', '--grace', String(GRACE_S), '--no-wait']);
        if (r.code !== 0) throw new Error(`tz certs rotate proxy: ${r.code} ${r.stderr.slice(0, 300)}`);
      });
      console.log(`  ${((Date.now() - started) / 1000).toFixed(1)} s: proxy certificate rotated`);
    })();

    const loopSampler = sampleEventLoops(site);
    await sleep(SECONDS * 1000);
    const eventLoops = await loopSampler.finish((Date.now() - steadyStart) / 1000);
    const held = users.filter((u) => u.wire && !u.wire.closed).length;
    const rssEnd = serviceRssMb(site);
    const cpuEnd: Record<string, number> = { ...serviceCpuSeconds(site), generator: cpuSecondsOfThisProcess() };
    const steadySeconds = (Date.now() - steadyStart) / 1000;
    // Share of one core each process used while the load was steady (2.0 = both cores of the reference machine).
    const coresUsed = Object.fromEntries(Object.entries(cpuEnd).map(([k, v]) => [k, Number(((v - (cpuStart[k as keyof typeof cpuStart] ?? 0)) / steadySeconds).toFixed(2))]));
    stop = true;
    await Promise.race([Promise.all([...loops, rotation]), sleep(35_000)]);
    const steadyMs = Date.now() - steadyStart;
    for (const u of users) u.wire?.close();
    await sleep(2000); // the last audit records (session ends, reloads) reach the log
    const auditAfter = auditCounts(site);
    const verify = await runTzCli(site, ['audit', 'verify']);

    // Figures.
    const kinds = [...rec.lat.keys()];
    const perKind: Record<string, { count: number; per_s: number; p50_ms: number; p99_ms: number; errors: number }> = {};
    for (const k of new Set<string>([...kinds, ...rec.errors.keys()])) {
      const a = [...(rec.lat.get(k as Kind) ?? [])].sort((x, y) => x - y);
      perKind[k] = { count: a.length, per_s: Number((a.length / ((rampMs + steadyMs) / 1000)).toFixed(1)), p50_ms: Number(percentile(a, 50).toFixed(1)), p99_ms: Number(percentile(a, 99).toFixed(1)), errors: rec.errors.get(k) ?? 0 };
    }
    const steadyCube = rec.cubeAtLevel.slice(steadyFrom).map(([, ms]) => ms).sort((a, b) => a - b);
    const cubeP99 = percentile(steadyCube, 99);
    // Where in the steady phase the tail sits (the rotation, a reload, or everywhere): p99 per 5 s.
    const windows = new Map<number, number[]>();
    for (const [, ms, at] of rec.cubeAtLevel.slice(steadyFrom)) {
      const w = Math.max(0, Math.floor((at - steadyStart) / 5000));
      const a = windows.get(w);
      if (a === undefined) windows.set(w, [ms]);
      else a.push(ms);
    }
    const p99ByWindow = [...windows].sort(([a], [b]) => a - b).map(([w, a]) => ({ from_s: w * 5, calls: a.length, p99_ms: Number(percentile(a.sort((x, y) => x - y), 99).toFixed(1)) }));
    // The N sweep: select_cube p99 by how many sessions were open when the call started (ramp included).
    const bucket = Math.max(10, Math.ceil(SESSIONS / 10 / 10) * 10);
    const byLevel = new Map<number, number[]>();
    for (const [level, ms] of rec.cubeAtLevel) {
      const b = Math.ceil(level / bucket) * bucket;
      const a = byLevel.get(b);
      if (a === undefined) byLevel.set(b, [ms]);
      else a.push(ms);
    }
    const sweep = [...byLevel].sort(([a], [b]) => a - b).map(([n, a]) => ({ sessions_up_to: n, calls: a.length, p99_ms: Number(percentile(a.sort((x, y) => x - y), 99).toFixed(1)) }));
    const meeting = sweep.filter((s) => s.calls >= 50 && s.p99_ms <= P99_TARGET_MS).map((s) => s.sessions_up_to);
    const largestN = meeting.length ? Math.max(...meeting) : 0;
    const audit: Record<string, { expected: number; written: number }> = {};
    for (const [action, n] of Object.entries(expected)) {
      // entity.create also records the users created at first login: count the apps only.
      const key = action === 'entity.create' ? 'entity.create:App' : action;
      audit[key] = { expected: n, written: (auditAfter.get(key) ?? 0) - (auditBefore.get(key) ?? 0) };
    }
    const growth = Object.fromEntries(Object.keys(rssStart).map((k) => [k, Number(((rssEnd[k] ?? 0) - (rssStart[k] ?? 0)).toFixed(1))]));
    const errors = [...rec.errors.values()].reduce((a, b) => a + b, 0);
    const reconnects = users.reduce((n, u) => n + u.reconnects, 0);

    console.log(`\nsessions held at the end ${held} of ${SESSIONS} (after ramp ${heldAfterRamp}, before the rotation ${heldBeforeRotation}); reconnects ${reconnects}, calls cut off by them ${rec.interrupted}`);
    for (const [k, v] of Object.entries(perKind)) console.log(`  ${k.padEnd(14)} ${String(v.count).padStart(7)}  ${String(v.per_s).padStart(7)}/s  p50 ${String(v.p50_ms).padStart(7)} ms  p99 ${String(v.p99_ms).padStart(7)} ms  errors ${v.errors}`);
    console.log(`select+cube p99 in the steady phase: ${cubeP99.toFixed(1)} ms (target ≤ ${P99_TARGET_MS} ms); largest N meeting it: ${largestN}`);
    console.log(`p99 by sessions open: ${sweep.map((s) => `≤${s.sessions_up_to}: ${s.p99_ms}`).join(', ')}`);
    console.log(`steady-phase p99 per 5 s (from s: ms; proxy rotated at ${rotatedAt === undefined ? '–' : (rotatedAt / 1000).toFixed(1)} s): ${p99ByWindow.map((w) => `${w.from_s}: ${w.p99_ms}`).join(', ')}`);
    console.log(`RSS start ${JSON.stringify(rssStart)} end ${JSON.stringify(rssEnd)}`);
    console.log(`cores used in the steady phase ${JSON.stringify(coresUsed)} (load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')})`);
    console.log(`event loops in the steady phase (delay p99 per 10 s window: median/worst, longest stall; share of time in GC pauses): ${Object.entries(eventLoops).map(([k, v]) => `${k} ${v.delay_p99_ms_median}/${v.delay_p99_ms_worst} ms, ${v.delay_max_ms} ms, GC ${v.gc_pause_share ?? '–'}`).join('; ')}`);
    console.log(`gRPC calls served per second in the steady phase: ${Object.entries(eventLoops).filter(([, v]) => Object.keys(v.grpc_calls_per_s ?? {}).length > 0).map(([k, v]) => `${k} ${Object.entries(v.grpc_calls_per_s!).slice(0, 4).map(([m, r]) => `${m.split('/').pop()} ${r}`).join(', ')}`).join('; ')}`);
    console.log(`audit expected vs written ${JSON.stringify(audit)}; tz audit verify: ${verify.code === 0 ? 'ok' : verify.stdout.slice(0, 300)}`);
    if (rec.samples.length) console.log(`error samples:\n  ${rec.samples.join('\n  ')}`);

    // The PostgreSQL + Redis mode has its own file: soak.json holds the SQLite figures of record.
    writeResult(MULTI ? 'soak-pg' : 'soak', {
      qix_sessions_held: held,
      // The rotation closes every stream opened under the old proxy certificate at once; under load the
      // reconnects can still be running when the run ends, so the figure before it is reported too.
      qix_sessions_held_before_rotation: heldBeforeRotation,
      errors,
      cube_p99_ms: Number(cubeP99.toFixed(1)),
      rss_growth_mb: Number(Object.values(growth).reduce((a, b) => a + b, 0).toFixed(1)),
      largest_n_meeting_p99: largestN,
      audit_missing: Object.values(audit).reduce((n, a) => n + Math.max(0, a.expected - a.written), 0),
      audit_chain_ok: verify.code === 0 ? 1 : 0,
    }, {
      mode: MULTI ? 'postgresql+redis, 2 proxies, 2 engines' : 'sqlite, 1 proxy, 1 engine',
      sessions: SESSIONS, seconds: SECONDS, thinkMs: THINK_MS, restWorkers: REST_WORKERS, rampMs, steadyMs, heldAfterRamp, reconnects, callsCutOffByReconnect: rec.interrupted,
      rotation: { service: 'proxy', atMs: rotatedAt ?? null, graceSeconds: GRACE_S },
      perKind, p99BySessionsOpen: sweep, p99BySteadyWindow: p99ByWindow, rss: { start: rssStart, end: rssEnd, growthMb: growth }, coresUsedSteady: coresUsed, eventLoopsSteady: eventLoops, audit,
      loadavg: (await import('node:os')).loadavg(), errorSamples: rec.samples,
    });
  } finally {
    await site.stop();
    await db?.drop().catch(() => undefined);
    clearTimeout(hard);
  }
}

function cpuSecondsOfThisProcess(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * The second proxy listens on its own port, so its QIX upgrades carry an Origin the seeded default
 * virtual proxy does not list (it names the first proxy's port only) and would be refused 403. An
 * operator running two proxies on two ports adds both to the Host allow list; behind one load
 * balancer the browser's Origin is the balancer's and nothing needs adding.
 */
async function allowProxyOrigins(admin: (method: string, path: string, body?: unknown) => Promise<{ status: number; json: unknown; text: string }>, ports: number[]): Promise<void> {
  const list = await admin('GET', '/qrs/virtualproxyconfig');
  const id = (list.json as { id: string; prefix: string }[]).find((v) => v.prefix === '')?.id;
  if (!id) throw new Error(`no default virtual proxy: ${list.status} ${list.text.slice(0, 200)}`);
  const vp = (await admin('GET', `/qrs/virtualproxyconfig/${id}`)).json as { id: string; websocketCrossOriginWhiteList: string[] };
  const hosts = [...new Set([...vp.websocketCrossOriginWhiteList, ...ports.map((p) => `localhost:${p}`)])];
  const put = await admin('PUT', `/qrs/virtualproxyconfig/${vp.id}`, { ...vp, websocketCrossOriginWhiteList: hosts });
  if (put.status !== 200) throw new Error(`allow list update: ${put.status} ${put.text.slice(0, 200)}`);
  await sleep(6_000); // proxies refresh their virtual proxies every 5 s
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});

interface LoopFigures {
  windows: number;
  delay_p99_ms_median: number;
  delay_p99_ms_worst: number;
  delay_max_ms: number;
  gc_pause_share: number | null;
  /** gRPC calls this service served per second in the phase, by method (the busiest first; 0.5/s and up). */
  grpc_calls_per_s?: Record<string, number>;
}

/**
 * What limits p99 beyond CPU: every 10 s (the services' metrics window), each service's event-loop
 * delay and GC pause time from its /metrics, and this load generator's own loop delay. A stalled
 * loop delays every call that process handles, so these say where the queue is.
 */
function sampleEventLoops(site: RunningSite): { finish(steadySeconds: number): Promise<Record<string, LoopFigures>> } {
  const services = ['repository', 'engine', 'proxy'] as const;
  const windows = new Map<string, { p99: number[]; max: number; gc0?: number; gc1?: number; calls0?: Map<string, number>; calls1?: Map<string, number> }>([...services, 'generator'].map((k) => [k, { p99: [], max: 0 }]));
  // gRPC calls served, by method (result codes summed): what each service spends its loop on.
  const callsByMethod = (m: Map<string, number>) => {
    const out = new Map<string, number>();
    for (const [k, v] of m) {
      const method = /^tz_grpc_requests_total\{.*method="([^"]*)"/.exec(k)?.[1];
      if (method !== undefined) out.set(method, (out.get(method) ?? 0) + v);
    }
    return out;
  };
  const gcTotal = (m: Map<string, number>) => [...m].filter(([k]) => k.startsWith('tz_gc_pause_seconds_total')).reduce((a, [, v]) => a + v, 0);
  // This load generator measures its own loop and GC the way every service does (same window).
  const ownMetrics = new Metrics();
  const own = registerProcessMetrics(ownMetrics);
  const metricsOf = (s: (typeof services)[number] | 'generator') => (s === 'generator' ? Promise.resolve(parseMetrics(ownMetrics.render())) : serviceMetrics(site, s));
  // 'first' and 'last' read the totals that bracket the phase; every 'window' reads the gauges.
  const scrape = async (at: 'first' | 'window' | 'last') => {
    for (const s of [...services, 'generator'] as const) {
      try {
        const m = await metricsOf(s);
        const w = windows.get(s)!;
        if (at === 'first') [w.gc0, w.calls0] = [gcTotal(m), callsByMethod(m)];
        else [w.gc1, w.calls1] = [gcTotal(m), callsByMethod(m)];
        if (at === 'window') {
          w.p99.push((m.get('tz_event_loop_delay_p99_seconds') ?? 0) * 1000);
          w.max = Math.max(w.max, (m.get('tz_event_loop_delay_max_seconds') ?? 0) * 1000);
        }
      } catch {
        // a service restarting (the rotation does not restart any) or too slow to answer: one window less
      }
    }
  };
  const first = scrape('first');
  const timer = setInterval(() => void scrape('window'), 10_000);
  return {
    async finish(steadySeconds) {
      clearInterval(timer);
      await first;
      await scrape('last');
      own.stop();
      const out: Record<string, LoopFigures> = {};
      for (const [k, w] of windows) {
        const sorted = [...w.p99].sort((a, b) => a - b);
        out[k] = {
          windows: sorted.length,
          delay_p99_ms_median: Math.round(percentile(sorted, 50)),
          delay_p99_ms_worst: Math.round(sorted.at(-1) ?? 0),
          delay_max_ms: Math.round(w.max),
          gc_pause_share: w.gc0 !== undefined && w.gc1 !== undefined ? Number(((w.gc1 - w.gc0) / steadySeconds).toFixed(3)) : null,
          ...(w.calls0 && w.calls1 ? { grpc_calls_per_s: Object.fromEntries([...w.calls1].map(([method, n]) => [method, Number(((n - (w.calls0!.get(method) ?? 0)) / steadySeconds).toFixed(1))] as const).filter(([, r]) => r >= 0.5).sort((a, b) => b[1] - a[1])) } : {}),
        };
      }
      return out;
    },
  };
}
