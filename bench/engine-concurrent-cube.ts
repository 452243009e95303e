/**
 * bench:engine, part (6): 100 concurrent QIX sessions, each selecting values in a field and fetching
 * a 50-row hypercube page, closed loop (no think time).
 *
 * Path: the real one a browser takes — a real site (repository, engine, proxy as processes, SQLite),
 * the proxy's websocket `wss://…/app/<id>` with a ticket-login session cookie, proxy → engine over
 * the gRPC/mTLS QIX stream. Clients speak JSON-RPC frames directly (QixWire, as the soak does):
 * enigma.js sends the same frames, but its schema mixins would cost the two-core machine more CPU
 * than the site itself with 100 sessions in one process.
 *
 * App: the site harness's section-access sales app, built by a load script (Section Access inline
 * table + CSV files reloaded by the engine's sandboxed reload): ORDERS orders over 12 customers in 4
 * regions; user i is reduced to region i mod 4. Each call is a SelectValues on CUSTID (one of the
 * user's three customers, in turn) then GetHyperCubeData of rows 0–49 of ORDERID × Sum(AMOUNT);
 * every answer is checked against the rows the generator wrote (each row's ORDERID belongs to the
 * selected customer and its sum is that order's amount).
 *
 * Run twice by bench:engine: with the engine's default cube cache (TZ_ENGINE_CUBE_CACHE_MB=64), where
 * each session cycles through three states and so after its first round is answered from its kept
 * cubes, and with the cache off (TZ_ENGINE_CUBE_CACHE_MB=0), where every call computes its cube from
 * the selection — the figure for a workload whose selection states are always new.
 */
import { createSalesApp, httpRequest, integrationCert, loadUser, QixWire, REGIONS, regionOf, startSiteProcesses, ticketLogin } from '../libs/site-harness/src';
import { readFileSync } from 'node:fs';
import { percentile } from './bench-util';

const SESSIONS = Number(process.env['TZ_BENCH_CUBE_SESSIONS'] ?? 100);
const SECONDS = Number(process.env['TZ_BENCH_CUBE_SECONDS'] ?? 25);
const WARMUP_SECONDS = 5;
const ORDERS = 24_000;
const PAGE = 50;

export interface ConcurrentCubeResult {
  /** The engine's TZ_ENGINE_CUBE_CACHE_MB for this run (0: every call computed its cube). */
  cube_cache_mb: number;
  sessions: number;
  seconds: number;
  calls: number;
  errors: number;
  error_samples: string[];
  req_per_s: number;
  p50_ms: number;
  p99_ms: number;
  path: string;
  orders: number;
  target_p99_ms: number;
  /**
   * CPU milliseconds per measured call (select + page) by process over the measured window (Linux
   * /proc; the bench process is the 100 clients). Unlike the latency, barely moved by other load on
   * the host: what to compare between two versions on a shared machine.
   */
  cpu_ms_per_call: Record<string, number>;
}

/** CPU seconds used so far by each site process and by this one (the clients). */
function cpuSeconds(pids: Record<string, number>): Record<string, number> {
  const tick = 100; // USER_HZ on Linux
  const out: Record<string, number> = {};
  for (const [label, pid] of Object.entries(pids)) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      out[label] = (Number(fields[11]) + Number(fields[12])) / tick; // utime, stime
    } catch {
      // not Linux, or the process is gone: left out
    }
  }
  const self = process.cpuUsage();
  out['clients (bench process)'] = (self.user + self.system) / 1e6;
  return out;
}

/** The sales app's generator (libs/site-harness/src/sales-app.ts): order i+1 → customer (i·7) mod 12, amount (i·37) mod 1000. */
function customerOfOrder(orderId: number): string {
  return `C${((orderId - 1) * 7) % 12}`;
}
const amountOfOrder = (orderId: number) => ((orderId - 1) * 37) % 1000;
const customersOf = (region: string) => [0, 1, 2].map((k) => `C${REGIONS.indexOf(region as (typeof REGIONS)[number]) * 3 + k}`);
const ordersPerCustomer = (c: string) => Array.from({ length: ORDERS }, (_, i) => i + 1).filter((id) => customerOfOrder(id) === c).length;

