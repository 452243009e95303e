// TZ_RECONNECT_SESSIONS (default 200) reduced users each hold a QIX session on the soak's sales app;
// then, TZ_RECONNECT_ROUNDS times, every socket is closed and all of them reconnect at once (open,
// OpenDoc, cube, rows checked against the CSV): the soak's reconnect storm without the rest of the
// load. Reports reconnect latency p50/p99 and the CPU milliseconds each service spent per reconnect
// (from /proc, so a busy machine slows the run but barely moves the per-reconnect CPU): the figure
// to compare before/after a change to the reconnect path. Prints JSON; writes no result file.
import { createSalesApp, httpRequest, integrationCert, loadUser, QixWire, regionOf, serviceCpuSeconds, startSiteProcesses, ticketLogin, type SalesApp } from '../libs/site-harness/src';
import { percentile } from './bench-util';

const N = Number(process.env['TZ_RECONNECT_SESSIONS'] ?? 200);
const ROUNDS = Number(process.env['TZ_RECONNECT_ROUNDS'] ?? 3);
// TZ_RECONNECT_PROFILE_DIR=<dir>: every service writes a V8 CPU profile there when it stops.
const PROFILE_DIR = process.env['TZ_RECONNECT_PROFILE_DIR'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const site = await startSiteProcesses({ env: { TZ_RATE_IP_PER_SECOND: '1000000', TZ_RATE_USER_PER_SECOND: '1000000', TZ_LOG_LEVEL: 'warn', ...(PROFILE_DIR ? { TZ_NODE_ARGS: `--cpu-prof --cpu-prof-dir=${PROFILE_DIR}` } : {}) } });
  try {
    const cert = await integrationCert(site, 'reconnect');
    const admin = (method: string, path: string, body?: unknown) => httpRequest(site, site.ports.proxyApi, path, { method, cert, headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' }, ...(body === undefined ? {} : { body }) });
    const sales: SalesApp = await createSalesApp(site, admin, { users: N, orders: 2000 });
    const cookies: string[] = [];
    for (let i = 0; i < N; i += 16) cookies.push(...await Promise.all(Array.from({ length: Math.min(16, N - i) }, async (_, k) => (await ticketLogin(site, cert, { userDirectory: 'CORP', userId: loadUser(i + k) })).cookie)));
    const connect = async (i: number): Promise<QixWire> => {
      const wire = await QixWire.open(site, cookies[i]!, sales.appId);
      const doc = await wire.openDoc(sales.appId);
      const rows = await wire.cubeRows(await wire.createCube(doc, 'REGION', ['Sum(AMOUNT)', 'Count(ORDERID)']));
      const t = sales.truth.get(regionOf(i))!;
      if (rows.length !== 1 || rows[0]![0] !== regionOf(i) || rows[0]![1] !== t.sum || rows[0]![2] !== t.count) throw new Error(`user ${i}: ${JSON.stringify(rows)}`);
      return wire;
    };
    let wires = await Promise.all(cookies.map((_, i) => connect(i)));
    const rounds: { p50_ms: number; p99_ms: number; cpuMsPerReconnect: Record<string, number> }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const w of wires) w.close();
      await sleep(3000); // closes and their audit records land before the count starts
      const before = serviceCpuSeconds(site);
      const lat: number[] = [];
      wires = await Promise.all(cookies.map(async (_, i) => {
        const t0 = performance.now();
        const w = await connect(i);
        lat.push(performance.now() - t0);
        return w;
      }));
      await sleep(1500); // the opens' audit writes
      const after = serviceCpuSeconds(site);
      lat.sort((a, b) => a - b);
      const cpu = Object.fromEntries(Object.keys(after).map((k) => [k, Math.round(((after[k]! - (before[k] ?? 0)) * 1000 / N) * 100) / 100]));
      rounds.push({ p50_ms: Math.round(percentile(lat, 50) * 10) / 10, p99_ms: Math.round(percentile(lat, 99) * 10) / 10, cpuMsPerReconnect: cpu });
      console.log(`round ${r + 1}: ${JSON.stringify(rounds.at(-1))}`);
    }
    for (const w of wires) w.close();
    console.log(JSON.stringify({ sessions: N, rounds }));
  } finally {
    await site.stop();
  }
}

main().then(() => process.exit(0), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