export async function benchConcurrentCube(cubeCacheMb = 64): Promise<ConcurrentCubeResult> {
  const cacheLabel = cubeCacheMb === 0 ? 'cube cache off' : `cube cache ${cubeCacheMb} MiB`;
  const site = await startSiteProcesses({ env: { TZ_RATE_IP_PER_SECOND: '1000000', TZ_RATE_USER_PER_SECOND: '1000000', TZ_LOG_LEVEL: 'warn', TZ_ENGINE_CUBE_CACHE_MB: String(cubeCacheMb), ...(process.env['TZ_NODE_ARGS'] ? { TZ_NODE_ARGS: process.env['TZ_NODE_ARGS'] } : {}) } });
  try {
    const cert = await integrationCert(site, 'bench-engine');
    const admin = (method: string, path: string, body?: unknown) => httpRequest(site, site.ports.proxyApi, path, { method, cert, headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' }, ...(body === undefined ? {} : { body }) });
    const sales = await createSalesApp(site, admin, { users: SESSIONS, orders: ORDERS, name: 'Concurrent cube bench' });
    console.log(`concurrent cube (${cacheLabel}): site up, app reloaded; logging in ${SESSIONS} users`);

    interface S { i: number; wire: QixWire; doc: number; field: number; cube: number; customers: string[] }
    const sessions: S[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const { cookie } = await ticketLogin(site, cert, { userDirectory: 'CORP', userId: loadUser(i) });
      const wire = await QixWire.open(site, cookie, sales.appId);
      const doc = await wire.openDoc(sales.appId);
      const field = ((await wire.call('GetField', doc, { qFieldName: 'CUSTID' }))['qReturn'] as { qHandle: number }).qHandle;
      const cube = ((await wire.call('CreateSessionObject', doc, [{
        qInfo: { qType: 'bench-cube' },
        qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['ORDERID'] } }], qMeasures: [{ qDef: { qDef: 'Sum(AMOUNT)' } }] },
      }]))['qReturn'] as { qHandle: number }).qHandle;
      sessions.push({ i, wire, doc, field, cube, customers: customersOf(regionOf(i)) });
    }
    const expectedRows = new Map([...new Set(sessions.flatMap((s) => s.customers))].map((c) => [c, Math.min(PAGE, ordersPerCustomer(c))]));

    let stop = false;
    let measuring = false;
    const lat: number[] = [];
    const samples: string[] = [];
    let errors = 0;
    const loop = async (s: S) => {
      for (let n = 0; !stop; n++) {
        const customer = s.customers[n % s.customers.length]!;
        const t0 = performance.now();
        try {
          await s.wire.call('SelectValues', s.field, { qFieldValues: [{ qText: customer }], qToggleMode: false });
          const r = await s.wire.call('GetHyperCubeData', s.cube, { qPath: '/qHyperCubeDef', qPages: [{ qTop: 0, qLeft: 0, qHeight: PAGE, qWidth: 2 }] });
          const ms = performance.now() - t0;
          const matrix = (r['qDataPages'] as { qMatrix: { qText: string; qNum: number | string }[][] }[])[0]?.qMatrix ?? [];
          if (matrix.length !== expectedRows.get(customer)) throw new Error(`session ${s.i}: ${matrix.length} rows for ${customer}, expected ${expectedRows.get(customer)}`);
          for (const row of matrix) {
            const id = Number(row[0]!.qNum);
            if (customerOfOrder(id) !== customer || Number(row[1]!.qNum) !== amountOfOrder(id)) throw new Error(`session ${s.i}: row ${JSON.stringify(row)} is not an order of ${customer}`);
          }
          if (measuring) lat.push(ms);
        } catch (e) {
          if (measuring) errors++;
          if (samples.length < 10) samples.push(e instanceof Error ? e.message.slice(0, 300) : String(e));
          if (s.wire.closed) return;
        }
      }
    };
    const loops = sessions.map(loop);
    await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000));
    const pids = site.supervisor.pids();
    const cpu0 = cpuSeconds(pids);
    measuring = true;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    measuring = false;
    const cpu1 = cpuSeconds(pids);
    const elapsed = (performance.now() - t0) / 1000;
    stop = true;
    await Promise.all(loops);
    for (const s of sessions) s.wire.close();
    const sorted = lat.sort((a, b) => a - b);
    const result: ConcurrentCubeResult = {
      cube_cache_mb: cubeCacheMb,
      sessions: SESSIONS, seconds: SECONDS, calls: sorted.length, errors, error_samples: samples,
      req_per_s: Math.round((sorted.length / elapsed) * 10) / 10,
      p50_ms: Math.round(percentile(sorted, 50) * 100) / 100,
      p99_ms: Math.round(percentile(sorted, 99) * 100) / 100,
      path: 'proxy websocket (ticket session, CSRF, Origin) → engine over gRPC/mTLS; real site processes, SQLite; JSON-RPC frames (QixWire)',
      orders: ORDERS,
      target_p99_ms: 50,
      cpu_ms_per_call: Object.fromEntries(Object.keys(cpu1).filter((k) => cpu0[k] !== undefined).map((k) => [k, Math.round(((cpu1[k]! - cpu0[k]!) * 1000 * 1000) / Math.max(1, sorted.length)) / 1000])),
    };
    console.log(`concurrent cube (${cacheLabel}): ${SESSIONS} sessions, ${result.calls} select+GetHyperCubeData calls in ${elapsed.toFixed(1)} s (${result.req_per_s}/s), p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms, errors ${errors}`);
    console.log(`  CPU ms per call: ${Object.entries(result.cpu_ms_per_call).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    if (samples.length) console.log(`  error samples: ${samples.join(' | ')}`);
    return result;
  } finally {
    await site.stop();
  }
}
